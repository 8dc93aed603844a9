"""Pages of this app outside the Wagtail page tree; mounted by config/urls.py."""

from django.urls import path

from lms.outreach import views

app_name = "outreach"
urlpatterns = [
    path("outreach/apply/", views.apply, name="apply"),
    path("outreach/requests/<uuid:token>/", views.follow_up, name="follow_up"),
    path("outreach/my/", views.my_requests, name="my_requests"),
    path("outreach/trainer/", views.portal, name="portal"),
    path("outreach/trainer/action/", views.portal_action, name="portal_action"),
    path("outreach/survey/<uuid:token>/", views.survey, name="survey"),
    path("outreach/survey/<uuid:token>/qr.svg", views.survey_qr, name="survey_qr"),
]
