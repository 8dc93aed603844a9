"""English that Wagtail's Korean catalog leaves in the admin, filled by locale/ko, and the
English workflow name the demo renames."""

from __future__ import annotations

import pytest
from wagtail.models import Task, Workflow

from tests.lms.outreach.html_text import main_text

pytestmark = pytest.mark.django_db


def test_an_empty_listing_and_the_dashboard_search_speak_korean(admin_client):
    empty = admin_client.get("/admin/trainer-conflicts/").content.decode()
    assert "There are no" not in empty and "Why not" not in empty
    assert "표시할 이해충돌 기관 항목이 없습니다." in main_text(empty)
    assert "새로 추가" in main_text(empty)
    home = admin_client.get("/admin/").content.decode()
    assert "Search all pages" not in home
    assert 'placeholder="모든 페이지 검색…"' in home


def test_the_demo_names_the_moderation_workflow_in_korean():
    from lms.demo.services import DEFAULT_WORKFLOW_NAMES, seed_demo

    assert Workflow.objects.filter(name__in=DEFAULT_WORKFLOW_NAMES).exists()
    seed_demo()
    names = set(Workflow.objects.values_list("name", flat=True)) | set(
        Task.objects.values_list("name", flat=True)
    )
    assert not names & set(DEFAULT_WORKFLOW_NAMES)
    assert "편집자 검토 승인" in names
