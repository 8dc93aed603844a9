"""Wagtail admin wiring for outreach: the queue, materials review and payouts menu, and the
dashboard panel of what needs action today."""

from django.urls import include, path, reverse
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.ui.components import Component

from core import access
from lms.outreach import admin_views, selectors

admin_patterns = (
    [
        path("", admin_views.queue, name="queue"),
        path("batch/", admin_views.batch, name="batch"),
        path("<int:pk>/", admin_views.detail, name="detail"),
        path("materials/", admin_views.materials, name="materials"),
        path("payouts/", admin_views.payouts, name="payouts"),
    ],
    "outreach_admin",
)


@hooks.register("register_admin_urls")
def register_outreach_urls():
    return [path("outreach/", include(admin_patterns))]


def _is_staff(request):
    return access.is_operator(request.user)


class StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return _is_staff(request)


outreach_menu = Menu(
    register_hook_name="register_outreach_menu_item", construct_hook_name=None
)


@hooks.register("register_outreach_menu_item")
def _queue_item():
    return StaffMenuItem(
        "신청 대기열", reverse("outreach_admin:queue"), icon_name="list-ul"
    )


@hooks.register("register_outreach_menu_item")
def _materials_item():
    return StaffMenuItem(
        "강의 자료 검토", reverse("outreach_admin:materials"), icon_name="doc-full"
    )


@hooks.register("register_outreach_menu_item")
def _payouts_item():
    return StaffMenuItem(
        "강사료 지급", reverse("outreach_admin:payouts"), icon_name="download"
    )


@hooks.register("register_admin_menu_item")
def register_outreach_menu():
    return SubmenuMenuItem(
        "찾아가는 노동교육", outreach_menu, icon_name="group", order=300
    )


class TodayPanel(Component):
    """The staff dashboard's first panel: today's outreach work, each line a link."""

    name = "outreach_today"
    template_name = "outreach/admin/today_panel.html"
    order = 50

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["today"] = selectors.staff_today(user=self.user, now=timezone.now())
        return context


@hooks.register("construct_homepage_panels")
def add_today_panel(request, panels):
    if _is_staff(request):
        panels.append(TodayPanel(request.user))
