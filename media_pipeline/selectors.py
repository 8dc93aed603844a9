"""Reading video assets: playback URLs for players, listings for the admin."""

from __future__ import annotations

from django.core.files.storage import default_storage

from media_pipeline.models import VideoAsset


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
        "master_url": default_storage.url(asset.master_playlist),
        "poster_url": default_storage.url(asset.poster) if asset.poster else "",
        "duration": asset.duration,
        "captions": [
            {
                "language": caption.language,
                "label": caption.label,
                "url": default_storage.url(f"{prefix}/subs/{caption.language}.vtt"),
            }
            for caption in asset.captions.all()
        ],
    }
