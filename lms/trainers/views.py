"""The material file behind a short-lived link, as a download that runs nothing."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest

from lms.privacy.models import PersonalDataAccess
from lms.privacy.services import personal_data_access_record
from lms.trainers.links import material_link_open
from lms.trainers.selectors import material_revision_for


def material_file(request: HttpRequest, token: str) -> FileResponse:
    # Anyone else, signed in or not, gets the 404 of a link that never existed.
    opened = material_link_open(token)
    if opened is None or opened[1] != request.user.pk:
        raise Http404
    revision = material_revision_for(user=request.user, revision_id=opened[0])
    if revision is None:
        raise Http404
    document = revision.document
    if request.user.pk != revision.material.trainer.user_id:
        personal_data_access_record(
            actor=request.user,
            action=PersonalDataAccess.Action.VIEW,
            subject=f"teaching material revision {revision.pk}",
            record_count=1,
            request=request,
        )
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.filename,
        # The type is never the browser's to guess, nor a page's to render.
        content_type="application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response
