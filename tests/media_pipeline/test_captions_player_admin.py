"""Captions (SRT/VTT in, WebVTT out, listed in the master playlist), the player include,
HLS file serving, and the Wagtail admin pages and chooser."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string

from core.problems import Problem
from media_pipeline import services
from media_pipeline.models import VideoAsset, VideoWindow
from media_pipeline.selectors import asset_playback
from tests.factories import UserFactory
from tests.media_pipeline.conftest import storage_bytes

pytestmark = pytest.mark.django_db

SRT = (
    "\ufeff1\r\n00:00:00,500 --> 00:00:02,000\r\n근로기준법 제50조\r\n\r\n"
    "2\r\n00:00:02,500 --> 00:00:04,000\r\n<script>alert(1)</script>1주 40시간\r\n"
).encode()


# What an upload may be: markup in a caption is refused at the door (core.uploads).
SRT_UPLOAD = SRT.replace(b"<script>alert(1)</script>", b"")


@pytest.fixture(scope="module")
def ready_asset_id(django_db_setup, django_db_blocker, clips, tmp_path_factory):
    """One ready asset shared by the tests of this module (transcoding is the slow part)."""
    from django.test import override_settings

    with (
        django_db_blocker.unblock(),
        override_settings(
            VIDEO_X264_PRESET="ultrafast",
            VIDEO_WORK_DIR=tmp_path_factory.mktemp("work"),
        ),
    ):
        asset = services.asset_import_file(path=clips["no_audio"], title="임금 1강")
    yield asset.pk
    with django_db_blocker.unblock():
        VideoAsset.objects.filter(pk=asset.pk).delete()


def test_srt_becomes_webvtt():
    vtt = services.captions_to_webvtt(SRT)
    assert vtt.startswith(
        "WEBVTT\n\n1\n00:00:00.500 --> 00:00:02.000\n근로기준법 제50조"
    )
    assert "<script>" not in vtt and "1주 40시간" in vtt


def test_not_a_caption_file_is_refused():
    with pytest.raises(Problem):
        services.captions_to_webvtt(b"just some words\nno cues")


def test_caption_listed_in_master_playlist_and_player(ready_asset_id):
    asset = VideoAsset.objects.get(pk=ready_asset_id)
    caption = services.caption_add(
        asset=asset,
        file=SimpleUploadedFile("lesson.srt", SRT_UPLOAD, "application/x-subrip"),
        sdh=True,
    )
    services.caption_add(
        asset=asset,
        language="en",
        label="English",
        file=SimpleUploadedFile("lesson-en.srt", SRT_UPLOAD, "application/x-subrip"),
    )
    assert storage_bytes(caption.vtt_path).startswith(b"WEBVTT")
    master = storage_bytes(asset.master_playlist).decode()
    ko = next(line for line in master.splitlines() if 'LANGUAGE="ko"' in line)
    en = next(line for line in master.splitlines() if 'LANGUAGE="en"' in line)
    assert ko.startswith('#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME="한국어"')
    # Apple's authoring specification: SDH subtitles say so, plain ones do not.
    assert (
        'CHARACTERISTICS="public.accessibility.transcribes-spoken-dialog,'
        'public.accessibility.describes-music-and-sound"' in ko
    )
    assert "CHARACTERISTICS" not in en
    assert all(
        'SUBTITLES="subs"' in line
        for line in master.splitlines()
        if "STREAM-INF" in line and "I-FRAME" not in line
    )
    prefix = asset.output_prefix
    vtt = storage_bytes(f"{prefix}/subs/ko.vtt").decode()
    header = vtt.split("\n\n", 1)[0].splitlines()
    assert header == ["WEBVTT", "X-TIMESTAMP-MAP=MPEGTS:0,LOCAL:00:00:00.000"]
    assert "00:00:00.500 --> 00:00:02.000" in vtt
    assert b"ko.vtt" in storage_bytes(f"{prefix}/subs/ko.m3u8")

    playback = asset_playback(asset=asset)
    assert playback["duration"] == pytest.approx(7, abs=0.2)
    assert [c["language"] for c in playback["captions"]] == ["ko", "en"]
    html = render_to_string(
        "media_pipeline/player.html", {"asset": asset, "player_id": "lesson-player"}
    )
    assert 'id="lesson-player"' in html
    src = re.search(r'data-hls-src="([^"]+)"', html)[1]
    assert src.startswith("/media/play/") and src.endswith(
        f"/v{asset.playback_version}/master.m3u8"
    )
    assert 'poster="' in html
    assert "media_pipeline/player.js" in html and "vendor/hls/hls.min.js" in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)  # no inline script


def test_player_says_not_ready_without_a_playlist():
    asset = VideoAsset.objects.create(title="준비 중")
    assert asset_playback(asset=asset) is None
    html = render_to_string(
        "media_pipeline/player.html", {"asset": asset, "player_id": "p"}
    )
    assert "<video" not in html and "준비" in html


@pytest.fixture
def editor(db):
    return UserFactory(
        username="video-admin", is_staff=True, is_superuser=True, name="최편집"
    )


def test_admin_listing_shows_state_progress_reason_and_masks_uploader(
    client, editor, django_assert_max_num_queries
):
    import uuid
    from datetime import datetime

    from core.time import SEOUL

    VideoAsset.objects.create(
        title="거부된 영상",
        state=VideoAsset.State.REJECTED,
        reason="영상이 없는 파일입니다.",
        uploaded_by=editor,
    )
    run = uuid.uuid4()
    playable = datetime(2026, 3, 2, 9, 30, 15, tzinfo=SEOUL)
    busy = VideoAsset.objects.create(
        title="변환 중 영상",
        state=VideoAsset.State.TRANSCODING,
        progress=42,
        run_id=run,
        playable_at=playable,
    )
    for index, (state, progress) in enumerate(
        [("done", 100), ("running", 37), ("pending", 0)]
    ):
        VideoWindow.objects.create(
            asset=busy,
            run_id=run,
            index=index,
            start=index * 60.0,
            end=index * 60.0 + 60,
            state=state,
            progress=progress,
            attempts=2 if index == 0 else 1,
        )
    VideoWindow.objects.create(
        asset=busy, run_id=run, kind="audio", index=0, start=0, end=180, state="done"
    )
    client.force_login(editor)
    with django_assert_max_num_queries(12):
        page = client.get("/admin/videos/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "거부됨" in html and "영상이 없는 파일입니다." in html
    assert 'value="42"' in html and "변환 중" in html
    assert "최*집" in html and "최편집" not in html
    # Progress per window, and when it became playable (Seoul time).
    assert "1/3 구간 완료" in html
    assert re.search(
        r'data-window="0" data-window-state="done">0–60초: 완료 \(다시 함\)', html
    )
    assert re.search(
        r'data-window="1" data-window-state="running">60–120초: 변환 중 <progress max="100" value="37">',
        html,
    )
    assert 'data-window="2" data-window-state="pending">120–180초: 대기' in html
    assert 'data-window="audio" data-window-state="done">음성: 완료' in html
    assert "2026-03-02 09:30:15" in html and "변환 중에도 재생 가능" in html


def test_admin_reprocess_and_delete(client, editor, django_capture_on_commit_callbacks):
    asset = VideoAsset.objects.create(
        title="실패", state=VideoAsset.State.FAILED, reason="x", retries=3
    )
    client.force_login(editor)
    with django_capture_on_commit_callbacks() as callbacks:
        client.post(f"/admin/videos/{asset.pk}/reprocess/")
    asset.refresh_from_db()
    assert (asset.state, asset.retries, asset.reason) == ("uploaded", 0, "")
    assert len(callbacks) == 1
    client.post(f"/admin/videos/{asset.pk}/delete/")
    assert not VideoAsset.objects.filter(pk=asset.pk).exists()


def test_upload_page_and_chooser(client, editor):
    client.force_login(editor)
    page = client.get("/admin/videos/upload/").content.decode()
    assert "media_pipeline/upload.js" in page and "<progress" in page
    VideoAsset.objects.create(title="노동조합 설립", state=VideoAsset.State.READY)
    chooser = client.get("/admin/video_chooser/")
    assert chooser.status_code == 200
    assert "노동조합 설립" in chooser.json()["html"]


def test_chooser_block_and_widget_are_importable():
    from media_pipeline.blocks import VideoChooserBlock
    from media_pipeline.widgets import VideoChooser

    asset = VideoAsset.objects.create(title="블록 영상")
    block = VideoChooserBlock()
    assert block.to_python(str(asset.pk)) == asset
    html = VideoChooser().render("video", asset.pk, attrs={"id": "id_video"})
    assert "블록 영상" in html and "영상 고르기" in html
