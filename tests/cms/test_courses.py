"""Course pages in Wagtail: a course that requires captions refuses to publish a lesson
whose video has none, from code, a schedule or the admin's publish button."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from cms.courses import LessonPage
from tests.factories import UserFactory
from tests.factories.learning import course_page, video_asset

pytestmark = pytest.mark.django_db


def test_lesson_without_captions_cannot_be_published_in_a_captioned_course():
    course = course_page(lessons=0)  # captions required by default
    assert course.captions_required
    lesson = LessonPage(title="자막 없는 차시", slug="no-captions", live=False)
    lesson.video = video_asset(captions=False)
    course.add_child(instance=lesson)  # a draft is fine

    with pytest.raises(ValidationError, match="자막이 필수"):
        lesson.save_revision().publish()
    lesson.refresh_from_db()
    assert not lesson.live


def test_lesson_with_captions_or_in_a_course_without_the_rule_publishes():
    captioned = course_page(lessons=0)
    lesson = LessonPage(title="자막 있는 차시", slug="captioned", live=False)
    lesson.video = video_asset(captions=True)
    captioned.add_child(instance=lesson)
    lesson.save_revision().publish()
    assert LessonPage.objects.get(pk=lesson.pk).live

    relaxed = course_page(lessons=0, captions_required=False)
    other = LessonPage(title="자막 없음", slug="relaxed", live=False)
    other.video = video_asset(captions=False)
    relaxed.add_child(instance=other)
    other.save_revision().publish()
    assert LessonPage.objects.get(pk=other.pk).live


def test_admin_publish_button_keeps_a_draft_and_says_why(client):
    course = course_page(lessons=0)
    lesson = LessonPage(title="자막 없는 차시", slug="admin-no-captions", live=False)
    lesson.video = video_asset(captions=False)
    course.add_child(instance=lesson)
    client.force_login(UserFactory(is_superuser=True))

    response = client.post(
        f"/admin/pages/{lesson.pk}/edit/",
        nested_form_data(
            {
                "title": lesson.title,
                "slug": lesson.slug,
                "video": str(lesson.video_id),
                "required": "on",
                "summary": "",
                "transcript": rich_text(""),
                "materials": streamfield([]),
                "action-publish": "publish",
            }
        ),
        follow=True,
    )

    assert "자막이 필수" in response.content.decode()
    lesson.refresh_from_db()
    assert not lesson.live


def test_course_editor_has_rules_and_question_bank_tabs(client):
    course = course_page(lessons=1, questions=1)
    client.force_login(UserFactory(is_superuser=True))

    html = client.get(f"/admin/pages/{course.pk}/edit/").content.decode()

    for text in (
        "이수 기준·평가",
        "문제 은행",
        "평가 합격 점수",
        "자막 필수",
        "하루 최대 이수 차시",
    ):
        assert text in html
    add = client.get(f"/admin/pages/add/cms/lessonpage/{course.pk}/")
    assert add.status_code == 200 and "수료에 필요한 차시" in add.content.decode()
