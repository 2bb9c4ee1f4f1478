"""The public site in a real browser: accessible (axe-core, WCAG 2.1 AA), usable on a phone,
and the language switcher keeps the visitor on the same page."""

import io
import json

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from PIL import Image

from grants.models import Initiative
from tests.e2e.axe import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_site(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", force=True, verbosity=0)
    initiative = Initiative.objects.get(edition__slug="2023", order=2)
    buffer = io.BytesIO()
    Image.new("RGB", (1600, 1000), (180, 60, 40)).save(buffer, "JPEG")
    initiative.cover_photo.save("recife.jpg", ContentFile(buffer.getvalue()))
    return initiative


def public_pages(initiative) -> dict[str, str]:
    theme = initiative.themes.first()
    # The demo's 2023 initiative with results (highlights and a photo) on its page.
    with_results = Initiative.objects.get(edition__slug="2023", slug="accion-andina")
    return {
        "home": "/fr/",
        "programme": "/fr/initiatives-programme/",
        "other programme": "/es/global-day-of-action/",
        "editions": "/fr/editions/",
        "edition": "/fr/initiatives-programme/editions/2023/",
        "initiative": initiative.get_absolute_url().replace("/en/", "/fr/"),
        "initiative with results": with_results.get_absolute_url().replace("/en/", "/fr/"),
        "results, not translated": with_results.get_absolute_url().replace("/en/", "/pt/"),
        "initiatives": "/fr/initiatives/?country=BR",
        "country": "/fr/countries/br/",
        "theme": f"/fr/themes/{theme.slug}/",
        "organisation": f"/fr/organisations/{initiative.lead_organisation.slug}/",
        "search": "/fr/search/?q=risques",
        "funding": "/fr/funding/",
        "funding filtered": "/fr/funding/?country=BR&sort=-amount&min=abc",
        "not found": "/fr/editions/1999/",
    }


def test_every_page_type_passes_axe(page, live_server, demo_site):
    report = {}
    for name, path in public_pages(demo_site).items():
        page.goto(f"{live_server.url}{path}")
        violations = axe_violations(page)
        if violations:
            report[name] = violations
    assert report == {}, json.dumps(report, indent=1)


def test_edition_page_on_a_phone_has_no_horizontal_scroll(
    browser, live_server, demo_site, artifacts
):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    page = context.new_page()
    try:
        for name, path in public_pages(demo_site).items():
            page.goto(f"{live_server.url}{path}")
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            assert scroll_width <= 360, (name, scroll_width)
        page.goto(f"{live_server.url}/fr/initiatives-programme/editions/2023/")
        assert page.locator("h3.initiative-heading").count() == 6
        page.screenshot(path=str(artifacts / "edition-2023-fr-mobile.png"), full_page=False)
        # The cover photo comes as responsive thumbnails, lazily loaded, captioned.
        image = page.locator("figure img").first
        assert image.get_attribute("loading") == "lazy"
        assert "480w" in image.get_attribute("srcset")
        assert image.get_attribute("alt")
    finally:
        context.close()


def test_language_switcher_keeps_the_visitor_on_the_same_page(page, live_server, demo_site):
    path = demo_site.get_absolute_url().replace("/en/", "/fr/")
    page.goto(f"{live_server.url}{path}")
    french_title = page.locator("h1").inner_text()
    page.get_by_role("link", name="English", exact=True).click()
    page.wait_for_url(f"**{demo_site.get_absolute_url()}")
    assert page.locator("html").get_attribute("lang") == "en"
    english_title = page.locator("h1").inner_text()
    assert english_title != french_title
    page.get_by_role("link", name="español", exact=True).click()
    page.wait_for_url("**/es/initiatives-programme/editions/2023/initiatives/**")
    # No Spanish text yet: the English translation shows (the visitor's language, English,
    # then the original: CONTENT_FALLBACK_LANGUAGES), marked and with a note, never blank.
    assert page.locator("h1").inner_text() == english_title
    assert page.locator("h1").get_attribute("lang") == "en"
    assert page.locator("text=/traducid|translated/i").count() >= 1


def test_pages_work_without_javascript(browser, live_server, demo_site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/fr/initiatives/")
        page.select_option("#filter-country", "ML")
        page.get_by_role("button", name="Filtrer").click()
        page.wait_for_url("**country=ML**")
        assert page.locator("article.col").count() == 1
        page.fill("#site-search", "Sikasso")
        page.locator("form[role=search] button").click()
        page.wait_for_url("**/search/?q=Sikasso")
        assert page.locator("article.col").count() == 1
    finally:
        context.close()
