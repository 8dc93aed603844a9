"""Captions (SRT/VTT in, WebVTT out, listed in the master playlist), the player include,
HLS file serving, and the Wagtail admin pages and chooser."""

from __future__ import annotations

import re

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string

from config.problems import Problem
from media_pipeline import services, uploads
from media_pipeline.models import VideoAsset
from media_pipeline.selectors import asset_playback
from tests.factories import UserFactory
from tests.media_pipeline.conftest import storage_bytes

pytestmark = pytest.mark.django_db

SRT = (
    "\ufeff1\r\n00:00:00,500 --> 00:00:02,000\r\n근로기준법 제50조\r\n\r\n"
    "2\r\n00:00:02,500 --> 00:00:04,000\r\n<script>alert(1)</script>1주 40시간\r\n"
).encode()


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
        asset=asset, file=SimpleUploadedFile("lesson.srt", SRT, "application/x-subrip")
    )
    assert storage_bytes(caption.vtt_path).startswith(b"WEBVTT")
    master = storage_bytes(asset.master_playlist).decode()
    assert re.search(
        r'#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME="한국어",LANGUAGE="ko"',
        master,
    )
    assert all(
        'SUBTITLES="subs"' in line
        for line in master.splitlines()
        if "STREAM-INF" in line
    )
    prefix = asset.output_prefix
    assert storage_bytes(f"{prefix}/subs/ko.vtt").startswith(b"WEBVTT")
    assert b"ko.vtt" in storage_bytes(f"{prefix}/subs/ko.m3u8")

    playback = asset_playback(asset=asset)
    assert playback["duration"] == pytest.approx(7, abs=0.2)
    assert playback["captions"][0]["language"] == "ko"
    html = render_to_string(
        "media_pipeline/player.html", {"asset": asset, "player_id": "lesson-player"}
    )
    assert 'id="lesson-player"' in html
    assert f'data-hls-src="{playback["master_url"]}"' in html.replace("&amp;", "&")
    assert 'poster="' in html and 'kind="captions"' in html and 'srclang="ko"' in html
    assert "media_pipeline/player.js" in html and "vendor/hls/hls.min.js" in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)  # no inline script


def test_public_base_url_for_outputs_on_a_private_bucket(settings, ready_asset_id):
    settings.VIDEO_PUBLIC_BASE_URL = "https://cdn.example.org/media/"
    asset = VideoAsset.objects.get(pk=ready_asset_id)
    playback = asset_playback(asset=asset)
    assert (
        playback["master_url"]
        == f"https://cdn.example.org/media/{asset.master_playlist}"
    )
    assert playback["poster_url"].startswith(
        "https://cdn.example.org/media/videos/hls/"
    )


def test_player_says_not_ready_without_a_playlist():
    asset = VideoAsset.objects.create(title="준비 중")
    assert asset_playback(asset=asset) is None
    html = render_to_string(
        "media_pipeline/player.html", {"asset": asset, "player_id": "p"}
    )
    assert "<video" not in html and "준비" in html


def test_hls_outputs_served_with_hls_content_types(client, ready_asset_id):
    if uploads.storage_is_s3():
        pytest.skip("S3 serves the outputs itself")
    asset = VideoAsset.objects.get(pk=ready_asset_id)
    playlist = client.get(default_storage.url(asset.master_playlist))
    assert playlist.status_code == 200
    assert playlist["Content-Type"] == "application/vnd.apple.mpegurl"
    outside = client.get("/media/videos/hls/../../../../etc/passwd")
    assert outside.status_code == 404


@pytest.fixture
def editor(db):
    return UserFactory(
        username="video-admin", is_staff=True, is_superuser=True, name="최편집"
    )


def test_admin_listing_shows_state_progress_reason_and_masks_uploader(client, editor):
    VideoAsset.objects.create(
        title="거부된 영상",
        state=VideoAsset.State.REJECTED,
        reason="영상이 없는 파일입니다.",
        uploaded_by=editor,
    )
    VideoAsset.objects.create(
        title="변환 중 영상", state=VideoAsset.State.TRANSCODING, progress=42
    )
    client.force_login(editor)
    page = client.get("/admin/videos/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "거부됨" in html and "영상이 없는 파일입니다." in html
    assert 'value="42"' in html and "변환 중" in html
    assert "최*집" in html and "최편집" not in html


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
