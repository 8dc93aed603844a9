"""Reading video assets: what a player needs, the playlists served to it, listings."""

from __future__ import annotations

from media_pipeline import ffmpeg, hls, playback, states
from media_pipeline.models import VideoAsset, VideoWindow


def asset_is_playable(asset: VideoAsset | None) -> bool:
    """Ready, or far enough into its run that a learner can start (first window and the
    audio encoded)."""
    if asset is None or asset.state not in states.PLAYABLE:
        return False
    return asset.state == states.AssetState.READY or asset.playable_at is not None


def asset_playback(*, asset: VideoAsset | None, user=None) -> dict | None:
    """What a player needs, or None while the asset cannot be played. The master URL
    carries a grant for `user` and the playlist version, so it changes whenever the
    playlist does."""
    if not asset_is_playable(asset):
        return None
    grant = playback.grant_issue(asset_id=asset.pk, user=user)
    poster = asset.poster if asset.state == states.AssetState.READY else ""
    if not poster:
        first = (
            VideoWindow.objects.filter(
                asset=asset, run_id=asset.run_id, kind=VideoWindow.Kind.VIDEO, index=0
            )
            .values_list("outputs", flat=True)
            .first()
        )
        if first and first.get("poster"):
            poster = f"{_run_prefix(asset)}/{first['folder']}/poster.jpg"
    return {
        "master_url": playback.playlist_url(
            grant=grant, version=asset.playback_version, name="master.m3u8"
        ),
        "poster_url": playback.media_url(poster) if poster else "",
        "duration": asset.duration,
        "ready": asset.state == states.AssetState.READY,
        "captions": [
            {"language": caption.language, "label": caption.label, "sdh": caption.sdh}
            for caption in asset.captions.all()
        ],
    }


def run_outputs(asset_id, run_id) -> tuple[list[dict], dict | None]:
    """The done windows of a run, in order, as far as they are contiguous from the
    start, and the audio when it is done."""
    jobs = VideoWindow.objects.filter(asset_id=asset_id, run_id=run_id).order_by(
        "index"
    )
    windows, audio, gap = [], None, False
    for job in jobs:
        if job.kind == VideoWindow.Kind.AUDIO:
            audio = job.outputs if job.state == states.JobState.DONE else None
            continue
        if job.state != states.JobState.DONE:
            gap = True
        if not gap:
            windows.append(job.outputs)
    return windows, audio


def _run_prefix(asset: VideoAsset) -> str:
    return f"videos/hls/{asset.pk}/{asset.run_id.hex}"


def _run_data(asset: VideoAsset):
    windows, audio = run_outputs(asset.pk, asset.run_id)
    ended = asset.state == states.AssetState.READY
    return windows, audio, ended


def playlist_text(*, asset: VideoAsset, name: str) -> str | None:
    """One playlist of a playable asset as served to a player (media URIs presigned for
    this request), or None when it has no such playlist."""
    if not asset_is_playable(asset):
        return None
    windows, audio, ended = _run_data(asset)
    if not windows:
        return None
    sign = playback.UrlSigner(_run_prefix(asset))
    rungs = [
        {"name": r.name, "width": r.width, "height": r.height}
        for r in ffmpeg.ladder_for(asset.width or 0, asset.height or 0)
    ]
    names = {r["name"] for r in rungs}
    captions = list(asset.captions.all())
    if name == "master.m3u8":
        if ended and asset.renditions:
            renditions, audio_fig, iframe = (
                asset.renditions,
                asset.audio_rendition or None,
                asset.iframe_rendition or None,
            )
        else:
            fps = ffmpeg.output_fps(asset.frame_rate or 30)
            renditions = hls.renditions(windows, rungs, fps, audio)
            audio_fig = hls.audio_figures(audio) if audio else None
            smallest = min(rungs, key=lambda r: r["width"] * r["height"])
            iframe = hls.iframe_rendition(
                windows, smallest["width"], smallest["height"]
            )
        return hls.master_playlist(renditions, captions, audio=audio_fig, iframe=iframe)
    if name == "audio.m3u8":
        return hls.audio_playlist(audio, sign) if audio else None
    if name == "iframe.m3u8":
        return hls.iframe_playlist(windows, "iframe", sign, ended=ended, whole=True)
    if name.endswith("_iframes.m3u8") and name.removesuffix("_iframes.m3u8") in names:
        rung = name.removesuffix("_iframes.m3u8")
        return hls.iframe_playlist(windows, rung, sign, ended=ended, whole=False)
    if name.endswith(".m3u8") and name.removesuffix(".m3u8") in names:
        return hls.media_playlist(
            windows, name.removesuffix(".m3u8"), sign, ended=ended
        )
    if name.startswith("subs/") and name.endswith(".m3u8"):
        language = name.removeprefix("subs/").removesuffix(".m3u8")
        caption = next((c for c in captions if c.language == language), None)
        if caption is None:
            return None
        url = playback.media_url(caption.vtt_path)
        return hls.subtitle_playlist(url, asset.duration or 0)
    return None


def assets_for_staff(*, limit: int = 200) -> list[dict]:
    """The staff listing: each asset with the windows of its current run (two queries)."""
    assets = list(
        VideoAsset.objects.select_related("uploaded_by").order_by("-created_at")[:limit]
    )
    runs = {a.run_id for a in assets if a.run_id}
    jobs: dict = {}
    for job in VideoWindow.objects.filter(run_id__in=runs).order_by("kind", "index"):
        jobs.setdefault(job.run_id, []).append(job)
    rows = []
    for asset in assets:
        run_jobs = jobs.get(asset.run_id, []) if asset.run_id else []
        windows = [j for j in run_jobs if j.kind == VideoWindow.Kind.VIDEO]
        rows.append(
            {
                "asset": asset,
                "windows": windows,
                "audio": next(
                    (j for j in run_jobs if j.kind == VideoWindow.Kind.AUDIO), None
                ),
                "windows_done": sum(j.state == states.JobState.DONE for j in windows),
            }
        )
    return rows
