"""The apps' layers (pyproject.toml, [tool.importlinter]) hold, and the check has teeth: an
import from a lower layer to a higher one breaks the contract."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
APPS = (
    "config",
    "public",
    "api",
    "portal",
    "secretariat",
    "demo",
    "reports",
    "grants",
    "organisations",
    "programme",
    "notifications",
    "core",
)


def lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_layers_contract_is_kept():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "upward"),
    [
        ("core/errors.py", "from portal.views import accounts"),
        ("notifications/models.py", "from organisations.models import User"),
        ("organisations/selectors.py", "import programme.models"),
        ("grants/hooks.py", "from reports.models import Report"),
    ],
    ids=["core-to-pages", "notifications-to-domain", "sibling-domain", "grants-to-reports"],
)
def test_an_upward_import_breaks_the_contract(tmp_path, module, upward):
    copy = tmp_path / "src"
    copy.mkdir()
    shutil.copy(ROOT / "pyproject.toml", copy)
    for app in APPS:
        shutil.copytree(ROOT / app, copy / app, ignore=shutil.ignore_patterns("__pycache__"))
    target = copy / module
    target.write_text(f"{target.read_text()}\n{upward}  # deliberately upward\n")
    result = lint_imports(copy)
    assert result.returncode != 0
    assert "BROKEN" in result.stdout
