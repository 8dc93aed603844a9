"""Wagtail admin wiring for reports: the 교육 실적 dashboard and its menu item."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from cms.models import YEAR_FIGURES_HOOK
from core import access
from lms.reports import admin_views, selectors

admin_patterns = (
    [path("education/", admin_views.education, name="education")],
    "reports_admin",
)


@hooks.register("register_admin_urls")
def register_reports_urls():
    return [path("reports/", include(admin_patterns))]


class StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return access.is_operator(request.user)


@hooks.register("register_admin_menu_item")
def register_reports_menu():
    return StaffMenuItem(
        _("교육 실적"),
        reverse("reports_admin:education"),
        icon_name="table",
        order=310,
    )


@hooks.register(YEAR_FIGURES_HOOK)
def home_year_figures(year: int) -> list[dict]:
    return selectors.year_figures(year=year)
