"""Playback over HTTP: the playlists (for the holder of a grant) and, on the local
storage, the media files behind signed URLs. Nothing else of the storage is served."""

from __future__ import annotations

import mimetypes
import re

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse, HttpResponseForbidden
from django.views.decorators.http import require_GET

from media_pipeline import playback
from media_pipeline.models import VideoAsset
from media_pipeline.selectors import playlist_text

CONTENT_TYPES = {
    ".m3u8": "application/vnd.apple.mpegurl",
    ".m4s": "video/iso.segment",
    ".mp4": "video/mp4",
    ".vtt": "text/vtt; charset=utf-8",
    ".jpg": "image/jpeg",
}
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


@require_GET
def playlist(request, grant: str, version: int, name: str):
    """A playlist of the asset the grant names, for the viewer it was issued to; 404
    for anyone else, for an expired grant, or while the asset cannot be played."""
    asset_id = playback.grant_asset_id(grant, user=request.user)
    if asset_id is None:
        raise Http404
    asset = VideoAsset.objects.filter(pk=asset_id).first()
    text = playlist_text(asset=asset, name=name) if asset else None
    if text is None:
        raise Http404
    response = HttpResponse(text, content_type=CONTENT_TYPES[".m3u8"])
    # Short: the media URIs inside are valid for VIDEO_SIGNED_URL_SECONDS only, and an
    # EVENT playlist grows while the later windows are encoded.
    seconds = settings.VIDEO_PLAYLIST_CACHE_SECONDS if asset.ready_at else 2
    response["Cache-Control"] = f"private, max-age={seconds}"
    return response


@require_GET
def media_file(request, name: str):
    """One output file of the local storage, for a signed URL that has not expired
    (403 after its lifetime, as S3 answers); the name must resolve inside the served
    prefix (404 otherwise, signature or not)."""
    if playback.storage_is_remote():
        raise Http404
    try:
        left = playback.local_signature_check(
            name, request.GET.get("expires"), request.GET.get("signature")
        )
        full = playback.resolve_served(name)
    except playback.NotServed:
        raise Http404 from None
    if left < 0:
        return HttpResponseForbidden("expired", content_type="text/plain")
    if not full.is_file():
        raise Http404
    content_type = CONTENT_TYPES.get(full.suffix) or (
        mimetypes.guess_type(full.name)[0] or "application/octet-stream"
    )
    size = full.stat().st_size
    handle = full.open("rb")
    match = _RANGE.match(request.headers.get("Range", ""))
    if match and (match[1] or match[2]):
        if match[1]:
            start = int(match[1])
            end = min(int(match[2]), size - 1) if match[2] else size - 1
        else:
            start, end = max(0, size - int(match[2])), size - 1
        if start > end or start >= size:
            handle.close()
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            return response
        handle.seek(start)
        response = HttpResponse(handle.read(end - start + 1), status=206)
        handle.close()
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Content-Type"] = content_type
    else:
        response = FileResponse(handle, content_type=content_type)
    response["Accept-Ranges"] = "bytes"
    response["Cache-Control"] = f"private, max-age={max(0, left)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response
