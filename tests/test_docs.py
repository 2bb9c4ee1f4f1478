"""The README and docs/ say only what exists: every address of the site they name resolves, and
every module path they name in backticks is a file or package of the project."""

import re
from pathlib import Path

import pytest
from django.urls import NoReverseMatch, Resolver404, get_resolver, resolve
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LANGUAGES = ("en", "fr", "es", "pt", "ru")

# /<lang>/…, /en/…, http://127.0.0.1:8000/fr/…, and the root files.
ADDRESS = re.compile(
    r"(?<![\w/.])(?:https?://[\w.:-]+)?(/(?:<lang>|" + "|".join(LANGUAGES) + r")/[^\s`)\]\"'<>,*…]*"
    r"(?:<[a-z_]+>[^\s`)\]\"'<>,*…]*)*|/sitemap\.xml|/robots\.txt)"
)
PLACEHOLDERS = {"lang": "en", "pk": "1", "id": "1", "slug": "2023", "edition": "2023"}
# `portal:home`-style URL names.
URL_NAME = re.compile(r"`([a-z_]+:[a-z_]+)`")
# `grants/services/awards.py`, `core.workflow`-style references to the code.
TOP = (
    "core|notifications|programme|organisations|grants|reports|public|portal|secretariat|demo"
    "|config|templates|tests|docs|scripts|bench|static|locale"
)
MODULE_PATH = re.compile(r"`((?:" + TOP + r")/(?:[\w-]+/)*(?:[\w-]+\.\w+)?)`")
# Where the project writes files when it runs (named in the docs, not committed).
OUTPUTS = ("bench/results/",)
DOTTED = re.compile(
    r"`((?:core|notifications|programme|organisations|grants|reports|public|portal|secretariat|demo|config)(?:\.[a-z_]+)+)"
)


def addresses(text: str) -> set[str]:
    found = set()
    for match in ADDRESS.finditer(text):
        path = match.group(1).rstrip(".:;")
        path = re.sub(r"<([a-z_]+)>", lambda m: PLACEHOLDERS.get(m.group(1), "x"), path)
        found.add(path)
    return found


def texts():
    return [(path.relative_to(ROOT), path.read_text(encoding="utf-8")) for path in DOCUMENTS]


def test_the_documents_name_addresses_at_all():
    named = set().union(*(addresses(text) for _name, text in texts()))
    assert "/fr/initiatives-programme/editions/2023/" in named
    assert len(named) > 10


@pytest.mark.parametrize(("name", "text"), texts(), ids=lambda value: str(value)[:40])
def test_every_address_named_resolves(name, text):
    unresolved = []
    for path in sorted(addresses(text)):
        language = path.split("/")[1] if path.split("/")[1] in LANGUAGES else "en"
        try:
            # A language prefix resolves while its language is active.
            with translation.override(language):
                resolve(path.split("?")[0])
        except Resolver404:
            unresolved.append(path)
    assert unresolved == [], f"{name} names addresses the site does not have"


@pytest.mark.parametrize(("name", "text"), texts(), ids=lambda value: str(value)[:40])
def test_every_url_name_named_exists(name, text):
    resolver = get_resolver()
    missing = []
    for url_name in sorted(set(URL_NAME.findall(text))):
        namespace, _colon, view = url_name.partition(":")
        if namespace not in resolver.namespace_dict:
            continue  # not a URL name (a ratio, a time...)
        try:
            resolver.namespace_dict[namespace][1].reverse(view)
        except NoReverseMatch as error:
            if "not a valid view function or pattern name" in str(error):
                missing.append(url_name)
    assert missing == [], f"{name} names URLs that do not exist"


@pytest.mark.parametrize(("name", "text"), texts(), ids=lambda value: str(value)[:40])
def test_every_module_named_exists(name, text):
    missing = [
        path
        for path in sorted(set(MODULE_PATH.findall(text)))
        if not (ROOT / path).exists()
        and not path.startswith(OUTPUTS)
        and not path.startswith(("templates/emails/<", "tests/"))
        and not (ROOT / path).exists()
    ]
    for dotted in sorted(set(DOTTED.findall(text))):
        parts = dotted.split(".")
        # The longest prefix that is a module or package must exist; the rest may be a name in it.
        if not any(
            (ROOT / Path(*parts[:n])).with_suffix(".py").exists()
            or (ROOT / Path(*parts[:n])).is_dir()
            for n in range(len(parts), 0, -1)
        ):
            missing.append(dotted)
    assert missing == [], f"{name} names code that does not exist"


TEST_REFERENCE = re.compile(r"`(tests/[\w/]+\.py)((?:::\w+)?)`|`::(\w+)`")


@pytest.mark.parametrize(("name", "text"), texts(), ids=lambda value: str(value)[:40])
def test_every_test_named_exists(name, text):
    """docs/security.md names the test behind each control: the file, and the test in it
    (``::name`` alone is a test of the file named last)."""
    missing = []
    current = None
    for path, test, alone in TEST_REFERENCE.findall(text):
        if path:
            current = ROOT / path
            if not current.exists():
                missing.append(path)
                continue
        test = (test or f"::{alone}" if alone else test).removeprefix("::")
        if test and (current is None or f"def {test}(" not in current.read_text()):
            missing.append(f"{current}::{test}")
    assert missing == [], f"{name} names tests that do not exist"
