"""`/api/v1/privacy/`: the consent wording in force (public, so anyone can read it first)."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema

from core.problems import ProblemOut
from lms.privacy.services import consent_current

router = Router(tags=["privacy"])


class ConsentOut(Schema):
    purpose_kind: str
    version: int
    purpose: str
    items: str
    retention: str
    right_to_refuse: str
    effective_at: datetime


@router.get(
    "/consent",
    response={200: ConsentOut, 404: ProblemOut},
    auth=None,
    summary="The signup consent in force: purpose, items, retention, right to refuse",
)
def consent(request: HttpRequest):
    return consent_current(purpose_kind="signup")
