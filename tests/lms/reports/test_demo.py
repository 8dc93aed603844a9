"""seed_demo gives the dashboard a year of figures, once, quickly."""

from __future__ import annotations

import time

import pytest
from django.utils import timezone

from lms.demo.services import seed_demo
from lms.learning.models import Certificate, Enrollment, LessonProgress
from lms.learning.selectors import required_lessons_complete
from lms.outreach.models import OutreachSession
from lms.reports.demo import seed_reports_demo
from lms.reports.selectors import Period, education_report

pytestmark = pytest.mark.django_db


def test_the_demo_year_fills_the_report_once_and_fast():
    seed_demo()
    counts = (
        OutreachSession.objects.count(),
        Enrollment.objects.count(),
        Certificate.objects.count(),
    )
    started = time.perf_counter()
    assert seed_reports_demo() is False  # already made by seed_demo
    seed_demo()
    assert (
        OutreachSession.objects.count(),
        Enrollment.objects.count(),
        Certificate.objects.count(),
    ) == counts
    assert time.perf_counter() - started < 30

    today = timezone.localdate()
    figures = [
        education_report(period=Period(year=year), center=None)
        for year in (today.year - 1, today.year)
    ]
    assert sum(f["outreach"]["sessions_delivered"] for f in figures) == 40
    assert sum(f["outreach"]["requests_received"] for f in figures) >= 48
    assert all(
        f["outreach"]["satisfaction"]
        for f in figures
        if f["outreach"]["sessions_delivered"]
    )
    assert sum(f["online"]["enrollments"] for f in figures) >= 80
    assert sum(f["online"]["certificates_issued"] for f in figures) > 0
    # No certificate without what it certifies: the lessons watched through, and the
    # test passed where the course has one.
    for certificate in Certificate.objects.select_related("enrollment__course"):
        enrollment = certificate.enrollment
        assert required_lessons_complete(enrollment=enrollment), certificate.number
        if enrollment.course.questions.exists():
            assert enrollment.test_attempts.filter(passed=True).exists()
    # And some who have not finished show how far they are.
    assert LessonProgress.objects.filter(
        enrollment__completed_at__isnull=True, watched_seconds__gt=0
    ).exists()
    # Every region has sessions over the two reports.
    regions = {
        row["label"]
        for f in figures
        for b in f["breakdowns"]["outreach"]
        if b["dimension"] == "region"
        for row in b["rows"]
        if row["sessions_delivered"]
    }
    assert regions == {"도심권", "동북권", "동남권", "서남권"}
