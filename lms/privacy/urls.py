"""Pages of this app outside the Wagtail page tree; mounted by config/urls.py."""

from django.urls import path

from lms.privacy import views

app_name = "privacy"
urlpatterns: list = [
    path("privacy/session/extend/", views.session_extend, name="session_extend"),
]
