"""Every page of the site keeps its content off the screen's edge: a template that extends
base.html puts its content in the layout's `.container` (the trainer portal did not, and
stood flush against the left edge at 390 px)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FOLDERS = ("cms", "core", "lms", "media_pipeline", "templates")


def _pages() -> list[Path]:
    return [
        path
        for folder in FOLDERS
        for path in (ROOT / folder).rglob("*.html")
        if '{% extends "base.html" %}' in path.read_text(encoding="utf-8")
    ]


def test_every_page_on_base_html_puts_its_content_in_the_container():
    pages = _pages()
    assert len(pages) > 10  # the scan really finds the site's pages
    bare = [
        str(path.relative_to(ROOT))
        for path in pages
        if not re.search(r'class="[^"]*\bcontainer\b', path.read_text(encoding="utf-8"))
    ]
    assert bare == []
