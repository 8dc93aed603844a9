"""Pages of the organization portal; mounted by config/urls.py."""

from django.urls import path

from lms.organizations import views

app_name = "orgportal"
urlpatterns = [
    path("org/", views.home, name="home"),
    path("org/invitations/csv/", views.invite_csv, name="invite_csv"),
    path("org/assignments/", views.assignment_create, name="assignment_create"),
    path("org/assignments/<int:pk>/", views.assignment_detail, name="assignment"),
    path(
        "org/assignments/<int:pk>/remind/",
        views.assignment_remind,
        name="assignment_remind",
    ),
    path(
        "org/assignments/<int:pk>/evidence/",
        views.assignment_evidence,
        name="assignment_evidence",
    ),
    path("org/join/<str:token>/", views.join, name="join"),
]
