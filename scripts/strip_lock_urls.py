"""Drop download addresses from package-lock.json: the lock keeps names, versions, hashes."""

import json
import sys
from pathlib import Path

path = Path(sys.argv[1] if len(sys.argv) > 1 else "package-lock.json")
lock = json.loads(path.read_text())
for entry in lock.get("packages", {}).values():
    entry.pop("resolved", None)
path.write_text(json.dumps(lock, indent=2) + "\n")
