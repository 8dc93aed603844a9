"""The staff dashboard (교육 실적) in the Wagtail admin: filters, headlines, tables, charts."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import access
from core.problems import NotFound
from lms.reports import selectors
from lms.reports.exports import online_columns, outreach_columns
from lms.reports.figures import BY_KEY, CHART_KEYS
from lms.reports.forms import ReportFilterForm


def _cell(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.2f}"
    return f"{value:,}"


def _tables(report: dict) -> list[dict]:
    """Every breakdown as a table of formatted cells, outreach first."""
    tables = []
    for section, columns, title in (
        ("outreach", outreach_columns(), _("찾아가는 교육")),
        ("online", online_columns(), _("온라인 교육")),
    ):
        for breakdown in report["breakdowns"][section]:
            tables.append(
                {
                    "title": f"{title} {breakdown['label']}",
                    "header": [breakdown["label"], *(label for _k, label in columns)],
                    "rows": [
                        [row["label"], *(_cell(row[key]) for key, _l in columns)]
                        for row in breakdown["rows"]
                    ],
                }
            )
    return tables


def _chart_data(report: dict) -> dict:
    """What the charts draw: the quarterly rows and the region breakdown."""
    rows = {
        (row["section"], row["key"]): row["values"][:4]
        for row in report["quarterly"]["rows"]
    }
    regions = next(
        b["rows"]
        for b in report["breakdowns"]["outreach"]
        if b["dimension"] == "region"
    )
    return {
        "quarters": report["quarterly"]["columns"][:4],
        **{name: rows[figure] for name, figure in CHART_KEYS.items()},
        "regions": [r["label"] for r in regions],
        "region_sessions": [r["sessions_delivered"] for r in regions],
        "region_attendees": [r["attendees"] for r in regions],
        "labels": {
            name: str(BY_KEY[figure].heading) for name, figure in CHART_KEYS.items()
        },
    }


def education(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not access.is_operator(user):
        raise DjangoPermissionDenied
    all_centers = selectors.sees_all_centers(user)
    this_year = timezone.localdate().year
    form = ReportFilterForm(
        request.GET or {"year": this_year},
        centers=selectors.report_centers_for(user=user),
        all_centers=all_centers,
    )
    year, quarter, center_id = this_year, None, None
    if form.is_valid():
        year = form.cleaned_data["year"]
        quarter = form.cleaned_data["quarter"]
        center = form.cleaned_data["center"]
        center_id = center.pk if center else None
    elif "center" in form.errors:
        # A center outside the staff member's scope is not theirs to see.
        raise Http404
    try:
        center = selectors.report_center_for(user=user, center_id=center_id)
    except NotFound as exc:
        raise Http404 from exc
    period = selectors.Period(year=year, quarter=quarter)
    report = selectors.education_report(period=period, center=center)
    query = {"year": year}
    if quarter:
        query["quarter"] = quarter
    if center_id:
        query["center"] = center_id
    return render(
        request,
        "reports/admin/education.html",
        {
            "form": form,
            "report": report,
            "chart_data": _chart_data(report),
            "quarterly_rows": [
                {**row, "cells": [_cell(v) for v in row["values"]]}
                for row in report["quarterly"]["rows"]
            ],
            "tables": _tables(report),
            "trainer_rows": [
                [row["trainer"], _cell(row["sessions"]), _cell(row["hours"])]
                for row in report["trainer_load"]
            ],
            "xlsx_url": reverse("api-v1:education_report_xlsx")
            + "?"
            + urlencode(query),
        },
    )
