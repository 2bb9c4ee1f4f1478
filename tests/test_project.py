"""Whole-project checks: Django's system checks, migrations, lint and the two commands."""

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent


def test_system_checks_are_clean():
    out = io.StringIO()
    # Raises SystemCheckError on any warning or error.
    call_command("check", fail_level="WARNING", stdout=out, stderr=out)
    assert "no issues" in out.getvalue()


@pytest.mark.django_db
def test_models_and_migrations_agree():
    out = io.StringIO()
    try:
        call_command("makemigrations", check=True, dry_run=True, stdout=out, stderr=out)
    except SystemExit:
        pytest.fail(f"models have changes without a migration:\n{out.getvalue()}")


@pytest.mark.parametrize(
    "command", [["check", "."], ["format", "--check", "."]], ids=["lint", "format"]
)
def test_ruff_is_clean(command):
    result = subprocess.run(
        [sys.executable, "-m", "ruff", *command],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    assert re.search(r"^\s*(exec\s+)?\./scripts/test\s*$", ci, flags=re.MULTILINE)
    assert "set -euo pipefail" in ci


def test_readme_opens_with_the_two_commands():
    first_screen = "\n".join((ROOT / "README.md").read_text().splitlines()[:40])
    assert "./scripts/run" in first_screen
    assert "./scripts/test" in first_screen
    assert "http://127.0.0.1:8000/fr/initiatives-programme/editions/2023/" in first_screen
