"""A year (2026) of records with figures worked out by hand in test_report_figures.py."""

from __future__ import annotations

import pytest

from cms.courses import Category
from lms.outreach.models import Audience, RequestState
from tests.factories.learning import course_page
from tests.factories.outreach import seoul_time, staff_user, trainer_profile
from tests.factories.reports import (
    answers,
    delivered_session,
    enrollment,
    learner,
    outreach_request,
    regional_center,
)


@pytest.fixture
def year_of_records(db) -> dict:
    """2026 in two regional centers (동북권, 도심권), with records just outside it.

    Outreach (the request's district decides the region; the center owns the request):
      S1 동북권 성북구 2026-03-31 23:30 KST, 2 h, 가 사업장, 노동법, 30 reported / 28
         confirmed → 28, T1, answers 5 4                                  (Q1)
      S2 동북권 노원구 2026-04-01 00:10 KST (still 03-31 in UTC), 1.5 h, 나 학교, youth,
         청소년 노동인권, 1,040 reported, no confirmation → 1,040, T2, answers 3 4 4 (Q2)
      S3 도심권 마포구 2026-05-15 14:00, 2 h, 가 사업장 again, 노동법, 20 confirmed,
         T1, answer 5                                                      (Q2)
      S4 도심권 마포구 2026-11-20 10:00, 3 h, 다 노조 (union), 괴롭힘 예방, 15
         reported / 16 confirmed → 16, T1, no answers                      (Q4)
      not counted: S5 cancelled (동북권 성북구, Q3, 99 people, answer 1);
                   S6 2025-12-31 23:50 KST (last year, answer 1)
      requests received (created_at): S1 03-01, S2 03-15, extra1 동북권 성북구 02-10
      (submitted) → Q1 3; S3 04-10, S5 06-20 → Q2 2; extra2 도심권 종로구 08-01
      (rejected) → Q3 1; S4 10-01 → Q4 1; S6 2025-12-01 not counted.
    Online (courses C1 노동법/시민·노동자, C2 법정의무교육/사업장 임직원):
      E1 L1·C1 enrolled 2026-03-31 23:30 KST, completed 2026-04-01 00:10 KST (Q2 in Seoul,
         Q1 in UTC), certificate then, answer 5
      E2 L1·C2 enrolled 02-01, not completed
      E3 L2·C2 enrolled 05-01, completed 05-20, certificate, answer 4 (L2: 성북구 org)
      E4 L3·C2 enrolled 07-01, completed 10-05, certificate revoked, answer 3 (L3: 마포구)
      E5 L4·C1 enrolled 2025-11-01, completed 2026-01-10, certificate, answer 4
      E6 L2·C1 enrolled 2025-12-31 23:50 KST, nothing else: not counted
    """
    dongbuk = regional_center("동북권")
    dosim = regional_center("도심권")
    t1 = trainer_profile(username="t1")
    t1.user.name = "김철수"
    t1.user.save()
    t2 = trainer_profile(username="t2")
    t2.user.name = "이영희"
    t2.user.save()

    s1 = delivered_session(
        trainer=t1,
        starts_at=seoul_time(2026, 3, 31, 23, 30),
        hours=2,
        reported=30,
        confirmed=28,
        center=dongbuk,
        district="성북구",
        created_at=seoul_time(2026, 3, 1, 9),
        organization_name="가 사업장",
    )
    answers(s1, 5, 4)
    s2 = delivered_session(
        trainer=t2,
        starts_at=seoul_time(2026, 4, 1, 0, 10),
        hours=1.5,
        reported=1040,
        state=RequestState.DELIVERED,
        center=dongbuk,
        district="노원구",
        created_at=seoul_time(2026, 3, 15, 9),
        organization_name="나 학교",
        organization_kind="school",
        audience=Audience.YOUTH,
        topic_code="youth-rights",
        topic_name="청소년 노동인권",
    )
    answers(s2, 3, 4, 4)
    s3 = delivered_session(
        trainer=t1,
        starts_at=seoul_time(2026, 5, 15, 14),
        hours=2,
        reported=None,
        confirmed=20,
        state=RequestState.CLOSED,
        center=dosim,
        district="마포구",
        created_at=seoul_time(2026, 4, 10, 9),
        organization_name="가 사업장",
    )
    answers(s3, 5)
    delivered_session(
        trainer=t1,
        starts_at=seoul_time(2026, 11, 20, 10),
        hours=3,
        reported=15,
        confirmed=16,
        center=dosim,
        district="마포구",
        created_at=seoul_time(2026, 10, 1, 9),
        organization_name="다 노조",
        organization_kind="union",
        topic_code="harassment",
        topic_name="직장 내 괴롭힘 예방",
    )
    s5 = delivered_session(
        trainer=t2,
        starts_at=seoul_time(2026, 8, 5, 14),
        hours=2,
        reported=99,
        state=RequestState.CANCELLED,
        center=dongbuk,
        district="성북구",
        created_at=seoul_time(2026, 6, 20, 9),
    )
    answers(s5, 1)
    s6 = delivered_session(
        trainer=t2,
        starts_at=seoul_time(2025, 12, 31, 23, 50),
        hours=1,
        reported=50,
        center=dongbuk,
        district="성북구",
        created_at=seoul_time(2025, 12, 1, 9),
    )
    answers(s6, 1)
    outreach_request(
        center=dongbuk, district="성북구", created_at=seoul_time(2026, 2, 10, 9)
    )
    outreach_request(
        center=dosim,
        district="종로구",
        created_at=seoul_time(2026, 8, 1, 9),
        state=RequestState.REJECTED,
    )

    c1 = course_page(
        lessons=0, title="노동법 기초", category=Category.LABOR_LAW, audience="citizen"
    )
    c2 = course_page(
        lessons=0,
        title="직장 내 성희롱 예방",
        category=Category.STATUTORY,
        audience="workplace",
    )
    l1 = learner("l1")
    l2 = learner("l2", district="성북구")
    l3 = learner("l3", district="마포구")
    l4 = learner("l4")
    enrollment(
        user=l1,
        course=c1,
        enrolled_at=seoul_time(2026, 3, 31, 23, 30),
        completed_at=seoul_time(2026, 4, 1, 0, 10),
        survey_score=5,
    )
    enrollment(user=l1, course=c2, enrolled_at=seoul_time(2026, 2, 1, 10))
    enrollment(
        user=l2,
        course=c2,
        enrolled_at=seoul_time(2026, 5, 1, 10),
        completed_at=seoul_time(2026, 5, 20, 10),
        survey_score=4,
    )
    enrollment(
        user=l3,
        course=c2,
        enrolled_at=seoul_time(2026, 7, 1, 10),
        completed_at=seoul_time(2026, 10, 5, 10),
        certificate_revoked=True,
        survey_score=3,
    )
    enrollment(
        user=l4,
        course=c1,
        enrolled_at=seoul_time(2025, 11, 1, 10),
        completed_at=seoul_time(2026, 1, 10, 10),
        survey_score=4,
    )
    enrollment(user=l2, course=c1, enrolled_at=seoul_time(2025, 12, 31, 23, 50))
    return {"dongbuk": dongbuk, "dosim": dosim}


@pytest.fixture
def superuser(db):
    from tests.factories import UserFactory

    return UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def metro_staff(db):
    return staff_user(username="metro-staff")


@pytest.fixture
def dongbuk_staff(db):
    return staff_user(username="dongbuk-staff", center=regional_center("동북권"))
