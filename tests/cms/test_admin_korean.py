"""Every message of the Wagtail admin apps the staff use has Korean, from Wagtail's catalog
or from ours (locale/ko): no English that a translation can fix is left in the admin."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import wagtail
from django.utils import translation

WAGTAIL = Path(wagtail.__file__).parent
APPS = ("admin", "documents", "images", "snippets", "users")
_ENTRY = re.compile(
    r'^(?:msgctxt (?P<ctx>"[^\n]*"\n(?:"[^\n]*"\n)*))?'
    r'msgid (?P<id>"[^\n]*"\n(?:"[^\n]*"\n)*)'
    r'(?:msgid_plural (?P<plural>"[^\n]*"\n(?:"[^\n]*"\n)*))?',
    re.M,
)


def _text(quoted: str | None) -> str | None:
    if quoted is None:
        return None
    return "".join(ast.literal_eval(line) for line in quoted.splitlines())


def english_messages(app: str) -> list[tuple[str | None, str, bool]]:
    """(context, msgid, has a plural) of each message in Wagtail's English catalog."""
    source = (WAGTAIL / app / "locale/en/LC_MESSAGES/django.po").read_text()
    messages = []
    for entry in _ENTRY.finditer(source):
        msgid = _text(entry["id"])
        if msgid:
            messages.append((_text(entry["ctx"]), msgid, entry["plural"] is not None))
    return messages


@pytest.mark.parametrize("app", APPS)
def test_every_wagtail_admin_message_has_korean(app):
    messages = english_messages(app)
    assert len(messages) > 5  # the catalog was read
    catalog = translation.trans_real.translation("ko")._catalog
    missing = []
    for context, msgid, plural in messages:
        key = f"{context}\x04{msgid}" if context else msgid
        korean = catalog.get((key, 0) if plural else key)
        if not korean:
            missing.append(msgid)
    assert missing == []


def test_a_message_we_fill_in_reads_korean_in_the_admin(admin_client):
    dashboard = admin_client.get("/admin/").content.decode()
    assert 'placeholder="모든 페이지 검색…"' in dashboard
    assert "Search all pages" not in dashboard
    with translation.override("ko"):
        assert translation.gettext("Search all pages…") == "모든 페이지 검색…"
        assert (
            translation.ngettext(
                "%(num_parent_objects)d page has been deleted",
                "%(num_parent_objects)d pages have been deleted",
                3,
            )
            % {"num_parent_objects": 3}
            == "페이지 3개를 삭제했습니다"
        )
