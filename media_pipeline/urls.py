"""Pages of this app outside the Wagtail page tree; mounted by config/urls.py."""

from django.conf import settings
from django.urls import re_path

from media_pipeline import views

urlpatterns: list = []

if settings.VIDEO_SERVE_LOCAL_MEDIA and not getattr(
    settings, "AWS_STORAGE_BUCKET_NAME", ""
):
    # The HLS outputs on the local storage, with HLS content types, when DEBUG is off
    # and no web server serves MEDIA_ROOT (development, `make run`). S3 serves them
    # itself in production.
    urlpatterns.append(
        re_path(
            r"^media/(?P<path>videos/hls/.+)$", views.serve_hls, name="video_hls_file"
        )
    )
