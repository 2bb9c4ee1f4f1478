"""Every user-facing string is marked for translation and translated into fr, es, pt and ru."""

import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

LOCALES = ["fr", "es", "pt", "ru"]
LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
IGNORED = [
    ".venv",
    "node_modules",
    "staticfiles",
    "tests",
    "media",
    ".test-media",
    "bench",
    "test-artifacts",
]


def entries(po_text: str) -> list[tuple[str, list[str], bool]]:
    """(msgid, msgstrs, is_fuzzy) for each entry but the header."""
    found = []
    for block in po_text.split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#~")]
        if not any(line.startswith("msgid ") for line in lines):
            continue
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        text = "\n".join(lines)
        msgid = "".join(re.findall(r'"(.*)"', text.split("msgid ", 1)[1].split("\nmsgstr")[0]))
        if "msgid_plural" in msgid:
            msgid = msgid.split("msgid_plural")[0]
        strs = [
            "".join(re.findall(r'"(.*)"', part))
            for part in re.split(r"\nmsgstr(?:\[\d\])? ", text)[1:]
        ]
        if msgid:
            found.append((msgid, strs, fuzzy))
    return found


@pytest.mark.parametrize("locale", LOCALES)
def test_catalogue_is_complete(locale):
    po = (LOCALE_DIR / locale / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    untranslated = [msgid for msgid, strs, _ in entries(po) if not all(s.strip() for s in strs)]
    fuzzy = [msgid for msgid, _, is_fuzzy in entries(po) if is_fuzzy]
    assert untranslated == [], f"{len(untranslated)} untranslated in {locale}"
    assert fuzzy == [], f"{len(fuzzy)} fuzzy in {locale}"


def test_catalogues_hold_every_marked_string(tmp_path, monkeypatch):
    """makemessages over the code finds no string that the committed catalogues lack.

    It runs on a copy of the sources: makemessages writes to the locale folder nearest to the
    files it reads, which would otherwise be the real one.
    """
    root = Path(settings.BASE_DIR)
    copy = tmp_path / "src"
    shutil.copytree(
        root,
        copy,
        ignore=shutil.ignore_patterns(".git", "*.mo", "__pycache__", *IGNORED),
    )
    monkeypatch.chdir(copy)
    with override_settings(LOCALE_PATHS=[copy / "locale"]):
        call_command("makemessages", locale=["fr"], ignore_patterns=IGNORED, verbosity=0)
    fresh = {
        msgid for msgid, _, _ in entries((copy / "locale/fr/LC_MESSAGES/django.po").read_text())
    }
    committed = {
        msgid for msgid, _, _ in entries((LOCALE_DIR / "fr/LC_MESSAGES/django.po").read_text())
    }
    assert sorted(fresh - committed) == [], "Run makemessages and translate the new strings."
