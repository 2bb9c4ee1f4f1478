"""The language switcher's addresses (``language_links``) are Django's ``translate_url`` of
the page's address, for every language: the switcher resolves the address once."""

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.urls import translate_url
from django.utils import translation

from core.templatetags.site import language_links


@pytest.mark.parametrize(
    "path",
    [
        "/en/",
        "/fr/calls/applications/12/",
        "/en/portal/reports/3/?check=1",
        "/es/initiatives/?country=ke&theme=harm-reduction",
        "/en/no-such-page/",
        "/robots.txt",
    ],
)
def test_links_are_the_address_translated_into_each_language(path):
    request = RequestFactory().get(path)
    with translation.override(path.split("/")[1] if path.count("/") > 2 else "en"):
        links = language_links({"request": request})
        expected = [translate_url(request.get_full_path(), code) for code, _ in settings.LANGUAGES]
    assert [link["code"] for link in links] == [code for code, _name in settings.LANGUAGES]
    assert [link["url"] for link in links] == expected
    assert len(set(expected)) > 1 or path in ("/en/no-such-page/", "/robots.txt")
