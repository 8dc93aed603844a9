"""`make run` as the README promises it: served on the PORT asked for, with demo accounts,
links that name that port, a worker that answers, and nothing left behind on TERM."""

from __future__ import annotations

import html
import http.cookiejar
import json
import re
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import psutil
import pytest

from lms.accounts.demo_guard import DEMO_PASSWORD
from lms.demo.services import DEMO_ACCOUNTS
from lms.learning.demo import DEMO_COURSE_SLUG
from media_pipeline.ffmpeg import media_tools
from tests.conftest import EXPECT_BUNDLED_TOOLS
from tests.running import running_product

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


class Browser:
    """Just enough of a browser for Django's login form: cookies and the CSRF token."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar)
        )

    def get(self, path: str) -> tuple[int, str]:
        try:
            with self.opener.open(self.base + path, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def post(self, path: str, data: dict, *, as_json: bool = False) -> tuple[int, str]:
        if as_json:
            body = json.dumps(data).encode()
            headers = {"Content-Type": "application/json"}
        else:
            body = urllib.parse.urlencode(data).encode()
            headers = {"Referer": self.base + path}
        request = urllib.request.Request(self.base + path, data=body, headers=headers)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def log_in(self, username: str) -> None:
        _, form = self.get("/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        status, _ = self.post(
            "/accounts/login/",
            {
                "csrfmiddlewaretoken": token,
                "login": username,
                "password": DEMO_PASSWORD,
            },
        )
        assert status == 200, status


def _fetch(browser: Browser, url: str) -> bytes:
    with browser.opener.open(urllib.parse.urljoin(browser.base, url), timeout=30) as r:
        assert r.status == 200, url
        return r.read()


def _lesson_plays(browser: Browser) -> None:
    browser.log_in("learner")
    lesson = f"/courses/{DEMO_COURSE_SLUG}/lesson-1/"
    status, page = browser.get(lesson)
    assert status == 200, page[-2000:]
    enrol = re.search(r'action="(/my/courses/[0-9]+/enroll/)"', page)
    if "data-hls-src" not in page and enrol:  # 수강 신청 first, as the page offers
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        browser.post(enrol.group(1), {"csrfmiddlewaretoken": token.group(1)})
        status, page = browser.get(lesson)
    master_url = html.unescape(re.search(r'data-hls-src="([^"]+)"', page).group(1))
    master = _fetch(browser, master_url).decode()
    variant_url = urllib.parse.urljoin(
        urllib.parse.urljoin(browser.base, master_url),
        next(line for line in master.splitlines() if line and not line.startswith("#")),
    )
    variant = _fetch(browser, variant_url).decode()
    init = re.search(r'#EXT-X-MAP:URI="([^"]+)"', variant)
    first = next(line for line in variant.splitlines() if line and line[0] != "#")
    media = b"".join(
        _fetch(browser, urllib.parse.urljoin(variant_url, part))
        for part in ([init.group(1)] if init else []) + [first]
    )
    probe = subprocess.run(
        [
            media_tools().ffprobe,
            "-v",
            "error",
            "-show_entries",
            "stream=codec_type",
            "-of",
            "csv=p=0",
            "-",
        ],
        input=media,
        capture_output=True,
        check=True,
    )
    assert b"video" in probe.stdout, probe.stderr


def test_make_run_serves_on_its_port_and_term_to_its_group_leaves_nothing(tmp_path):
    with running_product(tmp_path) as product:
        base, make, log = product.base, product.process, product.log
        browser = Browser(base)

        # The pages of the README's table answer.
        assert browser.get("/")[0] == 200
        assert browser.get("/api/v1/docs")[0] == 200
        status, admin_login = browser.get("/admin/login/")
        assert status == 200 and "로그인" in admin_login
        # Every demo account gets a token; an operator's deep health sees the worker.
        tokens = {}
        for username in (account.username for account in DEMO_ACCOUNTS):
            status, body = browser.post(
                "/api/v1/auth/token",
                {"username": username, "password": DEMO_PASSWORD},
                as_json=True,
            )
            assert status == 200 and json.loads(body)["token"], (username, body)
            tokens[username] = json.loads(body)["token"]
        deep = urllib.request.Request(
            base + "/api/v1/health?deep=true",
            headers={"Authorization": f"Bearer {tokens['admin']}"},
        )
        with urllib.request.urlopen(deep, timeout=60) as response:
            health = json.loads(response.read())
        assert health["status"] == "ok", health
        assert health["checks"]["worker"]["detail"] == "pong"
        assert health["checks"]["ffmpeg_binary"]["ok"], health
        if EXPECT_BUNDLED_TOOLS:  # .ci/run's bare step: no system ffmpeg to find
            assert "bundled" in json.dumps(health["checks"]["ffmpeg_binary"]), health

        # A lesson of the demo course plays: the learner's page names a master
        # playlist whose first segment is real video that ffmpeg made at seed time.
        _lesson_plays(Browser(base))

        # A link the product hands out names the port it was served on.
        browser.log_in("org")
        status, page = browser.get("/org/")
        assert status == 200
        invite = re.search(r'id="invite-url"[^>]*value="([^"]+)"', page).group(1)
        assert invite.startswith(f"{base}/org/join/"), invite

        family = [make.pid] + [
            p.pid for p in psutil.Process(make.pid).children(recursive=True)
        ]
        assert (
            len(family) >= 6
        )  # make, run.sh, worker (+ pool), beat, runserver (+ child)

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(psutil.pid_exists(p) for p in family):
        time.sleep(0.5)
    left = [
        psutil.Process(p).cmdline()
        for p in family
        if psutil.pid_exists(p) and psutil.Process(p).status() != psutil.STATUS_ZOMBIE
    ]
    assert left == []
    assert "모두 종료했습니다" in log.read_text()
