"""Names of the local storage resolved to files, never outside the one prefix asked for.

The views that serve local files (signed video outputs, public image renditions) take a
storage name from the URL. `resolve_inside` refuses any name that is not plainly a file of
its prefix: every component a plain file or folder name (no `..`, no leading dot, no
separators or escapes), and the resolved path inside the prefix's folder even through links.
"""

from __future__ import annotations

import re
from pathlib import Path

_COMPONENT = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,199}$")


class NotServed(Exception):
    """The name is not a file of the served prefix (or its signature is wrong)."""


def resolve_inside(location: str | Path, prefix: str, name: str) -> Path:
    """The file of storage `name` under `location`, which must lie under `prefix`
    (ending in "/"); raises NotServed otherwise."""
    if not prefix.endswith("/") or not name.startswith(prefix):
        raise NotServed(name)
    parts = name.split("/")
    if not all(_COMPONENT.match(part) for part in parts):
        raise NotServed(name)
    root = (Path(location) / prefix).resolve()
    full = (Path(location) / Path(*parts)).resolve()
    if not full.is_relative_to(root):
        raise NotServed(name)
    return full
