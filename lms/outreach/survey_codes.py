"""One-time survey codes: one answer per attendee, whatever the device or its cookies.

The session's QR sheet (for the trainer and the applicant to print or show) carries one
code per expected attendee: `<n>-<keyed digest of the session and n>`. A code is valid
for its session only, can't be guessed from another, and answers once: the answer is
stored under a keyed hash of the code (`SurveyResponse.device_key`), which the
database keeps unique per subject. Dropping a cookie changes nothing.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

from django.conf import settings

from lms.outreach.models import MAX_ATTENDEES, OutreachSession

CODE = re.compile(r"^(\d{1,4})-([A-Z2-7]{10})$")


def _digest(session: OutreachSession, number: int) -> str:
    mac = hmac.new(
        settings.SECRET_KEY.encode(),
        f"outreach-survey-code:{session.survey_token}:{number}".encode(),
        hashlib.sha256,
    ).digest()
    return base64.b32encode(mac).decode()[:10]


def code_count(session: OutreachSession) -> int:
    """As many codes as people may attend: the larger of what was asked and reported."""
    expected = max(
        session.request.participants,
        session.attendees_reported or 0,
        session.attendees_confirmed or 0,
    )
    return min(expected, MAX_ATTENDEES)


def survey_codes(session: OutreachSession) -> list[str]:
    return [f"{n}-{_digest(session, n)}" for n in range(1, code_count(session) + 1)]


def survey_code_number(session: OutreachSession, code: str) -> int | None:
    """The attendee number of a valid code of this session, else None."""
    match = CODE.match((code or "").strip().upper())
    if match is None:
        return None
    number = int(match.group(1))
    if not 1 <= number <= code_count(session):
        return None
    if not hmac.compare_digest(match.group(2), _digest(session, number)):
        return None
    return number


def respondent_token(number: int) -> str:
    """What the survey stores (hashed) for the answer of attendee `number`."""
    return f"code:{number}"
