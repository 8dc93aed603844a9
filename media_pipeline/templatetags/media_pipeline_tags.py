"""`{% video_playback asset as playback %}` for templates that show a player.

The page that includes the player is the one that decided its viewer may watch: the
tag issues that viewer a playback grant (see media_pipeline/playback.py)."""

from django import template

from media_pipeline.selectors import asset_playback

register = template.Library()


@register.simple_tag(takes_context=True)
def video_playback(context, asset):
    request = context.get("request")
    return asset_playback(asset=asset, user=getattr(request, "user", None))
