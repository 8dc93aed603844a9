"""Playback URLs of a lesson's video until the pipeline's player lands.

TODO(merge): media_pipeline.selectors.asset_playback and media_pipeline/player.html replace this.
"""

from django import template
from django.core.files.storage import default_storage

register = template.Library()


@register.filter
def lesson_playback(asset) -> dict:
    if asset is None:
        return {}
    hls = (
        default_storage.url(asset.master_playlist)
        if asset.is_ready and asset.master_playlist
        else ""
    )
    mp4 = (
        default_storage.url(asset.source_path)
        if not hls and asset.source_path.endswith(".mp4")
        else ""
    )
    return {
        "hls": hls,
        "mp4": mp4,
        "poster": default_storage.url(asset.poster) if asset.poster else "",
        "captions": [
            {
                "language": caption.language,
                "label": caption.label,
                "url": default_storage.url(caption.vtt_path),
            }
            for caption in asset.captions.all()
        ],
    }
