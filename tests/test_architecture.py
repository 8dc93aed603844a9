"""The architecture holds by test: the import contracts pass and catch a wrong import,
and no first-party import hides inside a function without a comment saying why."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PRODUCT = ("config", "lms", "cms", "media_pipeline", "core")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PATH": str(LINT_IMPORTS.parent), "PYTHONPATH": str(cwd)},
    )


def _copy_sources(target: Path) -> None:
    for package in (*PRODUCT, "tests"):
        for source in (ROOT / package).rglob("*.py"):
            copy = target / source.relative_to(ROOT)
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, copy)
    shutil.copyfile(ROOT / "pyproject.toml", target / "pyproject.toml")


@pytest.mark.slow
def test_the_import_contracts_hold_and_fail_on_a_wrong_import(tmp_path):
    kept = _lint_imports(ROOT)
    assert kept.returncode == 0, kept.stdout + kept.stderr
    assert "0 broken" in kept.stdout

    # The same tree with one import against the layers: media_pipeline reaching up
    # into lms, as media_pipeline/api.py once did for api_auth.
    _copy_sources(tmp_path)
    (tmp_path / "media_pipeline" / "wrong_way.py").write_text(
        "from lms.learning.models import Enrollment  # noqa: F401\n"
    )
    broken = _lint_imports(tmp_path)

    assert broken.returncode == 1, broken.stdout
    assert "1 broken" in broken.stdout
    assert "media_pipeline.wrong_way -> lms.learning.models" in broken.stdout


def _late_imports_without_a_reason(path: Path) -> list[str]:
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    found = []
    for function in ast.walk(ast.parse(source)):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            if isinstance(node, ast.ImportFrom) and node.module:
                module = node.module
            elif isinstance(node, ast.Import):
                module = node.names[0].name
            else:
                continue
            if module.split(".")[0] not in PRODUCT:
                continue
            # The reason is a comment on the lines above (imports of one group share it).
            above = node.lineno - 2
            while above >= 0 and lines[above].strip().startswith(("from ", "import ")):
                above -= 1
            if above < 0 or not lines[above].strip().startswith("#"):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {module}")
    return found


def test_no_first_party_import_inside_a_function_without_a_comment_saying_why():
    found = [
        hit
        for package in PRODUCT
        for path in sorted((ROOT / package).rglob("*.py"))
        if "migrations" not in path.parts
        for hit in _late_imports_without_a_reason(path)
    ]
    assert found == [], (
        "import at the top, or say why in a comment above:\n" + "\n".join(found)
    )


def test_the_rule_sees_an_unexplained_late_import(tmp_path, monkeypatch):
    probe = tmp_path / "probe.py"
    probe.write_text(
        "def f():\n    from lms.accounts.models import User\n    return User\n\n"
        "def g():\n    # Late: the registry is not ready here.\n"
        "    from lms.accounts.models import User\n    return User\n"
    )
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)

    assert _late_imports_without_a_reason(probe) == ["probe.py:2: lms.accounts.models"]
