#!/usr/bin/env bash
# Static security analysis (bandit) and the dependency audit (pip-audit), as CI runs them.
# Accepted findings and their reasons: docs/security.md.
set -uo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
status=0

echo "--- bandit"
# B404/B603/B607: subprocess with argument lists we build (ffmpeg, celery), never a
# shell; the same rule ruff applies (S603/S607). Accepted in docs/security.md.
if ! "$VENV/bin/bandit" -q -r config lms cms media_pipeline \
  -x '*/migrations/*' -s B404,B603,B607 -f txt; then
  echo "bandit: findings above fail the build (accept one only with a reason in docs/security.md)"
  status=1
fi

echo "--- pip-audit"
# The vulnerability data comes from PyPI's JSON API over the network. Unreachable or too
# slow: a WARNING and the build goes on. A finding fails the build unless its id is in
# the "Accepted pip-audit findings" table of docs/security.md (id, package, reason).
report=$(mktemp)
timeout "${PIP_AUDIT_TIMEOUT:-600}" "$VENV/bin/pip-audit" -r requirements/dev.lock \
  --require-hashes --disable-pip --progress-spinner off -f json -o "$report" 2>/dev/null
rc=$?
"$VENV/bin/python" - "$report" "$rc" docs/security.md <<'PY' || status=1
import json, re, sys
path, rc, accepted_doc = sys.argv[1], int(sys.argv[2]), sys.argv[3]
# Accepted findings: rows "| <id> | <package> | <reason> |" under the heading below.
accepted, section = {}, False
for line in open(accepted_doc, encoding="utf-8"):
    if line.startswith("#"):
        section = line.strip().lstrip("#").strip() == "Accepted pip-audit findings"
        continue
    cells = [c.strip().strip("`") for c in line.strip().strip("|").split("|")]
    if section and len(cells) == 3 and re.match(r"^[A-Z]+-[\w-]+$", cells[0]):
        if cells[2]:
            accepted[cells[0]] = cells[2]
if rc == 124:
    print("WARNING: pip-audit timed out: the dependencies were NOT audited.")
    sys.exit(0)
try:
    with open(path, encoding="utf-8") as handle:
        report = json.load(handle)
except (OSError, ValueError):
    print(f"WARNING: pip-audit could not run or reach its service (exit {rc}): "
          "the dependencies were NOT audited.")
    sys.exit(0)
deps = report.get("dependencies", [])
skipped = [d for d in deps if d.get("skip_reason")]
failing = []
for dep in deps:
    for vuln in dep.get("vulns") or []:
        ids = {vuln["id"], *vuln.get("aliases", [])}
        known = sorted(ids & accepted.keys())
        fixes = ", ".join(vuln.get("fix_versions") or []) or "no fix yet"
        if known:
            print(f"accepted {dep['name']} {dep['version']}: {vuln['id']} "
                  f"({accepted[known[0]]})")
        else:
            failing.append(vuln["id"])
            print(f"VULNERABLE {dep['name']} {dep['version']}: {vuln['id']} "
                  f"(fixed in {fixes})")
if failing:
    print("pip-audit: upgrade, or accept with a reason in docs/security.md "
          "(table 'Accepted pip-audit findings')")
    sys.exit(1)
if skipped and len(skipped) * 2 >= len(deps):
    print(f"WARNING: pip-audit could not reach its vulnerability service (offline?): "
          f"{len(skipped)} of {len(deps)} pinned packages were NOT audited.")
elif skipped:
    names = ", ".join(d["name"] for d in skipped)
    print(f"pip-audit: no unaccepted vulnerabilities; not audited: {names}")
else:
    print(f"pip-audit: no unaccepted vulnerabilities in {len(deps)} pinned packages")
PY
rm -f "$report"
exit $status
