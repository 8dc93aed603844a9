"""Wagtail admin wiring of privacy: the staff idle-timeout warning on every admin page,
and the monthly access-log review (설정 → 접속기록 월간 점검)."""

from django.conf import settings
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from lms.privacy import admin_views
from lms.privacy.services import personal_data_access_record


@hooks.register("insert_global_admin_js")
def idle_timeout_script():
    return format_html(
        '<script src="{}" data-timeout="{}" data-warning="{}" data-extend-url="{}"'
        ' data-login-url="{}"></script>',
        static("privacy/idle-timeout.js"),
        settings.STAFF_IDLE_TIMEOUT_SECONDS,
        settings.STAFF_IDLE_WARNING_SECONDS,
        reverse("privacy:session_extend"),
        reverse("wagtailadmin_login"),
    )


@hooks.register("insert_global_admin_css")
def idle_timeout_style():
    return format_html(
        '<link rel="stylesheet" href="{}">', static("privacy/idle-timeout.css")
    )


def _log_user_access(request, user, action: str) -> None:

    personal_data_access_record(
        actor=request.user,
        action=action,
        subject=f"회원 정보 (관리자 화면) #{user.pk}",
        subject_user=user,
        request=request,
    )


@hooks.register("before_edit_user")
def log_user_view(request, user):
    # The edit screen shows the person's name, email and phone unmasked.
    if request.method == "GET":
        _log_user_access(request, user, "view")


@hooks.register("after_edit_user")
def log_user_edit(request, user):
    _log_user_access(request, user, "edit")


@hooks.register("before_delete_user")
def log_user_delete(request, user):
    if request.method == "POST":
        _log_user_access(request, user, "delete")


@hooks.register("register_admin_urls")
def register_access_review_urls():
    return [
        path(
            "privacy/access-review/",
            admin_views.access_review,
            name="privacy_access_review",
        )
    ]


class AccessReviewMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.may_review(request.user)


@hooks.register("register_settings_menu_item")
def register_access_review_menu_item():
    return AccessReviewMenuItem(
        "접속기록 월간 점검",
        reverse("privacy_access_review"),
        icon_name="view",
        order=920,
    )
