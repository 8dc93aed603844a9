"""Short-lived links to teaching materials: the only way a material's file is served.

A link names the revision and the person it was made for and stops working after
`MATERIAL_LINK_SECONDS`. Opening it checks both again, and the access policy as well
(`material_revisions_visible_to`): a link passed to someone else, or kept after the
person lost access, answers 404 like a link that never existed.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "lms.trainers.material-link"


def material_link(*, revision, user) -> str:
    token = signing.dumps({"r": revision.pk, "u": user.pk}, salt=SALT, compress=True)
    return reverse("materials:material_file", args=[token])


def material_link_open(token: str) -> tuple[int, int] | None:
    """(revision id, user id) of a link still within its lifetime, else None."""
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.MATERIAL_LINK_SECONDS)
    except signing.BadSignature:  # SignatureExpired is one
        return None
    if not isinstance(data, dict):
        return None
    revision_id, user_id = data.get("r"), data.get("u")
    if not isinstance(revision_id, int) or not isinstance(user_id, int):
        return None
    return revision_id, user_id
