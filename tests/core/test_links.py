"""Every absolute link comes from core.links: the served port in development, the
configured public address in production."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.links import absolute_url

ROOT = Path(__file__).resolve().parents[2]


def _settings_of(module: str, **env: str) -> dict:
    """PUBLIC_URL and friends as a fresh process with this environment computes them."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"PUBLIC_URL", "SITE_URL", "PORT"}
    }
    clean.update(DJANGO_SETTINGS_MODULE=module, **env)
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.PUBLIC_URL, s.PUBLIC_URL_FROM_REQUEST, s.WAGTAILADMIN_BASE_URL]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_make_runs_port_reaches_links_made_outside_a_request():
    url, from_request, wagtail = _settings_of("config.settings.dev", PORT="8010")

    assert url == "http://127.0.0.1:8010"
    assert from_request is True
    assert wagtail == url


def test_production_links_are_the_configured_public_address():
    env = {"SECRET_KEY": "p" * 60, "ALLOWED_HOSTS": "academy.example.org"}
    assert _settings_of("config.settings.production", **env)[:2] == [
        "https://academy.example.org",
        False,
    ]
    named = _settings_of(
        "config.settings.production", PUBLIC_URL="https://edu.example.org", **env
    )
    assert named[0] == "https://edu.example.org"


def test_in_development_a_link_follows_the_port_the_request_was_served_on(rf, settings):
    settings.PUBLIC_URL_FROM_REQUEST = True
    settings.PUBLIC_URL = "http://127.0.0.1:8000"
    request = rf.get("/", HTTP_HOST="127.0.0.1:8010")

    assert absolute_url("/certificates/verify/X", request=request) == (
        "http://127.0.0.1:8010/certificates/verify/X"
    )
    assert absolute_url("/org/join/abc/") == "http://127.0.0.1:8000/org/join/abc/"


def test_in_production_a_spoofed_host_changes_no_link(rf, settings):
    settings.PUBLIC_URL_FROM_REQUEST = False
    settings.PUBLIC_URL = "https://academy.example.org/"
    settings.ALLOWED_HOSTS = ["*"]
    request = rf.get("/", HTTP_HOST="evil.example.com")

    assert absolute_url("/outreach/trainer/", request=request) == (
        "https://academy.example.org/outreach/trainer/"
    )
    with pytest.raises(ValueError):
        absolute_url("outreach/trainer/")
