"""The audit trail's place in the admin menu (설정 → 감사 기록)."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from core import admin_views


@hooks.register("register_admin_urls")
def register_audit_urls():
    return [path("audit/", admin_views.audit_trail, name="core_audit_trail")]


class AuditMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.may_read_trail(request.user)


@hooks.register("register_settings_menu_item")
def register_audit_menu_item():
    return AuditMenuItem(
        "감사 기록", reverse("core_audit_trail"), icon_name="history", order=900
    )
