"""`{% video_playback asset as playback %}` for templates that show a player."""

from django import template

from media_pipeline.selectors import asset_playback

register = template.Library()


@register.simple_tag
def video_playback(asset):
    return asset_playback(asset=asset)
