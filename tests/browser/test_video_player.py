"""The player in real Chromium: hls.js plays the ladder with captions, keys work; on a
private bucket of the S3 endpoint every media file comes through a presigned URL, and
a playlist answers only the viewer its page was shown to."""

from __future__ import annotations

import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from media_pipeline import playback
from media_pipeline.services import asset_import_file, caption_add
from tests.conftest import require_service
from tests.factories import UserFactory
from tests.media_pipeline.conftest import _av

SRT = b"1\n00:00:00,000 --> 00:00:30,000\n\xec\x9e\x90\xeb\xa7\x89 \xed\x85\x8c\xec\x8a\xa4\xed\x8a\xb8\n"


def _log_in_page(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_player_plays_hls_with_captions_and_keyboard(
    page, live_server, settings, tmp_path
):
    # Local storage: the live server serves the outputs through signed URLs.
    settings.STORAGES = {
        **django_settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VIDEO_X264_PRESET = "ultrafast"
    settings.VIDEO_WORK_DIR = tmp_path / "work"
    settings.VIDEO_WINDOW_SECONDS = 6
    settings.VIDEO_FIRST_WINDOW_SECONDS = 6

    clip = _av(tmp_path / "lesson.mp4", size="1280x720", seconds=19)
    asset = asset_import_file(path=clip, title="플레이어 시험")
    assert asset.state == "ready", asset.reason
    caption_add(asset=asset, file=SimpleUploadedFile("ko.srt", SRT), sdh=True)
    user = UserFactory(username="player-admin", is_staff=True, is_superuser=True)
    _log_in_page(page, live_server, user)
    fetched: list[str] = []
    page.on("requestfinished", lambda request: fetched.append(request.url))
    page.goto(f"/admin/videos/{asset.pk}/")
    video = page.locator("video#admin-player")
    video.wait_for()
    page.wait_for_function(
        "() => { const v = document.getElementById('admin-player');"
        " return v.readyState >= 1 && v.duration > 18; }"
    )
    assert page.evaluate("() => !!document.getElementById('admin-player').hls")
    levels = page.evaluate(
        "() => document.getElementById('admin-player').hls.levels.map(l => l.height)"
    )
    assert sorted(levels) == [360, 540, 720]
    page.wait_for_function(
        "() => document.getElementById('admin-player').textTracks.length > 0"
    )
    track = page.evaluate(
        "() => { const t = document.getElementById('admin-player').textTracks[0];"
        " return [t.language, t.mode]; }"
    )
    assert track == ["ko", "showing"]

    video.focus()
    page.keyboard.press("ArrowRight")  # +5 s
    page.wait_for_function(
        "() => document.getElementById('admin-player').currentTime >= 4.9"
    )
    page.keyboard.press("ArrowLeft")
    page.wait_for_function(
        "() => document.getElementById('admin-player').currentTime < 0.1"
    )
    page.keyboard.press("m")
    assert page.evaluate("() => document.getElementById('admin-player').muted")
    page.keyboard.press("k")
    page.wait_for_function(
        "() => document.getElementById('admin-player').currentTime > 0.5"
    )
    # The caption shows while it plays.
    page.wait_for_function(
        "() => { const t = document.getElementById('admin-player').textTracks[0];"
        " return t.activeCues && t.activeCues.length > 0; }"
    )
    signed = [u for u in fetched if "/media/signed/videos/hls/" in u]
    assert signed and all("signature=" in u and "expires=" in u for u in signed)
    assert not [u for u in fetched if re.search(r"/media/videos/hls/", u)]


@pytest.mark.slow
@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_hls_js_plays_a_lesson_from_a_private_bucket(
    page, live_server, settings, tmp_path
):
    """Issue 15, Show 5: the S3 endpoint of CI (moto), the bucket private; hls.js plays
    a lesson with captions on; the playlist is the learner's alone."""
    require_service("AWS_S3_ENDPOINT_URL", "a private bucket on an S3 endpoint")
    if not playback.storage_is_remote():
        pytest.fail("AWS_S3_ENDPOINT_URL is set but the default storage is not S3")
    from django.core.files.storage import default_storage

    from cms.courses import LessonPage
    from lms.learning.services import enrollment_create
    from tests.factories.learning import course_page

    s3 = default_storage.connection.meta.client
    bucket = default_storage.bucket_name
    grants = s3.get_bucket_acl(Bucket=bucket)["Grants"]
    assert not [g for g in grants if "AllUsers" in str(g.get("Grantee"))]
    s3.put_bucket_cors(
        Bucket=bucket,
        CORSConfiguration={
            "CORSRules": [
                {
                    "AllowedOrigins": [live_server.url],
                    "AllowedMethods": ["GET", "HEAD"],
                    "AllowedHeaders": ["*"],
                    "ExposeHeaders": ["Content-Length", "Content-Range"],
                    "MaxAgeSeconds": 60,
                }
            ]
        },
    )
    settings.VIDEO_X264_PRESET = "ultrafast"
    settings.VIDEO_WORK_DIR = tmp_path / "work"
    settings.VIDEO_WINDOW_SECONDS = 6
    settings.VIDEO_FIRST_WINDOW_SECONDS = 6
    settings.VIDEO_SIGNED_URL_SECONDS = 120
    clip = _av(tmp_path / "private.mp4", size="640x360", seconds=19)
    asset = asset_import_file(path=clip, title="사설 버킷 영상")
    assert asset.state == "ready", asset.reason
    caption_add(asset=asset, file=SimpleUploadedFile("ko.srt", SRT), sdh=True)
    course = course_page(lessons=0, title="사설 버킷 강의")
    lesson = LessonPage(title="1차시", slug="private-1", video=asset)
    course.add_child(instance=lesson)
    learner = UserFactory(username="private-learner")
    enrollment_create(user=learner, course=course)
    _log_in_page(page, live_server, learner)
    fetched: list[str] = []
    page.on("requestfinished", lambda request: fetched.append(request.url))
    page.goto(lesson.url)
    page.wait_for_function(
        "() => { const v = document.getElementById('lesson-video');"
        " return v && v.readyState >= 1 && v.duration > 18; }"
    )
    page.evaluate(
        "() => { const v = document.getElementById('lesson-video');"
        " v.muted = true; v.play(); }"
    )
    page.wait_for_function(
        "() => document.getElementById('lesson-video').currentTime > 7", timeout=40_000
    )
    page.wait_for_function(
        "() => { const t = document.getElementById('lesson-video').textTracks[0];"
        " return t && t.mode === 'showing' && t.activeCues && t.activeCues.length > 0; }"
    )
    endpoint = django_settings.AWS_S3_ENDPOINT_URL.rstrip("/")
    from_bucket = [u for u in fetched if u.startswith(endpoint)]
    assert any(".mp4" in u for u in from_bucket)  # video byte ranges
    assert any(".vtt" in u for u in from_bucket)  # the captions
    for url in from_bucket:
        query = parse_qs(urlsplit(url).query)
        assert query["X-Amz-Expires"] == ["120"] and query["X-Amz-Signature"], url
    masters = [u for u in fetched if u.endswith("/master.m3u8")]
    assert masters and all("/media/play/" in u for u in masters)

    # Anonymous, and another learner: the same playlist URL answers 404.
    anonymous = page.context.browser.new_context()
    try:
        assert anonymous.request.get(masters[0]).status == 404
        media = masters[0].replace("master.m3u8", "360p.m3u8")
        assert anonymous.request.get(media).status == 404
    finally:
        anonymous.close()
    assert page.request.get(masters[0]).status == 200
    other = UserFactory(username="other-learner")
    _log_in_page(page, live_server, other)
    assert page.request.get(masters[0]).status == 404
    # A page the other learner may not see issues no grant at all.
    page.goto(lesson.url)
    assert page.locator("#lesson-video").count() == 0


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_expired_signed_segment_url_answers_403_in_the_browser(
    page, live_server, settings, tmp_path
):
    settings.STORAGES = {
        **django_settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    name = "videos/hls/expiry/run/w0000.aaaa/360p.mp4"
    default_storage.save(name, ContentFile(b"\x00" * 64))
    url = live_server.url + playback.local_signed_url(name, lifetime=2)
    assert page.request.get(url).status == 200
    time.sleep(3)
    assert page.request.get(url).status == 403
