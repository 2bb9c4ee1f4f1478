"""The at-risk mode on every public output (issue 13): a crawl of the public site in its five
languages (from the home page and the sitemap), its search, sitemap, open-data files and API
finds the name, city, website, people and photos of an organisation at risk nowhere, while its
grant still counts in the totals; marking it refreshes the cached pages and the search index."""

from __future__ import annotations

import io
import re
from html import unescape
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.files.base import ContentFile
from django.urls import Resolver404, resolve
from django.utils import translation
from PIL import Image

from grants.models import PublicLineOfAction
from organisations.models import OrganisationRelation
from public.models import InitiativeSearch
from public.opendata.files import build_files
from tests.factories import MembershipFactory, UserFactory

from .opendata_data import SECRET_INITIATIVE_WORDS, SECRET_NAME, SECRET_WORDS, build_programme
from .test_opendata import public_texts

pytestmark = pytest.mark.django_db

LANGUAGES = ("en", "fr", "es", "pt", "ru")
PERSON = "Aigul Safina"
PHOTO = "kazan-team-portrait"
LINK = re.compile(r'(?:href|src|action)="([^"#]*)', re.I)
LOC = re.compile(r"<loc>([^<]+)</loc>")

# The 2023 edition's address under its programme (tests.factories' programme slug).
EDITION = "initiatives-programme/editions/2023"


@pytest.fixture
def programme(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.SITE_URL = "https://grants.example.org"
    built = build_programme()
    secret = built.hidden.lead_organisation
    # Its people, a photo of them, its lines of action and a sister organisation that is
    # not at risk (whose page must not name it either).
    MembershipFactory(organisation=secret, user=UserFactory(full_name=PERSON))
    buffer = io.BytesIO()
    Image.new("RGB", (800, 500), (40, 90, 160)).save(buffer, "JPEG")
    built.hidden.cover_photo.save(f"{PHOTO}.jpg", ContentFile(buffer.getvalue()))
    built.hidden.cover_caption_en = f"{PERSON} and the team"
    built.hidden.description_en = f"{SECRET_NAME} works at night."
    built.hidden.save()
    PublicLineOfAction.objects.create(
        initiative=built.hidden, title=f"Outreach with {PERSON}", description="Kazan centre"
    )
    OrganisationRelation.objects.create(
        organisation=built.shown.lead_organisation,
        related=secret,
        kind=OrganisationRelation.Kind.SISTER,
    )
    build_files()
    return built


def forbidden() -> list[str]:
    return [*SECRET_WORDS, *SECRET_INITIATIVE_WORDS, PERSON, PHOTO]


def resolved(path: str):
    """The page ``path`` resolves to, in the language of its prefix."""
    language = path.strip("/").split("/", 1)[0]
    with translation.override(language if language in LANGUAGES else "en"):
        return resolve(path)


def is_public_page(path: str) -> bool:
    try:
        return resolved(path).namespace == "public"
    except Resolver404:
        return False


def address(url: str) -> str:
    """The path and query of ``url``."""
    parts = urlsplit(unescape(url))
    return parts.path + (f"?{parts.query}" if parts.query else "")


def read_sitemaps(client) -> tuple[list[str], list[str]]:
    """The sitemap index and its sections (their texts), and every address they list."""
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    texts, paths = [index.content.decode()], []
    for section in LOC.findall(texts[0]):
        response = client.get(address(section))
        assert response.status_code == 200
        texts.append(response.content.decode())
        paths += [address(loc) for loc in LOC.findall(texts[-1])]
    return texts, paths


def crawl(client, start: list[str]) -> dict[str, str]:
    """Every public page reachable by links from ``start``: {path: text of the response}."""
    seen: dict[str, str] = {}
    queue = list(start)
    while queue:
        path = queue.pop()
        if path in seen:
            continue
        response = client.get(path)
        assert response.status_code in (200, 404), (path, response.status_code)
        text = response.content.decode()
        seen[path] = text
        for link in LINK.findall(text):
            target = urlsplit(urljoin(path, unescape(link)))
            if target.netloc and target.netloc != "testserver":
                continue
            address = target.path + (f"?{target.query}" if target.query else "")
            if address not in seen and is_public_page(target.path):
                queue.append(address)
    return seen


def test_an_organisation_at_risk_is_named_on_no_public_output(programme, client):
    sitemaps, listed = read_sitemaps(client)
    assert len(listed) >= 5 * 8
    pages = crawl(client, [f"/{code}/" for code in LANGUAGES] + listed)
    # Its page and the initiative's are not there, and the crawl saw every kind of page.
    kinds = {resolved(urlsplit(path).path).url_name for path in pages}
    assert {"home", "edition", "initiative", "initiatives", "country", "theme"} <= kinds
    assert {"organisation", "editions", "data"} <= kinds
    for code in LANGUAGES:
        assert f"/{code}/organisations/accion-andina/" in pages
        assert f"/{code}/countries/ru/" in pages
    assert len(pages) >= 5 * 10
    # The search, for every word of it, in every language.
    for code in LANGUAGES:
        for word in ["Kazan", "Collective", "outreach", "Tashkent", "night", PERSON]:
            response = client.get(f"/{code}/search/", {"q": word})
            assert response.status_code == 200
            # The page repeats the words searched for; what it found must not name it.
            text = response.content.decode()
            for echo in (word, word.replace(" ", "+"), word.replace(" ", "%20")):
                text = re.sub(re.escape(echo), "…", text, flags=re.I)
            pages[f"/{code}/search/?q={word}"] = text
    # Addresses a visitor might guess: a 404 that says nothing.
    secret = programme.hidden
    for code in LANGUAGES:
        for path in (
            f"/{code}/organisations/{secret.lead_organisation.slug}/",
            f"/{code}/{EDITION}/initiatives/{secret.slug}/",
            f"/{code}/{EDITION}/initiatives/{programme.hidden_initiative.slug}/",
        ):
            response = client.get(path)
            assert response.status_code == 404
            # The same page as for an address that never existed (it repeats the address).
            slug = path.rstrip("/").rsplit("/", 1)[-1]
            unknown = client.get(path.replace(slug, "nothing-here"))
            assert response.content.decode().replace(slug, "…") == unknown.content.decode().replace(
                "nothing-here", "…"
            )
    everything = "\n".join([*pages.values(), *sitemaps, public_texts(client)]).lower()
    for word in forbidden():
        assert word.lower() not in everything, word
    # Media files of the hidden grant are not linked from anywhere public.
    assert secret.cover_photo.name.rsplit("/", 1)[-1].lower() not in everything

    # Its grant still counts: on the home page, the editions, its country and its theme.
    assert "A community organisation in Russia" in pages[f"/en/{EDITION}/"]
    assert "Une organisation communautaire" in pages[f"/fr/{EDITION}/"] or (
        "organisation communautaire" in pages[f"/fr/{EDITION}/"].lower()
    )
    home = pages["/en/"]
    figures = re.findall(r'<dd class="display-6 mb-0">(\d+)</dd>', home)
    assert figures[0] == "3"  # the shown grant and both hidden ones
    assert "3 initiatives" in pages["/en/editions/"]
    russia = pages["/en/countries/ru/"]
    assert "1 initiative" in russia and "A community organisation in Russia" in russia
    theme = pages[f"/en/themes/{programme.theme.slug}/"]
    assert "2 initiatives" in theme


def test_marking_an_organisation_refreshes_the_cached_pages_and_the_search_index(programme, client):
    shown = programme.shown
    organisation = shown.lead_organisation
    edition_page = f"/en/{EDITION}/"
    assert organisation.name in client.get(edition_page).content.decode()
    assert client.get(edition_page)["X-Page-Cache"] == "hit"
    assert client.get("/en/search/", {"q": "women"}).content.decode().count("Women organising")
    assert InitiativeSearch.objects.get(initiative=shown).vector_en is not None

    organisation.is_at_risk = True
    organisation.save()
    page = client.get(edition_page)
    assert page["X-Page-Cache"] == "miss"
    assert organisation.name not in page.content.decode()
    assert "A community organisation in Bolivia" in page.content.decode()
    assert client.get(f"/en/organisations/{organisation.slug}/").status_code == 404
    assert client.get(shown.get_absolute_url()).status_code == 404
    assert "Women organising" not in client.get("/en/search/", {"q": "women"}).content.decode()
    row = InitiativeSearch.objects.get(initiative=shown)
    assert row.vector_en is None and row.vector_ru is None
    sitemap = client.get("/sitemap-organisations.xml").content.decode()
    assert organisation.slug not in sitemap

    # Unmarked (the secretariat changed its mind): named again, and found again.
    organisation.is_at_risk = False
    organisation.save()
    assert organisation.name in client.get(edition_page).content.decode()
    assert InitiativeSearch.objects.get(initiative=shown).vector_en is not None
    assert "Women organising" in client.get("/en/search/", {"q": "women"}).content.decode()


def test_an_initiative_marked_at_risk_leaves_the_index_even_when_written_in_bulk(programme):
    from grants.models import Initiative

    Initiative.objects.filter(pk=programme.shown.pk).update(is_at_risk=True)
    assert InitiativeSearch.objects.get(initiative=programme.shown).vector_fr is None
    Initiative.objects.filter(pk=programme.shown.pk).update(is_at_risk=False)
    assert InitiativeSearch.objects.get(initiative=programme.shown).vector_fr is not None


def test_pages_listing_hidden_grants_are_valid_html(programme, client, tmp_path):
    from tests.html_checker import vnu_errors

    files = []
    for code in ("en", "ru"):
        for name, path in {
            "edition": f"/{code}/{EDITION}/",
            "initiatives": f"/{code}/initiatives/",
            "country": f"/{code}/countries/ru/",
            "organisation": f"/{code}/organisations/accion-andina/",
        }.items():
            response = client.get(path)
            assert response.status_code == 200
            files.append(tmp_path / f"{code}-{name}.html")
            files[-1].write_bytes(response.content)
    assert vnu_errors(files) == []
