import pytest

from core.masking import mask_email, mask_name, mask_phone
from lms.privacy.models import PersonalDataAccess
from lms.privacy.services import personal_data_access_record


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("김민용", "김*용"),
        ("김민", "김*"),
        ("남궁민수", "남**수"),
        ("김", "김"),
        ("", ""),
    ],
)
def test_mask_name(raw, masked):
    assert mask_name(raw) == masked


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("010-1234-5678", "010-****-5678"),
        ("01012345678", "010-****-5678"),
        ("02-123-4567", "02-****-4567"),
        ("+82 10 1234 5678", "010-****-5678"),
    ],
)
def test_mask_phone(raw, masked):
    assert mask_phone(raw) == masked


def test_mask_email():
    assert mask_email("kim@example.com") == "k***@example.com"
    assert mask_email("a@b.kr") == "a***@b.kr"


@pytest.mark.django_db
def test_access_record_keeps_actor_name_and_address(rf, learner):
    request = rf.get("/admin/learners/", REMOTE_ADDR="10.1.2.3")

    row = personal_data_access_record(
        actor=learner,
        action="export",
        subject="수강생 명단",
        record_count=12,
        request=request,
    )

    row.refresh_from_db()
    assert (row.actor_username, row.ip_address, row.record_count) == (
        "learner1",
        "10.1.2.3",
        12,
    )
    assert PersonalDataAccess.objects.count() == 1
