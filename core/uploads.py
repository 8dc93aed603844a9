"""Uploads checked by their content against an allowlist per purpose.

The name an uploader chose proves nothing: HTML named `.pdf`, an SVG with a script, a
program. Each purpose lists the kinds it takes; a file is accepted only when its bytes
are one of them *and* its extension names that same kind.

| purpose    | kinds                                                   |
|------------|---------------------------------------------------------|
| material   | PDF, PPTX, DOCX, HWP, HWPX, PNG, JPEG (teaching material)|
| caption    | SRT, WebVTT                                             |
| import     | CSV                                                     |
| document   | what editors put in Wagtail's documents                 |

What is accepted is still never shown inline from our origin: documents and materials
are served as attachments with `nosniff` (see docs/security.md).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

HEAD_BYTES = 64 * 1024
OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")  # HWP 5 is an OLE compound file
# Each kind: the extensions that name it.
EXTENSIONS = {
    "pdf": {"pdf"},
    "docx": {"docx"},
    "pptx": {"pptx"},
    "xlsx": {"xlsx"},
    "hwpx": {"hwpx"},
    "odt": {"odt"},
    "key": {"key"},
    "zip": {"zip"},
    "hwp": {"hwp"},
    "png": {"png"},
    "jpeg": {"jpg", "jpeg"},
    "srt": {"srt"},
    "vtt": {"vtt"},
    "csv": {"csv"},
    "txt": {"txt"},
}
PURPOSES = {
    "material": {"pdf", "pptx", "docx", "hwp", "hwpx", "png", "jpeg"},
    "caption": {"srt", "vtt"},
    "import": {"csv"},
    "document": {
        "pdf",
        "docx",
        "pptx",
        "xlsx",
        "hwp",
        "hwpx",
        "odt",
        "key",
        "zip",
        "csv",
        "txt",
    },
}
# The member that makes a ZIP one kind of office file and not another.
ZIP_MARKERS = {
    "docx": "word/document.xml",
    "pptx": "ppt/presentation.xml",
    "xlsx": "xl/workbook.xml",
    "hwpx": "Contents/content.hpf",
    "odt": "content.xml",
    "key": "Index.zip",
}
# Markup a text upload must not carry: it would be a page, not a caption or a table.
MARKUP = re.compile(rb"<\s*(script|html|svg|iframe|object|embed|body)\b", re.I)
SRT_TIMING = re.compile(r"\d{1,2}:\d{2}:\d{2},\d{3}\s+-->\s+\d{1,2}:\d{2}:\d{2},\d{3}")


class UploadRefused(ValidationError):
    """A Django ValidationError, so forms show it by the field; services re-raise it."""


def _text(head: bytes) -> str | None:
    if b"\x00" in head:
        return None
    for encoding in ("utf-8-sig", "cp949"):
        try:
            return head.decode(encoding)
        except UnicodeDecodeError:
            try:
                # A multi-byte character may be cut at the end of the sample.
                return head[:-3].decode(encoding)
            except UnicodeDecodeError:
                continue
    return None


def _zip_kind(uploaded) -> str | None:
    try:
        uploaded.seek(0)
        with zipfile.ZipFile(uploaded) as archive:
            names = set(archive.namelist())
            mimetype = (
                archive.read("mimetype")[:64] if "mimetype" in names else b""
            ).strip()
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return None
    finally:
        uploaded.seek(0)
    if mimetype == b"application/hwp+zip":
        return "hwpx"
    for kind, marker in ZIP_MARKERS.items():
        if marker in names:
            return kind
    return "zip"


def content_kinds(uploaded, head: bytes) -> set[str]:
    """Every kind the bytes may be (a text file may be several: CSV and TXT)."""
    if head.startswith(b"%PDF-"):
        return {"pdf"}
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return {"png"}
    if head.startswith(b"\xff\xd8\xff"):
        return {"jpeg"}
    if head.startswith(OLE_MAGIC):
        return {"hwp"}
    if head.startswith(b"PK\x03\x04"):
        kind = _zip_kind(uploaded)
        return {kind} if kind else set()
    text = _text(head)
    if text is None or MARKUP.search(head):
        return set()
    kinds = {"csv", "txt"}
    if text.lstrip("\ufeff").startswith("WEBVTT"):
        kinds.add("vtt")
    if SRT_TIMING.search(text):
        kinds.add("srt")
    return kinds


def read_head(uploaded) -> bytes:
    position = uploaded.tell() if hasattr(uploaded, "tell") else 0
    uploaded.seek(0)
    head = uploaded.read(HEAD_BYTES)
    uploaded.seek(position)
    return head


def allowed_extensions(purpose: str) -> list[str]:
    return sorted(ext for kind in PURPOSES[purpose] for ext in EXTENSIONS[kind])


def check_upload(uploaded, *, purpose: str) -> str:
    """The kind of the file; raises UploadRefused (Korean, by purpose) otherwise."""
    allowed = PURPOSES[purpose]
    extension = PurePath(getattr(uploaded, "name", "") or "").suffix.lower().lstrip(".")
    named = {kind for kind, exts in EXTENSIONS.items() if extension in exts} & allowed
    if not named:
        raise UploadRefused(
            _("올릴 수 없는 파일 형식입니다. 가능한 형식: %(kinds)s")
            % {"kinds": ", ".join(allowed_extensions(purpose))},
            code="type_not_allowed",
        )
    matched = named & content_kinds(uploaded, read_head(uploaded))
    if not matched:
        raise UploadRefused(
            _(
                "파일 내용이 확장자와 맞지 않습니다(.%(ext)s). 올바른 파일을 올려 주세요."
            )
            % {"ext": extension},
            code="content_mismatch",
        )
    return matched.pop()
