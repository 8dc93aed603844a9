"""Pages of this app outside the Wagtail page tree; mounted by config/urls.py."""

from django.urls import path

from cms import views

app_name = "cms"

urlpatterns = [
    path("media/images/<str:name>", views.rendition_file, name="rendition_file"),
]
