"""Pages of this app outside the Wagtail page tree; mounted by config/urls.py."""

from django.urls import path, re_path

from media_pipeline import views

app_name = "media_pipeline"

urlpatterns = [
    # Playlists, for the holder of a playback grant; `v<version>` changes whenever the
    # playlist's content does, so no cache keeps a stale master.
    re_path(
        r"^media/play/(?P<grant>[A-Za-z0-9_:.-]{10,400})/v(?P<version>\d{1,9})/"
        r"(?P<name>(?:subs/)?[A-Za-z0-9_-]{1,40}\.m3u8)$",
        views.playlist,
        name="playlist",
    ),
    # Output files of the local storage behind signed, short-lived URLs. S3 serves its
    # own through presigned URLs. The view resolves names inside videos/hls/ only.
    path("media/signed/<path:name>", views.media_file, name="media_file"),
]
