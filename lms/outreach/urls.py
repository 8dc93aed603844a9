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
    path(
        "outreach/trainer/offers/<int:offer_id>/decline/",
        views.offer_decline,
        name="offer_decline",
    ),
    path("outreach/survey/<uuid:token>/", views.survey, name="survey"),
    path("outreach/survey/<uuid:token>/qr.svg", views.survey_qr, name="survey_qr"),
    # The QR sheet of one-time survey codes: for the applicant (by the follow-up
    # token) and for the session's trainer.
    path(
        "outreach/requests/<uuid:token>/survey-sheet/",
        views.survey_sheet_for_applicant,
        name="survey_sheet",
    ),
    path(
        "outreach/trainer/sessions/<int:session_id>/survey-sheet/",
        views.survey_sheet_for_trainer,
        name="trainer_survey_sheet",
    ),
]
