"""File types decided from content, not from the name the uploader chose."""

from __future__ import annotations

from pathlib import PurePath

import filetype

HEAD_BYTES = 8192
OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")  # .hwp (HWP 5) is an OLE compound file
ZIP_BASED = {"docx", "xlsx", "pptx", "odt", "ods", "odp", "zip", "epub"}
# For each allowed extension: the content kinds it may really be.
ACCEPTED_CONTENT = {
    "pdf": {"pdf"},
    "docx": ZIP_BASED,
    "xlsx": ZIP_BASED,
    "pptx": ZIP_BASED,
    "odt": ZIP_BASED,
    "hwpx": ZIP_BASED,
    "key": ZIP_BASED,
    "zip": ZIP_BASED,
    "hwp": {"ole"},
    "txt": {"text"},
    "csv": {"text"},
    "png": {"png"},
    "jpg": {"jpg"},
    "jpeg": {"jpg"},
}


def content_kind(head: bytes) -> str:
    """'pdf', 'zip'/'docx'/…, 'ole', 'text', another filetype extension, or 'unknown'."""
    if head.startswith(OLE_MAGIC):
        return "ole"
    kind = filetype.guess(head)
    if kind is not None:
        return kind.extension
    if b"\x00" not in head:
        for encoding in ("utf-8", "cp949"):
            try:
                head.decode(encoding)
                return "text"
            except UnicodeDecodeError:
                # A multi-byte character may be cut at the end of the sample.
                try:
                    head[:-3].decode(encoding)
                    return "text"
                except UnicodeDecodeError:
                    continue
    return "unknown"


def read_head(uploaded) -> bytes:
    position = uploaded.tell() if hasattr(uploaded, "tell") else 0
    uploaded.seek(0)
    head = uploaded.read(HEAD_BYTES)
    uploaded.seek(position)
    return head


def content_matches_name(*, name: str, head: bytes) -> bool:
    extension = PurePath(name).suffix.lower().lstrip(".")
    accepted = ACCEPTED_CONTENT.get(extension)
    return accepted is not None and content_kind(head) in accepted
