"""Several programmes on one site (issue 15): the home page lists them (or is the only one's
page), each has its page and its branding, edition and initiative addresses carry the
programme, and the addresses they had before answer with a permanent redirect."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from programme.models import Programme
from tests.factories import EditionFactory, InitiativeFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_programmes():
    main = EditionFactory(number=3, year=2023, slug="2023", is_published=True)
    InitiativeFactory(edition=main, slug="women-organising", is_published=True)
    other = ProgrammeFactory(
        slug="global-day-of-action",
        name_en="Global Day of Action small grants",
        name_fr="Petites subventions de la Journée mondiale d’action",
        short_description_en="Small grants for 26 June.",
        primary_colour="#0b5d5b",
        tint_colour="#e6f4f3",
    )
    day = EditionFactory(programme=other, number=1, year=2026, slug="day-2026", is_published=True)
    return main, day


def test_addresses_carry_the_programme(two_programmes):
    main, day = two_programmes
    initiative = main.initiatives.get()
    with translation.override("fr"):
        assert main.programme.get_absolute_url() == "/fr/initiatives-programme/"
        assert main.get_absolute_url() == "/fr/initiatives-programme/editions/2023/"
        assert day.get_absolute_url() == "/fr/global-day-of-action/editions/day-2026/"
        assert initiative.get_absolute_url() == (
            "/fr/initiatives-programme/editions/2023/initiatives/women-organising/"
        )


def test_home_lists_the_programmes_with_their_latest_edition(client, two_programmes):
    main, day = two_programmes
    html = client.get("/en/").content.decode()
    assert 'href="/en/initiatives-programme/"' in html
    assert 'href="/en/global-day-of-action/"' in html
    assert "Small grants for 26 June." in html
    assert f'href="{main.get_absolute_url()}"'.replace("/fr/", "/en/") in html
    assert 'href="/en/global-day-of-action/editions/day-2026/"' in html
    # Each card takes its programme's colours from that programme's stylesheet.
    assert 'data-programme="global-day-of-action"' in html
    assert 'href="/programme-style/global-day-of-action.css?v=' in html
    french = client.get("/fr/").content.decode()
    assert "Petites subventions de la Journée mondiale d’action" in french


def test_with_one_programme_home_is_its_page_and_names_it_canonical(client):
    EditionFactory(number=1, year=2021, slug="2021", is_published=True)
    html = client.get("/en/").content.decode()
    assert "<h1" in html and "Initiatives Programme</h1>" in html
    assert 'rel="canonical" href="http://testserver/en/initiatives-programme/"' in html
    assert 'data-programme="initiatives-programme"' in html


def test_a_programme_page_shows_only_its_editions_and_its_branding(client, two_programmes):
    main, day = two_programmes
    response = client.get("/en/global-day-of-action/")
    assert response.status_code == 200
    html = response.content.decode()
    assert day.title in html and main.title not in html
    assert (
        '<body class="d-flex flex-column min-vh-100" data-programme="global-day-of-action">' in html
    )
    assert 'class="programme-band"' in html
    assert "Global Day of Action small grants · Support. Don&#x27;t Punish</title>" in html
    # The site's own name stays in the header.
    assert re.search(r'href="/en/">Support\. Don&#x27;t Punish</a>', html)


def test_a_programme_without_published_edition_has_no_page(client, two_programmes):
    ProgrammeFactory(slug="coming-soon", name_en="Coming soon")
    EditionFactory(programme=Programme.objects.get(slug="coming-soon"), is_published=False)
    assert client.get("/en/coming-soon/").status_code == 404
    assert client.get("/en/no-such-programme/").status_code == 404


def test_an_edition_under_another_programme_is_not_found(client, two_programmes):
    assert client.get("/en/global-day-of-action/editions/2023/").status_code == 404
    assert client.get("/en/initiatives-programme/editions/day-2026/").status_code == 404
    assert (
        client.get(
            "/en/global-day-of-action/editions/2023/initiatives/women-organising/"
        ).status_code
        == 404
    )


def test_old_edition_and_initiative_addresses_redirect_permanently(client, two_programmes):
    response = client.get("/fr/editions/2023/")
    assert response.status_code == 301
    assert response["Location"] == "/fr/initiatives-programme/editions/2023/"
    response = client.get("/es/editions/day-2026/?page=2&utm_source=x")
    assert response.status_code == 301
    assert response["Location"] == "/es/global-day-of-action/editions/day-2026/?page=2&utm_source=x"
    response = client.get("/en/editions/2023/initiatives/women-organising/")
    assert response.status_code == 301
    assert response["Location"] == (
        "/en/initiatives-programme/editions/2023/initiatives/women-organising/"
    )
    assert client.get(response["Location"]).status_code == 200
    # An edition that is not public (or not there) is not found at its old address either.
    hidden = EditionFactory(number=9, year=2029, slug="2029", is_published=False)
    assert client.get(f"/en/editions/{hidden.slug}/").status_code == 404
    assert client.get("/en/editions/1999/initiatives/anything/").status_code == 404
    # The editions index keeps its address.
    assert client.get("/en/editions/").status_code == 200


def test_the_stylesheet_holds_only_the_validated_colours(client, two_programmes):
    response = client.get(reverse("programme-style", kwargs={"slug": "global-day-of-action"}))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/css; charset=utf-8"
    assert response.content.decode() == (
        '[data-programme="global-day-of-action"] {\n'
        "  --programme-primary: #0b5d5b;\n"
        "  --programme-tint: #e6f4f3;\n"
        "}\n"
    )
    # Served by the site itself: the policy's style-src 'self' lets it apply, no inline style.
    page = client.get("/en/global-day-of-action/")
    assert (
        "style-src" not in page["Content-Security-Policy"]
        or "'unsafe-inline'" not in (page["Content-Security-Policy"])
    )
    assert "<style" not in page.content.decode()
    assert client.get("/programme-style/nothing.css").status_code == 404


def test_sitemap_api_and_search_use_the_new_addresses(client, two_programmes):
    main, _day = two_programmes
    index = client.get("/sitemap.xml").content.decode()
    assert "/sitemap-programmes.xml" in index
    programmes = client.get("/sitemap-programmes.xml").content.decode()
    assert "http://testserver/fr/global-day-of-action/" in programmes
    editions = client.get("/sitemap-editions.xml").content.decode()
    assert "http://testserver/pt/global-day-of-action/editions/day-2026/" in editions
    assert "/en/editions/2023/" not in editions
    api = client.get("/api/v1/editions?lang=en").json()
    urls = {row["slug"]: row["url"] for row in api["results"]}
    assert urls["day-2026"] == "http://testserver/en/global-day-of-action/editions/day-2026/"
    grants = client.get("/api/v1/initiatives?lang=en").json()["results"]
    assert grants[0]["url"].endswith(
        "/en/initiatives-programme/editions/2023/initiatives/women-organising/"
    )


def test_programme_pages_run_a_fixed_number_of_queries(
    client, two_programmes, django_assert_max_num_queries
):
    for number in range(4, 8):
        EditionFactory(number=number, year=2020 + number, is_published=True)
    with django_assert_max_num_queries(8):
        assert client.get("/en/").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get("/en/initiatives-programme/").status_code == 200
