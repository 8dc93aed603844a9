"""Image renditions of the local storage, for pages that show them.

Rich text and pages name Wagtail renditions by their storage URL (`/media/images/…`). On
S3 the bucket answers; on the embedded default's local files nothing would with DEBUG off,
and Django's static() helper serves the whole media folder, sources and documents included,
so it is kept for DEBUG=1 only. This view serves the renditions' folder and nothing else:
the name must resolve inside `images/` (core.files) and be a raster image type, sent with
its own content type, `nosniff` and a cache lifetime. Originals, documents and video stay
behind their own rules.
"""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.views.decorators.http import require_GET

from core.files import NotServed, resolve_inside
from media_pipeline.playback import storage_is_remote

RENDITIONS_PREFIX = "images/"
IMAGE_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
}


@require_GET
def rendition_file(request, name: str):
    if storage_is_remote():
        raise Http404
    try:
        full = resolve_inside(
            default_storage.location, RENDITIONS_PREFIX, RENDITIONS_PREFIX + name
        )
    except NotServed:
        raise Http404 from None
    content_type = IMAGE_TYPES.get(full.suffix.lower())
    if content_type is None or not full.is_file():
        raise Http404
    response = FileResponse(full.open("rb"), content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    # A rendition's name changes with its source or filter, so a day's caching is safe.
    response["Cache-Control"] = "public, max-age=86400"
    return response
