"""Online learning in real Chromium: a learner plays a real HLS lesson with hls.js, progress
rises on the page and in the API, a reload resumes; axe finds nothing on the learning pages;
the player and the course test work with the keyboard alone."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile

from cms.courses import LessonPage
from lms.learning.models import LessonProgress
from media_pipeline.models import VideoAsset
from media_pipeline.services import asset_import_file, caption_add
from tests.browser.conftest import axe_violations
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.factories.learning import course_page
from tests.lms.learning.simulate import Player
from tests.lms.learning.test_completion_rules import deliver
from tests.media_pipeline.conftest import _av

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

CLIP_SECONDS = 20
CAPTIONS = (
    "WEBVTT\n\n00:00.000 --> 00:04.000\n근로시간 단축의 뜻\n\n"
    "00:04.000 --> 00:20.000\n주 52시간 상한\n"
).encode()


def _hls_asset(title: str, workdir: Path) -> VideoAsset:
    """A real 20 s lesson run through the whole video pipeline, with Korean captions."""
    clip = _av(workdir / f"{title}.mp4", size="320x180", seconds=CLIP_SECONDS)
    asset = asset_import_file(path=clip, title=title)
    assert asset.state == VideoAsset.State.READY, asset.reason
    caption_add(asset=asset, file=SimpleUploadedFile("ko.vtt", CAPTIONS))
    return asset


def _serve_storage(page) -> list[str]:
    """The storage keys of the video outputs the page asks for (served by the app)."""
    asked: list[str] = []

    def record(request):
        found = re.search(r"(videos/hls/[^?]+|media/play/[^?]+)", request.url)
        if found:
            asked.append(found.group(1))

    page.on("request", record)
    return asked


@pytest.fixture(autouse=True)
def _local_video_storage(settings, tmp_path):
    # Local storage, so the live server serves the HLS outputs with their types.
    settings.STORAGES = {
        **django_settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VIDEO_X264_PRESET = "ultrafast"
    settings.VIDEO_WORK_DIR = tmp_path / "work"


@pytest.fixture
def hls_course(db, tmp_path):
    course = course_page(
        lessons=0,
        title="근로시간단축 제도 이해",
        questions=2,
        test_question_count=2,
        survey_required=True,
    )
    for number in (1, 2):
        lesson = LessonPage(
            title=f"{number}차시 근로시간", slug=f"hours-{number}", video=None
        )
        lesson.video = _hls_asset(f"근로시간 {number}", tmp_path)
        course.add_child(instance=lesson)
    return course


def _log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r".*/$"))


def _tab_to(page, selector: str, limit: int = 60) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(
            "s => document.activeElement && document.activeElement.matches(s)", selector
        ):
            return
    raise AssertionError(f"Tab never reached {selector}")


def _progress(page, course_id: int) -> dict:
    return page.request.get(f"/api/v1/me/courses/{course_id}/progress").json()


def test_learner_plays_hls_lesson_progress_rises_and_reload_resumes(page, hls_course):
    user = UserFactory(username="learner-b", name="정시민")
    asked = _serve_storage(page)
    _log_in(page, "learner-b")

    page.goto("/courses/")
    page.get_by_role("link", name="근로시간단축 제도 이해").click()
    page.get_by_role("button", name="수강 신청").click()
    page.get_by_role("link", name=re.compile("학습 시작")).click()

    video = page.locator("#lesson-video")
    page.wait_for_function(
        "() => document.getElementById('lesson-video').readyState >= 1"
    )
    # hls.js (Media Source Extensions) plays the playlist: a blob: source, .m3u8 and
    # segments fetched by the page.
    assert video.evaluate("v => v.currentSrc").startswith("blob:")
    assert any(key.endswith("master.m3u8") for key in asked)
    assert page.locator("#lesson-progress-value").inner_text() == "0.0%"

    # Keyboard only: Tab to the player; Space plays and pauses; → moves 5 s.
    _tab_to(page, "#lesson-video")
    page.keyboard.press(" ")
    page.wait_for_function(
        "() => document.getElementById('lesson-video').currentTime > 4"
    )
    page.keyboard.press(" ")
    page.wait_for_function("() => document.getElementById('lesson-video').paused")
    page.wait_for_function(
        "() => parseFloat(document.getElementById('lesson-progress-value').textContent) > 0"
    )
    shown = float(page.locator("#lesson-progress-value").inner_text().rstrip("%"))
    api = _progress(page, hls_course.pk)["lessons"][0]
    assert api["progress"] == shown > 0
    assert api["watched_seconds"] >= 3.5 and api["credited_seconds"] >= 3.0
    assert any(key.endswith(".m4s") for key in asked)
    before_seek = video.evaluate("v => v.currentTime")
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        f"() => document.getElementById('lesson-video').currentTime > {before_seek + 1}"
    )
    after_seek = video.evaluate("v => v.currentTime")
    assert after_seek - before_seek == pytest.approx(5, abs=0.5)

    # Play on, then reload: the page resumes where the last beat said.
    page.keyboard.press(" ")
    page.wait_for_function(
        f"() => document.getElementById('lesson-video').currentTime > {after_seek + 3}"
    )
    page.keyboard.press(" ")
    page.wait_for_function("() => document.getElementById('lesson-video').paused")
    page.wait_for_function(
        f"() => parseFloat(document.getElementById('lesson-progress-value').textContent) > {shown}"
    )
    stopped_at = video.evaluate("v => v.currentTime")
    saved = LessonProgress.objects.get(user=user).position
    assert saved == pytest.approx(stopped_at, abs=0.3)
    page.reload()
    page.wait_for_function(
        "() => document.getElementById('lesson-video').currentTime > 1"
    )
    assert video.evaluate("v => v.currentTime") == pytest.approx(saved, abs=0.6)
    assert _progress(page, hls_course.pk)["lessons"][0]["progress"] > shown


def test_learning_pages_have_no_axe_violations_and_test_works_by_keyboard(
    page, hls_course
):
    learner = UserFactory(username="learner-c", name="정시민")
    _serve_storage(page)
    _log_in(page, "learner-c")
    lesson = hls_course.get_children().first()

    page.goto(hls_course.url)
    page.get_by_role("button", name="수강 신청").click()
    for url in ["/", "/courses/", hls_course.url, lesson.url, "/my/"]:
        page.goto(url)
        violations = axe_violations(page)
        assert violations == [], (url, [(v["id"], v["help"]) for v in violations])

    # The test opens once every lesson is complete: both watched through, beat by beat.
    for offset, item in enumerate(hls_course.get_children().specific()):
        player = Player(duration=item.duration, clock=offset * 600.0).start()
        deliver(learner, item, player.play(item.duration).beats)

    # The course test with the keyboard alone: arrows choose, Tab moves, Enter submits.
    page.goto(hls_course.url)
    page.get_by_role("link", name="평가 보기").click()
    page.wait_for_url(re.compile(rf".*/my/courses/{hls_course.pk}/test/$"))
    violations = axe_violations(page)
    assert violations == [], [(v["id"], v["help"]) for v in violations]
    _tab_to(page, "input[type=radio]")
    page.keyboard.press("Space")  # the first choice: O
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "submit"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf".*/my/courses/{hls_course.pk}/test/\d+/$"))
    assert (
        "합격했습니다" in page.content()
        and "점수 <strong>100점</strong>" in page.content()
    )
    violations = axe_violations(page)
    assert violations == [], [(v["id"], v["help"]) for v in violations]

    page.get_by_role("link", name="강의로 돌아가기").click()
    page.get_by_role("link", name="응답하기").click()
    page.wait_for_url(re.compile(rf".*/my/courses/{hls_course.pk}/survey/$"))
    violations = axe_violations(page)
    assert violations == [], [(v["id"], v["help"]) for v in violations]


def test_beats_wait_while_the_server_is_unreachable_and_a_beacon_goes_on_page_hide(
    page, hls_course
):
    user = UserFactory(username="learner-d")
    _serve_storage(page)
    _log_in(page, "learner-d")
    page.goto(hls_course.url)
    page.get_by_role("button", name="수강 신청").click()
    lesson = hls_course.get_children().first()

    # The network drops every heartbeat: beats queue up in localStorage.
    page.route(re.compile(r".*/heartbeats$"), lambda route: route.abort())
    page.goto(lesson.url)
    page.wait_for_function(
        "() => document.getElementById('lesson-video').readyState >= 1"
    )
    page.evaluate("() => document.getElementById('lesson-video').play()")
    page.wait_for_function(
        "() => document.getElementById('lesson-video').currentTime > 3"
    )
    page.evaluate("() => document.getElementById('lesson-video').pause()")
    page.wait_for_function(
        "() => JSON.parse(localStorage.getItem('sla-beats:' + "
        f"{lesson.pk}) || '[]').length >= 2"
    )
    page.wait_for_selector("#lesson-sync-status:has-text('다시 보냅니다')")
    assert not LessonProgress.objects.filter(user=user).exists()

    # The network comes back: the retry delivers the queue and empties it.
    page.unroute(re.compile(r".*/heartbeats$"))
    page.wait_for_function(
        "() => parseFloat(document.getElementById('lesson-progress-value').textContent) > 0",
        timeout=30_000,
    )
    page.wait_for_function(
        f"() => JSON.parse(localStorage.getItem('sla-beats:{lesson.pk}') || '[]').length === 0"
    )
    watched = LessonProgress.objects.get(user=user).watched_seconds
    assert watched >= 2.5

    # Playing, then leaving the page without pausing: sendBeacon carries the last stretch.
    page.route(re.compile(r".*/heartbeats$"), lambda route: route.abort())
    page.evaluate("() => document.getElementById('lesson-video').play()")
    page.wait_for_function(
        "() => document.getElementById('lesson-video').currentTime > 6.5"
    )
    page.goto("/my/")
    for _ in range(50):
        progress = LessonProgress.objects.get(user=user)
        if progress.watched_seconds >= watched + 2.5:
            break
        page.wait_for_timeout(100)
    assert progress.watched_seconds >= watched + 2.5
