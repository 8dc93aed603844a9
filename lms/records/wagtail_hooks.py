"""The chains' place in the admin menu (설정 → 훈련 기록 검증)."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from lms.records import views


@hooks.register("register_admin_urls")
def register_records_urls():
    return [path("records/", views.records_chains, name="records_chains")]


class RecordsMenuItem(MenuItem):
    def is_shown(self, request):
        return views.may_verify(request.user)


@hooks.register("register_settings_menu_item")
def register_records_menu_item():
    return RecordsMenuItem(
        "훈련 기록 검증", reverse("records_chains"), icon_name="lock", order=910
    )
