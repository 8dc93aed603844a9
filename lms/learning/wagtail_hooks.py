"""Wagtail admin wiring of learning: the staff screens of staff.py and their menu item."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from core import access
from lms.learning import staff


class StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return access.is_operator(request.user)


@hooks.register("register_admin_urls")
def register_learning_admin_urls():
    urls = [
        path("", staff.course_overview, name="courses"),
        path(
            "courses/<int:course_id>/learners/",
            staff.course_learners_view,
            name="learners",
        ),
        path(
            "courses/<int:course_id>/learners/export/",
            staff.course_learners_export,
            name="export",
        ),
        path(
            "certificates/<int:certificate_id>/revoke/",
            staff.certificate_revoke_view,
            name="revoke",
        ),
    ]
    return [path("learning/", include((urls, "learning_admin")))]


@hooks.register("register_admin_menu_item")
def register_learning_menu_item():
    return StaffMenuItem(
        "온라인 학습 현황",
        reverse("learning_admin:courses"),
        icon_name="user",
        order=300,
    )
