"""Wagtail admin wiring for reports: the 교육 실적 dashboard and its menu item."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from core import access
from lms.reports import admin_views

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
