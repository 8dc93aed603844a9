"""Wagtail admin wiring of the video pipeline: the chooser, the listing and upload pages."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from media_pipeline import admin_urls
from media_pipeline.viewsets import video_chooser_viewset


@hooks.register("register_admin_viewset")
def register_video_chooser():
    return video_chooser_viewset


@hooks.register("register_admin_urls")
def register_video_admin_urls():
    return [path("videos/", include((admin_urls, "media_pipeline_admin")))]


@hooks.register("register_admin_menu_item")
def register_videos_menu_item():
    return MenuItem(
        _("영상"),
        reverse("media_pipeline_admin:index"),
        icon_name="media",
        order=310,
    )
