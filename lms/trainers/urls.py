"""Pages of this app outside the Wagtail page tree; mounted by config/urls.py."""

from django.urls import path

from lms.trainers import views

app_name = "materials"
urlpatterns = [
    path(
        "trainers/materials/<str:token>/",
        views.material_file,
        name="material_file",
    ),
]
