"""Pages of this app outside the Wagtail page tree; mounted by config/urls.py."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
