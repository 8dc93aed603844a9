"""Private playback: playlists only for the holder of a grant, every media URI signed
for minutes, the first playable master while later windows are still encoding."""

from __future__ import annotations

import re
import time
import uuid
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client, override_settings

from media_pipeline import playback, services
from media_pipeline.models import VideoAsset, VideoWindow
from media_pipeline.selectors import asset_playback
from tests.factories import UserFactory
from tests.media_pipeline import hls_reader
from tests.media_pipeline.conftest import storage_bytes

pytestmark = pytest.mark.django_db

LOCAL = {
    **django_settings.STORAGES,
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
}


@pytest.fixture(scope="module")
def chunked_asset_id(django_db_setup, django_db_blocker, chunk_clips, tmp_path_factory):
    """A ready asset of three windows, in whatever storage the suite runs against."""
    with (
        django_db_blocker.unblock(),
        override_settings(
            VIDEO_X264_PRESET="ultrafast",
            VIDEO_WORK_DIR=tmp_path_factory.mktemp("work"),
            VIDEO_WINDOW_SECONDS=6,
            VIDEO_FIRST_WINDOW_SECONDS=6,
        ),
    ):
        asset = services.asset_import_file(path=chunk_clips["landscape"], title="사설")
    assert asset.state == "ready", asset.reason
    yield asset.pk
    with django_db_blocker.unblock():
        VideoAsset.objects.filter(pk=asset.pk).delete()


@pytest.fixture
def viewer(db):
    return UserFactory(username=f"viewer-{uuid.uuid4().hex[:6]}")


def _client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _fetch_url(client: Client, url: str, headers=None) -> tuple[int, bytes]:
    """A media URI as a browser fetches it: ours through the test client, S3's over
    HTTP from the endpoint."""
    if url.startswith("/"):
        response = client.get(url, headers=headers or {})
        body = (
            b"".join(response.streaming_content)
            if response.streaming
            else response.content
        )
        return response.status_code, body
    response = requests.get(url, headers=headers or {}, timeout=30)
    return response.status_code, response.content


def test_playlists_only_for_the_viewer_the_grant_was_issued_to(
    chunked_asset_id, viewer, settings
):
    asset = VideoAsset.objects.get(pk=chunked_asset_id)
    master_url = asset_playback(asset=asset, user=viewer)["master_url"]
    assert re.fullmatch(
        rf"/media/play/[^/]+/v{asset.playback_version}/master\.m3u8", master_url
    )

    mine = _client_for(viewer).get(master_url)
    assert mine.status_code == 200
    assert mine["Content-Type"] == "application/vnd.apple.mpegurl"
    assert mine["Cache-Control"] == (
        f"private, max-age={settings.VIDEO_PLAYLIST_CACHE_SECONDS}"
    )
    assert hls_reader.master(mine.content.decode())["variants"]

    # Anonymous, another learner, a forged grant, a grant that has expired: 404.
    assert _client_for(None).get(master_url).status_code == 404
    assert _client_for(UserFactory()).get(master_url).status_code == 404
    grant = master_url.split("/")[3]
    forged = master_url.replace(grant, grant[:-4] + "AAAA")
    assert _client_for(viewer).get(forged).status_code == 404
    settings.VIDEO_PLAYBACK_GRANT_SECONDS = -1
    assert _client_for(viewer).get(master_url).status_code == 404


def test_every_media_uri_is_signed_for_minutes_and_serves_its_bytes(
    chunked_asset_id, viewer, settings
):
    asset = VideoAsset.objects.get(pk=chunked_asset_id)
    client = _client_for(viewer)
    master_url = asset_playback(asset=asset, user=viewer)["master_url"]
    base = master_url.rsplit("/", 1)[0]
    variant = hls_reader.master(client.get(master_url).content.decode())["variants"][-1]
    text = client.get(f"{base}/{variant['uri']}").content.decode()
    media = hls_reader.media(text)
    uris = [media.init_uri, *(e.uri for e in media.entries)]
    now = time.time()
    for uri in uris:
        query = parse_qs(urlsplit(uri).query)
        if playback.storage_is_remote():
            assert query["X-Amz-Expires"] == [str(settings.VIDEO_SIGNED_URL_SECONDS)]
            assert query["X-Amz-Signature"]
        else:
            assert uri.startswith("/media/signed/videos/hls/")
            left = int(query["expires"][0]) - now
            assert (
                settings.VIDEO_SIGNED_URL_SECONDS - 5
                < left
                <= (settings.VIDEO_SIGNED_URL_SECONDS)
            )
    assert settings.VIDEO_SIGNED_URL_SECONDS <= 600  # minutes, not hours
    # Each byte range is what the stored file holds there, fetched with a Range header.
    entry = media.entries[1]
    name = next(
        f"{asset.output_prefix}/{job.outputs['folder']}/360p.mp4"
        for job in VideoWindow.objects.filter(asset=asset, kind="video", index=1)
    )
    status, body = _fetch_url(
        client,
        entry.uri,
        {"Range": f"bytes={entry.offset}-{entry.offset + entry.length - 1}"},
    )
    assert status == 206
    assert body == storage_bytes(name)[entry.offset : entry.offset + entry.length]
    # The caption playlist names its WebVTT file the same way.
    services.caption_add(
        asset=asset,
        file=ContentFile(
            b"1\n00:00:01,000 --> 00:00:03,000\n\xec\x9e\x90\xeb\xa7\x89\n", "a.srt"
        ),
    )
    asset.refresh_from_db()
    master_url = asset_playback(asset=asset, user=viewer)["master_url"]
    subs = client.get(master_url.replace("master.m3u8", "subs/ko.m3u8"))
    assert subs.status_code == 200
    vtt_uri = hls_reader.media(subs.content.decode()).entries[0].uri
    status, body = _fetch_url(client, vtt_uri)
    assert status == 200 and body.startswith(b"WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:0")


def test_local_signed_url_answers_403_after_its_lifetime_and_404_when_tampered(
    settings, tmp_path
):
    # Through the settings fixture alone: mixed with @override_settings, its undo
    # would leave the local storage in place for the tests after this one.
    settings.STORAGES = LOCAL
    settings.MEDIA_ROOT = tmp_path
    name = f"videos/hls/{uuid.uuid4()}/run/w0000.abcd/360p.mp4"
    default_storage.save(name, ContentFile(b"0123456789" * 10))
    client = Client()
    url = playback.local_signed_url(name, lifetime=1)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"0123456789" * 10
    assert response["Content-Type"] == "video/mp4"
    assert response["X-Content-Type-Options"] == "nosniff"
    part = client.get(url, headers={"Range": "bytes=10-19"})
    assert part.status_code == 206 and part.content == b"0123456789"
    assert part["Content-Range"] == "bytes 10-19/100"
    assert client.get(url, headers={"Range": "bytes=200-"}).status_code == 416
    assert client.get(url.replace("signature=", "signature=0")).status_code == 404
    assert client.get(url.split("?")[0]).status_code == 404
    time.sleep(2.1)
    expired = client.get(url)
    assert expired.status_code == 403


def test_first_playable_master_while_later_windows_encode(
    chunk_clips, small_windows, viewer, django_capture_on_commit_callbacks
):
    """The first window and the audio make a playable EVENT master; its URL changes
    with each window; the lesson's duration is the probed one from the start."""
    asset = VideoAsset.objects.create(title="일찍 보기", original_filename="a.mp4")
    with chunk_clips["landscape"].open("rb") as handle:
        key = default_storage.save(f"videos/sources/{asset.pk}/source.mp4", handle)
    VideoAsset.objects.filter(pk=asset.pk).update(source_path=key, state="uploaded")
    # Plan the run as a worker would; the window tasks it queues are held (they would
    # be sent on commit) and the jobs are run here one by one instead.
    with django_capture_on_commit_callbacks() as queued:
        assert services.asset_process(asset_id=asset.pk) == services.Outcome.DONE
    asset.refresh_from_db()
    jobs = list(VideoWindow.objects.filter(asset=asset, run_id=asset.run_id))
    assert len(jobs) == 4 and len(queued) == 1  # three windows and the audio: a group
    assert asset.state == "transcoding" and asset.playable_at is None
    assert asset.duration == pytest.approx(19, abs=0.1)
    assert asset_playback(asset=asset, user=viewer) is None

    window0 = next(j for j in jobs if j.kind == "video" and j.index == 0)
    audio = next(j for j in jobs if j.kind == "audio")
    window2 = next(j for j in jobs if j.kind == "video" and j.index == 2)
    for job in (window0, window2):
        assert services.job_run(job_id=job.pk) == services.Outcome.DONE
    asset.refresh_from_db()
    assert asset.playable_at is None  # no audio yet
    services.job_run(job_id=audio.pk)
    asset.refresh_from_db()
    assert asset.playable_at is not None and asset.state == "transcoding"
    first = asset_playback(asset=asset, user=viewer)
    assert first["ready"] is False and first["duration"] == pytest.approx(19, abs=0.1)
    client = _client_for(viewer)
    base = first["master_url"].rsplit("/", 1)[0]
    top = hls_reader.master(client.get(first["master_url"]).content.decode())
    media = hls_reader.media(
        client.get(f"{base}/{top['variants'][0]['uri']}").content.decode()
    )
    # Window 1 is missing: only the first window is listed, as a growing EVENT playlist.
    assert "#EXT-X-PLAYLIST-TYPE:EVENT" in media.tags and not media.ended
    assert [round(e.duration) for e in media.entries] == [6]
    response = client.get(f"{base}/{top['variants'][0]['uri']}")
    assert response["Cache-Control"] == "private, max-age=2"
    _progress_uses_the_probed_duration(asset, viewer, client)

    window1 = next(j for j in jobs if j.kind == "video" and j.index == 1)
    services.job_run(job_id=window1.pk, queue_join=False)
    asset.refresh_from_db()
    later = asset_playback(asset=asset, user=viewer)
    assert later["master_url"] != first["master_url"]  # a new version, a new URL
    assert asset.state == "publishing"
    services.join_run(asset_id=asset.pk, run_id=asset.run_id)
    asset.refresh_from_db()
    assert asset.state == "ready" and asset.ready_at >= asset.playable_at
    done = asset_playback(asset=asset, user=viewer)
    base = done["master_url"].rsplit("/", 1)[0]
    media = hls_reader.media(
        client.get(f"{base}/{top['variants'][0]['uri']}").content.decode()
    )
    assert "#EXT-X-PLAYLIST-TYPE:VOD" in media.tags and media.ended
    assert len(media.entries) == 4


def _progress_uses_the_probed_duration(asset, learner, client) -> None:
    """While only 6 s can be played, a lesson of this video lasts the probed 19 s: a
    beat over the first 6 s is about a third of it, not all of it."""
    from cms.courses import LessonPage
    from tests.factories.learning import course_page

    services.caption_add(
        asset=asset, file=ContentFile(b"1\n00:00:00,000 --> 00:00:02,000\nA\n", "a.srt")
    )
    course = course_page(lessons=0)
    lesson = LessonPage(title="1차시", slug=f"early-{asset.pk.hex[:6]}", video=asset)
    course.add_child(instance=lesson)
    detail = client.get(f"/api/v1/courses/{course.pk}").json()
    assert detail["lessons"][0]["duration"] == pytest.approx(asset.duration)
    assert client.post(f"/api/v1/courses/{course.pk}/enrollment").status_code == 200
    beat = client.post(
        f"/api/v1/lessons/{lesson.pk}/heartbeats",
        {
            "session_id": str(uuid.uuid4()),
            "seq": 0,
            "ranges": [[0, 6]],
            "position": 6,
            "playback_rate": 1.0,
        },
        content_type="application/json",
    ).json()
    assert beat["watched_seconds"] == 6.0
    assert beat["progress"] <= round(6 / asset.duration * 100) + 1
    assert beat["completed"] is False
