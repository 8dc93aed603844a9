"""Every figure of the education report over a year of records worked out by hand
(conftest.year_of_records says which records exist and why), in the JSON and the XLSX."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

QUARTERS = ["1~3월", "4~6월", "7~9월", "10~12월", "계"]

# The quarterly table of 2026 for all centers: (key, label, unit, Q1, Q2, Q3, Q4, year).
QUARTERLY_2026 = [
    # Requests by created_at: Q1 S1 S2 extra1; Q2 S3 S5; Q3 extra2; Q4 S4.
    ("requests_received", "찾아가는 교육 신청", "건", 3, 2, 1, 1, 7),
    # S1 is 03-31 23:30 KST → Q1; S2 is 04-01 00:10 KST → Q2 (03-31 in UTC).
    ("sessions_delivered", "찾아가는 교육 실시", "회", 1, 2, 0, 1, 4),
    # 가 (S1, S3), 나 (S2), 다 (S4): the year counts 가 once.
    ("organizations_served", "교육 기관", "곳", 1, 2, 0, 1, 3),
    # 28 (confirmed over 30 reported) | 1,040 + 20 | – | 16 (confirmed) → 1,104.
    ("attendees", "수강 인원", "명", 28, 1060, 0, 16, 1104),
    # (5+4)/2 | (3+4+4+5)/4 | – | – | 25/6 = 4.1666… → 4.17.
    ("satisfaction", "찾아가는 교육 만족도", "점", 4.5, 4.0, None, None, 4.17),
    # T1 | T2, T1 | – | T1 → two trainers in the year.
    ("trainers", "출강 강사", "명", 1, 2, 0, 1, 2),
    # 2 | 1.5 + 2 | – | 3 → 8.5 hours.
    ("training_hours", "강의 시간", "시간", 2.0, 3.5, 0.0, 3.0, 8.5),
    # Enrolled or completed: Q1 E1 E2 (L1), E5 done (L4) | Q2 E3 (L2), E1 done (L1)
    # | Q3 E4 (L3) | Q4 E4 done (L3) → L1 L2 L3 L4 in the year; E6 (L2) is all 2025.
    ("learners", "온라인 이용자", "명", 2, 2, 1, 1, 4),
    ("enrollments", "온라인 수강 신청", "건", 2, 1, 1, 0, 4),
    # Completed: Q1 E5 (L4) | Q2 E1 (04-01 00:10 KST), E3 | Q4 E4.
    ("completers", "온라인 수료자", "명", 1, 2, 0, 1, 4),
    # Of the enrollments made in the column, completed: 1/2 | 1/1 | 1/1 | – | 3/4.
    ("completion_rate", "온라인 수료율", "%", 50.0, 100.0, 100.0, None, 75.0),
    # Course answers at completion: Q1 4 | Q2 5, 4 | – | Q4 3 → 16/4.
    ("satisfaction", "온라인 교육 만족도", "점", 4.0, 4.5, None, 3.0, 4.0),
    # Certificates: Q1 E5 | Q2 E1, E3 | – | E4's was revoked → 3.
    ("certificates_issued", "수료증 발급", "건", 1, 2, 0, 0, 3),
]

OUTREACH_2026 = {
    "requests_received": 7,
    "sessions_delivered": 4,
    "organizations_served": 3,
    "attendees": 1104,
    "satisfaction": 4.17,
    "survey_responses": 6,
    "trainers": 2,
    "training_hours": 8.5,
    "sessions_per_trainer": 2.0,  # 4 sessions / 2 trainers
    "hours_per_trainer": 4.25,  # 8.5 h / 2 trainers
}
ONLINE_2026 = {
    "learners": 4,
    "enrollments": 4,
    "completers": 4,
    "completions": 4,
    "completion_rate": 75.0,
    "satisfaction": 4.0,
    "survey_responses": 4,
    "certificates_issued": 3,
}


def _outreach_row(key, label, requests, sessions, organizations, attendees, score, n):
    return {
        "key": key,
        "label": label,
        "requests_received": requests,
        "sessions_delivered": sessions,
        "organizations_served": organizations,
        "attendees": attendees,
        "satisfaction": score,
        "survey_responses": n,
    }


def _online_row(key, label, learners, enrollments, completers, rate, score, n, certs):
    # completers == completions here: nobody completed two courses in one period.
    return {
        "key": key,
        "label": label,
        "learners": learners,
        "enrollments": enrollments,
        "completers": completers,
        "completions": completers,
        "completion_rate": rate,
        "satisfaction": score,
        "survey_responses": n,
        "certificates_issued": certs,
    }


OUTREACH_BREAKDOWNS_2026 = {
    # Regions in their order (도심권 first). 도심권: S3 S4 + extra2; 동북권: S1 S2 + extra1, S5.
    "region": [
        _outreach_row("도심권", "도심권", 3, 2, 2, 36, 5.0, 1),
        _outreach_row("동북권", "동북권", 4, 2, 2, 1068, 4.0, 5),  # (9+11)/5
    ],
    "district": [
        _outreach_row("노원구", "노원구", 1, 1, 1, 1040, 3.67, 3),  # 11/3
        _outreach_row("마포구", "마포구", 2, 2, 2, 36, 5.0, 1),
        _outreach_row("성북구", "성북구", 3, 1, 1, 28, 4.5, 2),  # S1, extra1, S5
        _outreach_row("종로구", "종로구", 1, 0, 0, 0, None, 0),
    ],
    "topic": [
        # S1 S3 (+ extra1 extra2 S5 requests): 28 + 20, answers 5 4 5 → 14/3.
        _outreach_row("노동법 기초", "노동법 기초", 5, 2, 1, 48, 4.67, 3),
        _outreach_row(
            "직장 내 괴롭힘 예방", "직장 내 괴롭힘 예방", 1, 1, 1, 16, None, 0
        ),
        _outreach_row("청소년 노동인권", "청소년 노동인권", 1, 1, 1, 1040, 3.67, 3),
    ],
    "audience": [
        _outreach_row("workers", "노동자", 6, 3, 2, 64, 4.67, 3),
        _outreach_row("youth", "청소년·청년", 1, 1, 1, 1040, 3.67, 3),
    ],
    "organization_kind": [
        _outreach_row("union", "노동조합", 1, 1, 1, 16, None, 0),
        _outreach_row("workplace", "사업장", 5, 2, 1, 48, 4.67, 3),
        _outreach_row("school", "학교", 1, 1, 1, 1040, 3.67, 3),
    ],
}
ONLINE_BREAKDOWNS_2026 = {
    # C1: E1 enrolled (done), E5 completed; answers 5, 4. C2: E2 E3 E4; answers 4, 3.
    "category": [
        _online_row("labor-law", "노동법", 2, 1, 2, 100.0, 4.5, 2, 2),
        _online_row("statutory", "법정의무교육", 3, 3, 2, 66.7, 3.5, 2, 1),
    ],
    "audience": [
        _online_row("workplace", "사업장 임직원", 3, 3, 2, 66.7, 3.5, 2, 1),
        _online_row("citizen", "시민·노동자", 2, 1, 2, 100.0, 4.5, 2, 2),
    ],
    # The learner's organization: L3 마포구 (도심권), L2 성북구 (동북권), L1 L4 none.
    "region": [
        _online_row("도심권", "도심권", 1, 1, 1, 100.0, 3.0, 1, 0),
        _online_row("동북권", "동북권", 1, 1, 1, 100.0, 4.0, 1, 1),
        _online_row("", "소속 기관 없음", 2, 2, 2, 50.0, 4.5, 2, 2),
    ],
    "organization_kind": [
        _online_row("workplace", "사업장", 2, 2, 2, 100.0, 3.5, 2, 1),
        _online_row("", "소속 기관 없음", 2, 2, 2, 50.0, 4.5, 2, 2),
    ],
}
# T1 김철수: S1 2 h + S3 2 h + S4 3 h; T2 이영희: S2 1.5 h. Names masked.
TRAINER_LOAD_2026 = [("김*수", 3, 7.0), ("이*희", 1, 1.5)]


def _get(client, user, path):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client.get(path)


def test_the_year_report_has_every_hand_worked_figure(
    client, superuser, year_of_records
):
    response = _get(client, superuser, "/api/v1/reports/education?year=2026")

    assert response.status_code == 200
    report = response.json()
    assert report["year"] == 2026 and report["quarter"] is None
    assert report["period"] == "2026년" and report["center"] is None
    assert report["headlines"] == [
        "찾아가는 교육 3개 기관, 4회, 총 1,104명 수강, 만족도 4.17점",
        "온라인 교육 총 4명 이용(수료자 4명)",
    ]
    assert report["outreach"] == OUTREACH_2026
    assert report["online"] == ONLINE_2026
    assert report["quarterly"]["columns"] == QUARTERS
    assert [
        (r["key"], r["label"], r["unit"], *r["values"])
        for r in report["quarterly"]["rows"]
    ] == QUARTERLY_2026
    assert {
        b["dimension"]: b["rows"] for b in report["breakdowns"]["outreach"]
    } == OUTREACH_BREAKDOWNS_2026
    assert {
        b["dimension"]: b["rows"] for b in report["breakdowns"]["online"]
    } == ONLINE_BREAKDOWNS_2026
    assert [
        (t["trainer"], t["sessions"], t["hours"]) for t in report["trainer_load"]
    ] == TRAINER_LOAD_2026


def test_the_quarter_boundary_is_seoul_midnight(client, superuser, year_of_records):
    first = _get(client, superuser, "/api/v1/reports/education?year=2026&quarter=1")
    second = _get(client, superuser, "/api/v1/reports/education?year=2026&quarter=2")

    # Q1 holds S1 (03-31 23:30 KST) only; S2 (04-01 00:10 KST, 03-31 in UTC) is Q2.
    assert first.json()["period"] == "2026년 1분기(1~3월)"
    assert first.json()["outreach"]["sessions_delivered"] == 1
    assert first.json()["outreach"]["attendees"] == 28
    assert first.json()["headlines"][0] == (
        "찾아가는 교육 1개 기관, 1회, 총 28명 수강, 만족도 4.5점"
    )
    q2 = second.json()
    assert q2["headlines"] == [
        "찾아가는 교육 2개 기관, 2회, 총 1,060명 수강, 만족도 4점",
        "온라인 교육 총 2명 이용(수료자 2명)",
    ]
    # E1 completed at 04-01 00:10 KST: a Q2 completion with its certificate, so L1
    # is a Q2 learner beside L2 (E3).
    assert q2["online"] == {
        "learners": 2,
        "enrollments": 1,
        "completers": 2,
        "completions": 2,
        "completion_rate": 100.0,
        "satisfaction": 4.5,
        "survey_responses": 2,
        "certificates_issued": 2,
    }
    # Breakdowns cover the quarter only: 동북권 S2 and 도심권 S3.
    regions = {b["dimension"]: b["rows"] for b in q2["breakdowns"]["outreach"]}
    assert regions["region"] == [
        _outreach_row("도심권", "도심권", 1, 1, 1, 20, 5.0, 1),
        _outreach_row("동북권", "동북권", 1, 1, 1, 1040, 3.67, 3),  # S5's request
    ]
    assert [(t["trainer"], t["sessions"], t["hours"]) for t in q2["trainer_load"]] == [
        ("김*수", 1, 2.0),
        ("이*희", 1, 1.5),
    ]
    # The quarterly table is the year's in every period.
    assert q2["quarterly"] == first.json()["quarterly"]


def test_one_center_counts_its_own_requests_and_its_region_learners(
    client, superuser, year_of_records
):
    dongbuk = year_of_records["dongbuk"]

    report = _get(
        client, superuser, f"/api/v1/reports/education?year=2026&center={dongbuk.pk}"
    ).json()

    assert report["center"] == {"id": dongbuk.pk, "name": dongbuk.name}
    # 동북권 center: S1, S2; requests S1 S2 extra1 S5; answers 5 4 3 4 4 → 20/5.
    assert report["outreach"] == {
        "requests_received": 4,
        "sessions_delivered": 2,
        "organizations_served": 2,
        "attendees": 1068,
        "satisfaction": 4.0,
        "survey_responses": 5,
        "trainers": 2,
        "training_hours": 3.5,
        "sessions_per_trainer": 1.0,
        "hours_per_trainer": 1.75,
    }
    # Online: learners of organizations in 동북권 only (L2: E3; E6 was 2025).
    assert report["online"] == {
        "learners": 1,
        "enrollments": 1,
        "completers": 1,
        "completions": 1,
        "completion_rate": 100.0,
        "satisfaction": 4.0,
        "survey_responses": 1,
        "certificates_issued": 1,
    }
    assert report["headlines"] == [
        "찾아가는 교육 2개 기관, 2회, 총 1,068명 수강, 만족도 4점",
        "온라인 교육 총 1명 이용(수료자 1명)",
    ]


def _sheet_rows(book, title) -> list[tuple]:
    return [tuple(row) for row in book[title].iter_rows(values_only=True)]


def test_the_workbook_has_the_same_numbers(client, superuser, year_of_records):
    response = _get(client, superuser, "/api/v1/reports/education.xlsx?year=2026")

    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    assert 'filename="education-report-2026.xlsx"' in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "요약",
        "분기별 실적",
        "찾아가는 교육 권역별",
        "찾아가는 교육 자치구별",
        "찾아가는 교육 주제별",
        "찾아가는 교육 대상별",
        "찾아가는 교육 기관 유형별",
        "온라인 교육 분야별",
        "온라인 교육 대상별",
        "온라인 교육 권역별(소속 기관)",
        "온라인 교육 기관 유형별(소속 기관)",
        "강사별 실적",
    ]
    summary = _sheet_rows(book, "요약")
    assert summary[0] == ("교육 실적 보고", "2026년 · 전체 센터")
    assert (
        summary[2][0] == "찾아가는 교육 3개 기관, 4회, 총 1,104명 수강, 만족도 4.17점"
    )
    assert summary[3][0] == "온라인 교육 총 4명 이용(수료자 4명)"
    figures = {row[0]: row[1] for row in summary if row and row[0]}
    assert figures["신청(건)"] == 7
    assert figures["실시(회)"] == 4
    assert figures["교육 기관(곳)"] == 3
    assert figures["수강 인원(명)"] == 1104
    assert figures["출강 강사(명)"] == 2
    assert figures["강의 시간(시간)"] == 8.5
    assert figures["강사 1인당 출강(회)"] == 2
    assert figures["강사 1인당 강의 시간(시간)"] == 4.25
    assert figures["이용자(명)"] == 4
    assert figures["수료율(%)"] == 75
    assert figures["수료증 발급(건)"] == 3

    quarterly = _sheet_rows(book, "분기별 실적")
    assert quarterly[0] == ("구분", "항목", "단위", *QUARTERS)
    sections = ["찾아가는 교육"] * 7 + ["온라인 교육"] * 6
    assert quarterly[1:] == [
        (section, *row[1:])
        for section, row in zip(sections, QUARTERLY_2026, strict=True)
    ]

    regions = _sheet_rows(book, "찾아가는 교육 권역별")
    assert regions == [
        (
            "권역별",
            "신청(건)",
            "실시(회)",
            "교육 기관(곳)",
            "수강 인원(명)",
            "만족도(점)",
            "만족도 응답 수",
        ),
        ("도심권", 3, 2, 2, 36, 5, 1),
        ("동북권", 4, 2, 2, 1068, 4, 5),
    ]
    for dimension, rows in OUTREACH_BREAKDOWNS_2026.items():
        title = {
            "region": "권역별",
            "district": "자치구별",
            "topic": "주제별",
            "audience": "대상별",
            "organization_kind": "기관 유형별",
        }[dimension]
        assert _sheet_rows(book, f"찾아가는 교육 {title}")[1:] == [
            (
                r["label"],
                r["requests_received"],
                r["sessions_delivered"],
                r["organizations_served"],
                r["attendees"],
                r["satisfaction"],
                r["survey_responses"],
            )
            for r in rows
        ]
    online_titles = {
        "category": "분야별",
        "audience": "대상별",
        "region": "권역별(소속 기관)",
        "organization_kind": "기관 유형별(소속 기관)",
    }
    for dimension, rows in ONLINE_BREAKDOWNS_2026.items():
        assert _sheet_rows(book, f"온라인 교육 {online_titles[dimension]}")[1:] == [
            (
                r["label"],
                r["learners"],
                r["enrollments"],
                r["completers"],
                r["completions"],
                r["completion_rate"],
                r["satisfaction"],
                r["survey_responses"],
                r["certificates_issued"],
            )
            for r in rows
        ]
    assert _sheet_rows(book, "강사별 실적") == [
        ("강사", "출강(회)", "강의 시간(시간)"),
        *TRAINER_LOAD_2026,
    ]


@pytest.mark.parametrize(
    ("query", "status"),
    [
        # Out of range is refused at the edge with the field named (core/types.py).
        ("year=1999", 422),
        ("year=2026&quarter=5", 422),
        ("year=2026&quarter=0", 422),
        ("year=abc", 422),
        ("", 422),
    ],
)
def test_a_bad_period_is_a_problem_in_korean(client, superuser, query, status):
    response = _get(client, superuser, f"/api/v1/reports/education?{query}")

    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    if status == 400:
        assert body["title"] == "보고 기간이 올바르지 않습니다."
        assert "지정해 주세요" in body["detail"]
    else:
        assert body["title"] == "입력값을 확인해 주세요."
        if query:
            assert body["errors"][0]["field"].endswith(
                query.split("&")[-1].split("=")[0]
            )
