"""The player in real Chromium: hls.js plays the ladder, captions show, keys work."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.test import Client

from media_pipeline.services import asset_import_file, caption_add
from tests.factories import UserFactory
from tests.media_pipeline.conftest import _av

SRT = b"1\n00:00:00,000 --> 00:00:06,000\n\xec\x9e\x90\xeb\xa7\x89 \xed\x85\x8c\xec\x8a\xa4\xed\x8a\xb8\n"


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_player_plays_hls_with_captions_and_keyboard(
    page, live_server, settings, tmp_path
):
    # Local storage, so the live server serves the outputs with their HLS types.
    settings.STORAGES = {
        **django_settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VIDEO_X264_PRESET = "ultrafast"
    settings.VIDEO_WORK_DIR = tmp_path / "work"
    from django.core.files.uploadedfile import SimpleUploadedFile

    clip = _av(tmp_path / "lesson.mp4", size="1280x720", seconds=8)
    asset = asset_import_file(path=clip, title="플레이어 시험")
    assert asset.state == "ready", asset.reason
    caption_add(asset=asset, file=SimpleUploadedFile("ko.srt", SRT))
    user = UserFactory(username="player-admin", is_staff=True, is_superuser=True)
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
    page.goto(f"/admin/videos/{asset.pk}/")
    video = page.locator("video#admin-player")
    video.wait_for()
    page.wait_for_function(
        "() => { const v = document.getElementById('admin-player');"
        " return v.readyState >= 1 && v.duration > 7; }"
    )
    assert page.evaluate("() => !!document.getElementById('admin-player').hls")
    levels = page.evaluate(
        "() => document.getElementById('admin-player').hls.levels.map(l => l.height)"
    )
    assert sorted(levels) == [360, 540, 720]
    assert (
        page.evaluate(
            "() => document.getElementById('admin-player').textTracks[0].language"
        )
        == "ko"
    )

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
