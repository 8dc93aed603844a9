"""seed_demo's demo course: three real captioned clips, a test and a survey, so that the
demo `learner` completes it and gets a certificate in minutes."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command

from cms.courses import CoursePage
from lms.accounts.models import User
from lms.learning.demo import DEMO_COURSE_SLUG
from lms.learning.selectors import course_state_for
from lms.learning.services import (
    certificate_issue,
    course_survey_submit,
    course_test_start,
    course_test_submit,
    enrollment_create,
)
from tests.lms.learning.simulate import Player
from tests.lms.learning.test_completion_rules import deliver

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_demo_learner_completes_the_demo_course_and_gets_a_certificate(
    settings, client
):
    call_command("seed_demo", "--quiet-table")
    call_command("seed_demo", "--quiet-table")  # idempotent
    course = CoursePage.objects.get(slug=DEMO_COURSE_SLUG)
    assert CoursePage.objects.filter(slug=DEMO_COURSE_SLUG).count() == 1
    lessons = list(course.get_children().live().specific())
    assert len(lessons) == 3
    for lesson in lessons:
        assert lesson.video.is_ready and lesson.video.captions.count() == 1
        assert lesson.duration == settings.LEARNING_DEMO_CLIP_SECONDS
        assert default_storage.size(lesson.video.master_playlist) > 100
        assert len(lesson.video.renditions) >= 1
    assert course.questions.count() >= 4 and course.survey_required
    handout = course.handouts[0].value["document"]
    assert handout.file.read(5) == b"%PDF-"
    assert handout.url in client.get(course.url).content.decode()
    assert CoursePage.objects.live().count() >= 9

    learner = User.objects.get(username="learner")
    enrollment = enrollment_create(user=learner, course=course)
    seconds = settings.LEARNING_DEMO_CLIP_SECONDS
    for offset, lesson in enumerate(lessons):
        beats = Player(duration=seconds, every=1.0, clock=offset * 60.0).start()
        deliver(learner, lesson, beats.play(seconds).beats)
    attempt = course_test_start(enrollment=enrollment)
    answers = {
        q.pk: q.answer for q in course.questions.filter(pk__in=attempt.question_ids)
    }
    assert course_test_submit(attempt=attempt, answers=answers).passed
    course_survey_submit(enrollment=enrollment, score=5)

    state = course_state_for(user=learner, course=course)
    assert state.completed and state.progress == 100.0
    certificate = certificate_issue(enrollment_id=enrollment.pk)
    assert certificate.learner_name == "정시민"
    assert "정*민" in client.get(certificate.get_absolute_url()).content.decode()
