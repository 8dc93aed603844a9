"""Pages of this app outside the Wagtail page tree; mounted by config/urls.py."""

from django.urls import path

from lms.learning import views

app_name = "learning"

urlpatterns = [
    path("my/", views.dashboard, name="dashboard"),
    path("my/courses/<int:course_id>/enroll/", views.enroll, name="enroll"),
    path("my/courses/<int:course_id>/test/", views.course_test, name="course-test"),
    path(
        "my/courses/<int:course_id>/test/<int:attempt_id>/",
        views.course_test_result,
        name="course-test-result",
    ),
    path(
        "my/courses/<int:course_id>/survey/", views.course_survey, name="course-survey"
    ),
    path(
        "my/certificates/<str:number>.pdf",
        views.certificate_download,
        name="certificate-pdf",
    ),
    path(
        "my/lessons/<int:lesson_id>/beacon/",
        views.heartbeat_beacon,
        name="heartbeat-beacon",
    ),
    path("certificates/verify/", views.certificate_lookup, name="certificate-lookup"),
    path(
        "certificates/verify/<str:number>",
        views.certificate_verify,
        name="certificate-verify",
    ),
]
