"""Two programmes on one site, in a real browser (issue 15): the home page lists both, each
programme's pages carry its own logo and colours in two languages, accessible (axe), and the
addresses editions and initiatives had before answer with a permanent redirect."""

import pytest
from django.core.management import call_command

from tests.e2e.axe import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The demo's programmes: slug → (primary colour as the browser computes it, name per language).
PROGRAMMES = {
    "initiatives-programme": (
        "rgb(59, 47, 143)",
        {
            "en": "Support. Don't Punish Initiatives Programme",
            "fr": "Programme d’initiatives – Soutenez. Ne Punissez Pas",
        },
    ),
    "global-day-of-action": (
        "rgb(11, 93, 91)",
        {
            "en": "Global Day of Action small grants",
            "es": "Pequeñas subvenciones del Día de Acción Mundial",
        },
    ),
}


SITE_NAME = {
    "en": "Support. Don't Punish",
    "fr": "Soutenez. Ne punissez pas",
    "es": "Apoye. No castigue",
}


@pytest.fixture
def demo(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", force=True, verbosity=0)


def test_two_programmes_each_with_its_branding_in_two_languages(page, live_server, demo, artifacts):
    page.goto(f"{live_server.url}/en/")
    cards = page.locator("section.programme-card")
    assert cards.count() == 2
    for slug, (colour, names) in PROGRAMMES.items():
        card = page.locator(f'section[data-programme="{slug}"]')
        assert card.get_by_role("heading").inner_text() == names["en"]
        # The card's left border takes the programme's colour from its own stylesheet.
        assert card.evaluate("e => getComputedStyle(e).borderInlineStartColor") == colour
    assert axe_violations(page) == []
    page.screenshot(path=str(artifacts / "programmes-home-en.png"), full_page=True)

    for slug, (colour, names) in PROGRAMMES.items():
        for language, name in names.items():
            page.goto(f"{live_server.url}/{language}/{slug}/")
            assert page.locator("html").get_attribute("lang") == language
            band = page.locator(".programme-band")
            assert band.get_by_role("link", name=name).is_visible()
            assert band.evaluate("e => getComputedStyle(e).backgroundColor") == colour
            logo = band.locator("img.programme-logo")
            assert logo.evaluate("img => img.complete && img.naturalWidth > 0")
            # The site's own name stays in the header, above the programme.
            header = page.locator("header a").first.inner_text()
            assert header == SITE_NAME[language]
            # Its edition links are under the programme's address.
            edition_link = page.locator("#current-edition ~ p.h5 a")
            assert f"/{language}/{slug}/editions/" in edition_link.get_attribute("href")
            assert axe_violations(page) == [], (slug, language)
            page.screenshot(path=str(artifacts / f"programme-{slug}-{language}.png"))

    # An edition page of the second programme keeps its branding.
    page.goto(f"{live_server.url}/es/global-day-of-action/editions/day-of-action-2026/")
    band = page.locator(".programme-band")
    assert band.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(11, 93, 91)"
    page.screenshot(path=str(artifacts / "programme-day-of-action-edition-es.png"))


def test_old_addresses_redirect_permanently(page, live_server, demo):
    old_edition = f"{live_server.url}/fr/editions/2023/"
    response = page.request.get(old_edition, max_redirects=0)
    assert response.status == 301
    assert response.headers["location"] == "/fr/initiatives-programme/editions/2023/"

    old_initiative = f"{live_server.url}/en/editions/2023/initiatives/accion-andina/"
    response = page.request.get(old_initiative, max_redirects=0)
    assert response.status == 301
    new_initiative = "/en/initiatives-programme/editions/2023/initiatives/accion-andina/"
    assert response.headers["location"] == new_initiative

    # A visitor with an old link lands on the page, with the programme's branding.
    page.goto(old_initiative)
    assert page.url == f"{live_server.url}{new_initiative}"
    assert page.locator(".programme-band").is_visible()
    assert page.locator("h1").inner_text()
