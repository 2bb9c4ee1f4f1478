"""Every public page type is valid HTML for the Nu HTML Checker (vnu.jar from npm, run with
the machine's Java)."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from tests.programme.test_public_site import page_urls, populate

pytestmark = pytest.mark.django_db

VNU = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def test_every_page_type_is_valid_html(client, tmp_path):
    java = shutil.which("java")
    assert java, "Java is needed for the Nu HTML Checker: the install step installs it."
    assert VNU.exists(), "node_modules/vnu-jar is missing: run scripts/install --test."
    made = populate(1)
    files = []
    for language in ("en", "ru"):
        for name, url in page_urls(made, language).items():
            html = client.get(url).content
            path = tmp_path / f"{language}-{name}.html"
            path.write_bytes(html)
            files.append(path)
    missing = client.get("/en/no-such-page/")
    assert missing.status_code == 404
    (tmp_path / "en-404.html").write_bytes(missing.content)
    files.append(tmp_path / "en-404.html")
    result = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    errors = [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m.get("type") == "error"
    ]
    assert errors == []
