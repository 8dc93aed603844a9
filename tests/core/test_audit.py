"""The audit trail: a revocation, an outreach decision and a role change each leave a
record naming who, what and when; the admin shows it to those who oversee every center."""

from __future__ import annotations

import pytest

from core.models import AuditRecord
from lms.accounts.models import Role
from lms.accounts.services import user_set_role
from lms.centers.models import Center
from lms.outreach import services as outreach
from tests.factories import UserFactory
from tests.factories.outreach import application, staff_user
from tests.lms.learning.test_staff import admin_client, course_with_learners  # noqa: F401

pytestmark = pytest.mark.django_db


def test_revoking_a_certificate_from_the_staff_screen_is_audited(
    admin_client,  # noqa: F811
    course_with_learners,  # noqa: F811
):
    _course, certificate = course_with_learners
    issued = AuditRecord.objects.get(action="learning.certificate.issue")
    assert issued.actor is None and issued.actor_label == "시스템"

    admin_client.post(
        f"/admin/learning/certificates/{certificate.pk}/revoke/",
        {"reason": "중복 수강"},
    )
    again = admin_client.post(
        f"/admin/learning/certificates/{certificate.pk}/revoke/", {"reason": "두 번째"}
    )

    assert again.status_code == 302
    record = AuditRecord.objects.get(action="learning.certificate.revoke")
    assert record.actor.is_superuser
    assert (record.subject_type, record.subject_id) == (
        "learning.certificate",
        str(certificate.pk),
    )
    assert record.summary == f"{certificate.number}: 중복 수강"
    assert record.data == {"reason": "중복 수강"}


def test_outreach_changes_and_role_changes_are_audited_in_order():
    staff = staff_user()
    request, _ = outreach.request_submit(data=application())
    outreach.request_review(request_id=request.pk, actor=staff)
    outreach.request_reject(request_id=request.pk, actor=staff, reason="정원 초과")
    person = UserFactory(username="newstaff")
    user_set_role(
        user=person,
        role=Role.STAFF,
        center=Center.objects.get(kind=Center.Kind.METROPOLITAN),
        by=staff,
    )

    trail = list(
        AuditRecord.objects.order_by("pk").values_list("action", "actor_username")
    )
    assert trail == [
        ("outreach.request.under_review", "staff1"),
        ("outreach.request.rejected", "staff1"),
        ("accounts.user.set_role", "staff1"),
    ]


def test_the_trail_is_in_the_admin_for_the_metropolitan_center_only(client):
    head = staff_user(username="head")
    regional = staff_user(
        username="regional", center=Center.objects.get(region__name="동북권")
    )
    request, _ = outreach.request_submit(data=application())
    outreach.request_review(request_id=request.pk, actor=head)

    client.force_login(head)
    page = client.get("/admin/audit/?action=outreach.request").content.decode()
    assert "outreach.request.under_review" in page and "head" in page
    filtered = client.get("/admin/audit/?action=learning").content.decode()
    assert "outreach.request.under_review" not in filtered

    client.force_login(regional)
    refused = client.get("/admin/audit/")  # Wagtail sends the refused back home
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")
