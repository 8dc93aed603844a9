"""Private playback: grants for players, short-lived URLs for every media file.

Who may watch is decided by the page that shows the player (a lesson page, the video
admin), not here: that page asks for a *grant*, a signed token naming the asset and the
viewer, and only a request by that viewer with a grant that has not expired gets a
playlist. Playlists are served by the application; every segment, init segment and
caption file they name is a URL that works for `VIDEO_SIGNED_URL_SECONDS` only: an S3
presigned URL on a bucket, or a signed URL to `media_file` on the local storage.
"""

from __future__ import annotations

import hmac
import time
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils.crypto import salted_hmac

from core.files import NotServed, resolve_inside

#: The one prefix the signed media view serves from.
SERVED_PREFIX = "videos/hls/"
_GRANT_SALT = "media_pipeline.playback.grant"
_URL_SALT = "media_pipeline.playback.url"


# --- Grants ---------------------------------------------------------------------------


def grant_issue(*, asset_id, user) -> str:
    """A token that lets `user` (None or anonymous for a visitor) fetch the playlists of
    the asset until VIDEO_PLAYBACK_GRANT_SECONDS have passed."""
    viewer = user.pk if user is not None and user.is_authenticated else 0
    return signing.dumps(
        {"a": str(asset_id), "u": viewer}, salt=_GRANT_SALT, compress=True
    )


def grant_asset_id(token: str, *, user) -> str | None:
    """The asset a grant is for, or None: a bad or expired token, or another viewer."""
    try:
        data = signing.loads(
            token, salt=_GRANT_SALT, max_age=settings.VIDEO_PLAYBACK_GRANT_SECONDS
        )
    except signing.BadSignature:
        return None
    viewer = user.pk if user is not None and user.is_authenticated else 0
    if not isinstance(data, dict) or data.get("u") != viewer:
        return None
    return data.get("a")


def playlist_url(*, grant: str, version: int, name: str) -> str:
    return reverse(
        "media_pipeline:playlist",
        kwargs={"grant": grant, "version": version, "name": name},
    )


# --- Short-lived media URLs -------------------------------------------------------------


def storage_is_remote() -> bool:
    try:
        default_storage.path("x")
    except NotImplementedError:
        return True
    return False


def resolve_served(name: str) -> Path:
    """The local file of a storage name under SERVED_PREFIX (core.files.resolve_inside)."""
    return resolve_inside(default_storage.location, SERVED_PREFIX, name)


def _signature(name: str, expires: int) -> str:
    return salted_hmac(_URL_SALT, f"{name}\n{expires}", algorithm="sha256").hexdigest()


def local_signed_url(name: str, *, lifetime: int) -> str:
    expires = int(time.time()) + lifetime
    query = urlencode({"expires": expires, "signature": _signature(name, expires)})
    return f"{reverse('media_pipeline:media_file', kwargs={'name': name})}?{query}"


def local_signature_check(name: str, expires: str, signature: str) -> int:
    """Seconds left of a signed URL; raises NotServed for a wrong signature, returns a
    negative number when it has expired."""
    try:
        when = int(expires)
    except (TypeError, ValueError):
        raise NotServed(name) from None
    expected = _signature(name, when)
    if not hmac.compare_digest(expected, signature or ""):
        raise NotServed(name)
    return when - int(time.time())


def media_url(name: str, *, lifetime: int | None = None) -> str:
    """A URL of one output file that works for `lifetime` seconds."""
    lifetime = lifetime or settings.VIDEO_SIGNED_URL_SECONDS
    if storage_is_remote():
        return default_storage.url(name, expire=lifetime)
    return local_signed_url(name, lifetime=lifetime)


class UrlSigner:
    """Presigns each file once per request (a window file holds many segments)."""

    def __init__(self, prefix: str, lifetime: int | None = None) -> None:
        self.prefix = prefix
        self.lifetime = lifetime or settings.VIDEO_SIGNED_URL_SECONDS
        self._done: dict[str, str] = {}

    def __call__(self, relative: str) -> str:
        url = self._done.get(relative)
        if url is None:
            url = self._done[relative] = media_url(
                f"{self.prefix}/{relative}", lifetime=self.lifetime
            )
        return url
