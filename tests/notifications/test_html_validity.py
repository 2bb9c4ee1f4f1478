"""The notifications page and the HTML of every email are valid HTML (Nu HTML Checker)."""

import pytest

from notifications.registry import KINDS
from notifications.services.sending import render_notification
from tests.factories import UserFactory
from tests.html_checker import vnu_errors

from .test_notifications_page import URL, received
from .test_rendering import make

pytestmark = pytest.mark.django_db


def test_the_page_and_the_emails_are_valid_html(client, tmp_path):
    ana = UserFactory()
    for n in range(30):
        received(ana, n)
    client.force_login(ana)
    files = []
    for name, url in (("page-1", URL), ("page-2", f"{URL}?page=2")):
        path = tmp_path / f"{name}.html"
        path.write_bytes(client.get(url).content)
        files.append(path)
    for kind in sorted(KINDS):
        path = tmp_path / f"email-{kind}.html"
        path.write_text(render_notification(make(kind))[2])
        files.append(path)
    assert vnu_errors(files) == []
