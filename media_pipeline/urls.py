"""Pages of this app outside the Wagtail page tree; mounted by config/urls.py."""

from django.urls import re_path

from media_pipeline import views

urlpatterns = [
    # The HLS outputs of the local storage, with HLS content types, when no web server
    # serves MEDIA_ROOT (development, `make run`, DEBUG on or off). S3 serves its own.
    re_path(r"^media/(?P<path>videos/hls/.+)$", views.serve_hls, name="video_hls_file"),
]
