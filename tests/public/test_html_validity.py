"""Every public page type is valid HTML for the Nu HTML Checker (vnu.jar from npm, run with
the machine's Java)."""

import pytest

from tests.html_checker import vnu_errors
from tests.public.test_public_site import page_urls, populate

pytestmark = pytest.mark.django_db


def test_every_page_type_is_valid_html(client, tmp_path):
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
    assert vnu_errors(files) == []
