"""The set-up scripts: README's two commands, CI entry, install stamp, demo admin, test DB name."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_readme_opens_with_the_two_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip()]
    assert lines[0].startswith("# ")
    assert lines[1:7] == ["```", "./scripts/serve", "```", "```", "./scripts/test", "```"]


def test_ci_runs_exactly_the_test_script():
    text = (ROOT / ".ci" / "run").read_text()
    assert text.startswith("#!/usr/bin/env bash\n")
    commands = [ln for ln in text.splitlines()[1:] if ln.strip() and not ln.startswith("#")]
    assert commands[0] == "set -euo pipefail"
    assert commands[1].startswith("cd ")
    assert commands[2:] == ["./scripts/test"]


@pytest.mark.parametrize("script", ["scripts/serve", "scripts/test", ".ci/run"])
def test_scripts_are_executable_bash(script):
    path = ROOT / script
    assert os.access(path, os.X_OK)
    subprocess.run(["bash", "-n", str(path)], check=True)


def _fake_project(tmp_path: Path) -> Path:
    """A folder with pyproject.toml and a .venv whose python only logs how it was called."""
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts" / "_setup.sh").write_text((ROOT / "scripts" / "_setup.sh").read_text())
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    python = tmp_path / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text(f'#!/bin/sh\necho "$@" >> "{tmp_path}/pip.log"\n')
    python.chmod(0o755)
    return tmp_path


def _ensure(project: Path, extra: str) -> list[str]:
    subprocess.run(
        ["bash", "-c", f'set -euo pipefail; source scripts/_setup.sh; ensure_venv "{extra}"'],
        cwd=project,
        check=True,
        capture_output=True,
    )
    log = project / "pip.log"
    return log.read_text().splitlines() if log.exists() else []


def test_install_is_skipped_until_pyproject_changes(tmp_path):
    project = _fake_project(tmp_path)
    assert _ensure(project, "test") == ["-m pip install -q --disable-pip-version-check -e .[test]"]
    assert len(_ensure(project, "test")) == 1  # stamp matches: nothing to do
    assert len(_ensure(project, "")) == 1  # a test install covers the plain one
    (project / "pyproject.toml").write_text("[project]\nname = 'x'\nversion = '2'\n")
    calls = _ensure(project, "")
    assert calls[-1] == "-m pip install -q --disable-pip-version-check -e ."


def test_an_edited_c_source_is_rebuilt(tmp_path):
    project = _fake_project(tmp_path)
    source = project / "hiraku" / "ingest" / "parsing" / "_transcode.c"
    source.parent.mkdir(parents=True)
    source.write_text("/* v1 */\n")
    assert len(_ensure(project, "test")) == 1
    assert len(_ensure(project, "test")) == 1  # unchanged: nothing to do
    source.write_text("/* v2 */\n")
    assert len(_ensure(project, "test")) == 2  # pip install again builds the extension


def test_a_demo_admin_is_created_once(db, settings, tmp_path, capsys):
    from django.contrib.auth.models import User

    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import ensure_admin
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    settings.DATA_DIR = tmp_path
    assert ensure_admin.main() == 0
    printed = capsys.readouterr().out
    password = re.search(r"password: (\S+)", printed).group(1)
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.check_password(password)
    saved = tmp_path / "admin-password.txt"
    assert password in saved.read_text() and saved.stat().st_mode & 0o077 == 0

    assert ensure_admin.main() == 0
    assert capsys.readouterr().out == ""  # nothing new, nothing printed
    assert User.objects.get(username="admin").check_password(password)


def test_settings_honour_a_unique_test_database_name():
    code = "from django.conf import settings; print(settings.DATABASES['default']['TEST']['NAME'])"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "hiraku.settings",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/test",
        "HIRAKU_TEST_DB_NAME": "hiraku_test_unique_42",
    }
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "hiraku_test_unique_42"


def test_test_file_names_are_unique():
    """tests/ has no __init__.py files, so pytest imports each test file by its basename: two
    files with one name in different folders stop the whole run with "import file mismatch"."""
    seen: dict[str, list[str]] = {}
    for path in (ROOT / "tests").rglob("test_*.py"):
        seen.setdefault(path.name, []).append(str(path.relative_to(ROOT)))
    clashes = {name: paths for name, paths in seen.items() if len(paths) > 1}
    assert not clashes, f"rename one of each (e.g. test_<area>_<feature>.py): {clashes}"
