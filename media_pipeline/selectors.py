"""Reading video assets: playback URLs for players, listings for the admin."""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import default_storage

from media_pipeline.models import VideoAsset


def _url(name: str) -> str:
    """Public URL of an output. HLS playlists name their segments relatively, so on a
    private bucket VIDEO_PUBLIC_BASE_URL (a CDN or public prefix) must serve the outputs."""
    base = settings.VIDEO_PUBLIC_BASE_URL
    return f"{base.rstrip('/')}/{name}" if base else default_storage.url(name)


def asset_playback(*, asset: VideoAsset | None) -> dict | None:
    """What a player needs, or None unless the asset is ready."""
    if (
        asset is None
        or asset.state != VideoAsset.State.READY
        or not asset.master_playlist
    ):
        return None
    prefix = asset.output_prefix
    return {
        "master_url": _url(asset.master_playlist),
        "poster_url": _url(asset.poster) if asset.poster else "",
        "duration": asset.duration,
        "captions": [
            {
                "language": caption.language,
                "label": caption.label,
                "url": _url(f"{prefix}/subs/{caption.language}.vtt"),
            }
            for caption in asset.captions.all()
        ],
    }
