"""Wagtail admin wiring of privacy: the staff idle-timeout warning on every admin page."""

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from wagtail import hooks


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
