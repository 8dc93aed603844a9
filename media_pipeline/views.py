"""Serving HLS outputs from the local storage (development without a web server)."""

import mimetypes
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.utils._os import safe_join

CONTENT_TYPES = {
    ".m3u8": "application/vnd.apple.mpegurl",
    ".m4s": "video/iso.segment",
    ".mp4": "video/mp4",
    ".vtt": "text/vtt; charset=utf-8",
    ".jpg": "image/jpeg",
}


def serve_hls(request, path: str):
    if not settings.VIDEO_SERVE_LOCAL_MEDIA or not hasattr(default_storage, "location"):
        raise Http404
    try:
        full = Path(safe_join(default_storage.location, path))
    except Exception as exc:  # SuspiciousFileOperation: outside MEDIA_ROOT
        raise Http404 from exc
    if not full.is_file():
        raise Http404
    content_type = CONTENT_TYPES.get(full.suffix) or (
        mimetypes.guess_type(full.name)[0] or "application/octet-stream"
    )
    response = FileResponse(full.open("rb"), content_type=content_type)
    response["Cache-Control"] = "public, max-age=3600"
    return response
