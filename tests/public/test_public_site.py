"""The whole public site: every page type in every language, published content only, a fixed
number of queries whatever the size of the data, cached pages invalidated on publish."""

import re
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    EditionFactory,
    EditionFunderFactory,
    InitiativeFactory,
    LineOfActionFactory,
    OrganisationFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "fr", "es", "pt", "ru"]


def populate(editions: int, *, start: int = 0) -> dict:
    """``editions`` published editions of three initiatives each, with lines and themes."""
    theme = ThemeFactory(slug=f"theme-scale-{start}")
    made = {}
    for index in range(start, start + editions):
        edition = EditionFactory(number=index + 1, year=2000 + index, slug=str(2000 + index))
        EditionFunderFactory(edition=edition)
        for position in range(3):
            organisation = OrganisationFactory()
            initiative = InitiativeFactory(
                edition=edition,
                lead_organisation=organisation,
                countries=["BO", "BR"] if position else ["PL"],
                title_en=f"Harm reduction project {index}-{position}",
                order=position,
            )
            initiative.themes.add(theme)
            LineOfActionFactory(initiative=initiative)
            LineOfActionFactory(initiative=initiative)
            made.setdefault("initiative", initiative)
            made.setdefault("organisation", organisation)
            made.setdefault("edition", edition)
    made["theme"] = theme
    return made


def page_urls(made: dict, language: str = "en") -> dict[str, str]:
    initiative = made["initiative"]
    return {
        "home": f"/{language}/",
        "editions": f"/{language}/editions/",
        "edition": f"/{language}/initiatives-programme/editions/{made['edition'].slug}/",
        "initiative": f"/{language}/initiatives-programme/editions/{initiative.edition.slug}/"
        f"initiatives/{initiative.slug}/",
        "initiatives": f"/{language}/initiatives/",
        "filtered": f"/{language}/initiatives/?country=BO&theme={made['theme'].slug}",
        "country": f"/{language}/countries/bo/",
        "theme": f"/{language}/themes/{made['theme'].slug}/",
        "organisation": f"/{language}/organisations/{made['organisation'].slug}/",
        "search": f"/{language}/search/?q=harm+reduction",
        "funding": f"/{language}/funding/",
        "funding filtered": f"/{language}/funding/?country=BO&sort=-amount&min=1",
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_type_renders_in_every_language(client, language):
    made = populate(1)
    for name, url in page_urls(made, language).items():
        response = client.get(url)
        assert response.status_code == 200, (name, url)
        html = response.content.decode()
        assert f'<html lang="{language}">' in html, name
        assert "<title>" in html and 'rel="canonical"' in html, name
        for other in LANGUAGES:
            assert f'hreflang="{other}"' in html, (name, other)
        assert 'hreflang="x-default"' in html


def test_page_content(client):
    made = populate(1)
    urls = page_urls(made)
    initiative = made["initiative"]
    assert initiative.title in client.get(urls["initiative"]).content.decode()
    assert initiative.title in client.get(urls["organisation"]).content.decode()
    search = client.get(urls["search"]).content.decode()
    assert "Harm reduction project" in search
    empty = client.get("/en/search/?q=zebra").content.decode()
    assert "No initiative matches" in empty
    filtered = client.get(urls["filtered"]).content.decode()
    assert "2 initiatives" in filtered  # the two in Bolivia


def test_unpublished_content_is_not_found_even_by_its_address(client):
    made = populate(1)
    edition = made["edition"]
    hidden_edition = EditionFactory(is_published=False, slug="hidden")
    hidden_in_hidden = InitiativeFactory(edition=hidden_edition, countries=["ML"])
    draft = InitiativeFactory(edition=edition, is_published=False, countries=["ID"])
    lonely = OrganisationFactory()  # an applicant: no published initiative
    for url in [
        f"/en/initiatives-programme/editions/{hidden_edition.slug}/",
        f"/en/initiatives-programme/editions/{hidden_edition.slug}/initiatives/{hidden_in_hidden.slug}/",
        f"/en/initiatives-programme/editions/{edition.slug}/initiatives/{draft.slug}/",
        f"/en/organisations/{draft.lead_organisation.slug}/",
        f"/en/organisations/{lonely.slug}/",
        "/en/countries/id/",
        "/en/countries/ml/",
        "/en/countries/xx/",
        "/en/themes/no-such-theme/",
    ]:
        assert client.get(url).status_code == 404, url
    listing = client.get("/en/initiatives/").content.decode()
    assert draft.title not in listing and hidden_in_hidden.title not in listing
    assert draft.title not in client.get("/en/search/?q=initiative").content.decode()
    sitemap = sitemaps_of(client)
    assert draft.slug not in sitemap and "/hidden/" not in sitemap


def count_queries(client, url: str) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


def test_queries_per_page_do_not_grow_with_the_data(client):
    made = populate(1)
    urls = dict(
        page_urls(made), sitemap="/sitemap.xml", initiatives_sitemap="/sitemap-initiatives.xml"
    )
    small = {name: count_queries(client, url) for name, url in urls.items()}
    populate(9, start=1)
    large = {name: count_queries(client, url) for name, url in urls.items()}
    assert large == small
    # And the numbers stay small: a regression here is an N+1 somewhere. (The funding
    # explorer adds its grants up five ways and lists them: 11; the edition page adds its total.)
    assert max(small.values()) <= 12, small


def test_pages_are_cached_and_publishing_invalidates_them(client):
    made = populate(1)
    edition = made["edition"]
    url = f"/fr/initiatives-programme/editions/{edition.slug}/"
    cache.clear()
    assert client.get(url)["X-Page-Cache"] == "miss"
    with CaptureQueriesContext(connection) as context:
        assert client.get(url)["X-Page-Cache"] == "hit"
    assert len(context.captured_queries) == 0
    # The secretariat publishes a new initiative: the page shows it at once.
    InitiativeFactory(edition=edition, title_fr="Nouvelle initiative", is_published=False)
    assert "Nouvelle initiative" not in client.get(url).content.decode()
    new = edition.initiatives.get(title_fr="Nouvelle initiative")
    new.is_published = True
    new.save()
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "Nouvelle initiative" in response.content.decode()
    # Each language has its own cached copy.
    english = client.get(f"/en/initiatives-programme/editions/{edition.slug}/")
    assert 'lang="en"' in english.content.decode()


def test_logged_in_people_are_never_served_cached_pages(client, django_user_model):
    made = populate(1)
    url = page_urls(made)["edition"]
    client.get(url)
    user = django_user_model.objects.create_user(email="staff@example.org", password="x" * 12)
    client.force_login(user)
    assert "X-Page-Cache" not in client.get(url)


ALLOWED_REFERENCE = re.compile(r'(?:href|src|srcset|content|action)="([^"]*)"')


def test_no_page_references_another_host(client):
    made = populate(1)
    for name, url in page_urls(made).items():
        html = client.get(url, HTTP_HOST="testserver").content.decode()
        for value in ALLOWED_REFERENCE.findall(html):
            for part in value.split(","):
                candidate = part.strip().split(" ")[0]
                host = urlsplit(candidate).netloc
                assert host in ("", "testserver"), (name, candidate)
        assert "//" not in re.sub(
            r"https?://testserver", "", " ".join(re.findall(r"url\(([^)]*)\)", html))
        ), name


def sitemaps_of(client) -> str:
    """Every sitemap the index at /sitemap.xml lists, read and put together."""
    index = client.get("/sitemap.xml").content.decode()
    files = re.findall(r"<loc>http://testserver(/sitemap-[a-z]+\.xml(?:\?p=\d+)?)</loc>", index)
    assert files, index
    return "".join(client.get(name.replace("&amp;", "&")).content.decode() for name in files)


def test_sitemap_has_every_language_with_alternates(client):
    made = populate(1)
    sitemap = sitemaps_of(client)
    initiative = made["initiative"]
    for language in LANGUAGES:
        assert (
            f"/{language}/initiatives-programme/editions/{initiative.edition.slug}/initiatives/{initiative.slug}/"
            in sitemap
        )
        assert f'hreflang="{language}"' in sitemap
    assert "/en/countries/bo/" in sitemap
    robots = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in robots
    assert "Disallow: /en/admin/" in robots


def test_sitemap_files_hold_at_most_their_limit(client, monkeypatch):
    """The index lists each section's files; a file never holds more addresses than the limit
    (the protocol's is 50,000), and together they hold every page in every language."""
    monkeypatch.setattr("public.sitemaps.I18nSitemap.limit", 15)  # three items per file
    populate(3)  # nine initiatives: three files of initiatives
    index = client.get("/sitemap.xml").content.decode()
    assert "/sitemap-initiatives.xml?p=3</loc>" in index
    assert "/sitemap-initiatives.xml?p=4</loc>" not in index
    locations = []
    for page in (1, 2, 3):
        content = client.get(f"/sitemap-initiatives.xml?p={page}").content.decode()
        urls = re.findall(r"<url>\s*<loc>([^<]+)</loc>", content)
        assert len(urls) == 15, (page, len(urls))
        locations += urls
    assert len(set(locations)) == 45  # nine initiatives × five languages, each once
    assert client.get("/sitemap-initiatives.xml?p=4").status_code == 404


def test_amounts_and_dates_follow_the_locale(client):
    made = populate(1)
    initiative = made["initiative"]
    initiative.amount_awarded = 4500
    initiative.save()
    url = page_urls(made, "fr")["initiative"]
    html = client.get(url).content.decode()
    assert "4\u202f500\u00a0USD" in html or "4\u00a0500\u00a0USD" in html
    assert "juin" in html
    english = client.get(page_urls(made, "en")["initiative"]).content.decode()
    assert "4,500\u00a0USD" in english
    assert "June" in english
