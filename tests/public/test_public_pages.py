"""The first public pages: home and the edition page, in the visitor's language."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from tests.factories import (
    EditionFactory,
    InitiativeFactory,
    LineOfActionFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db

ORGANISATIONS = [
    "Acción Andina",
    "Escola Livre de Redução de Danos",
    "Aksi Keadilan Indonesia",
    "Association Kénédougou Solidarité",
    "Helsinki Foundation for Human Rights",
    "SKOSH",
]


@pytest.fixture
def demo(db):
    call_command("load_demo", force=True, verbosity=0)


def headings(html: str) -> list[str]:
    import re

    return [
        re.sub(r"\s+", " ", h).strip()
        for h in re.findall(r'<h3 class="initiative-heading"[^>]*>(.*?)</h3>', html, re.S)
    ]


def test_edition_page_in_french_lists_the_six_initiatives(client, demo):
    response = client.get("/fr/initiatives-programme/editions/2023/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert "Programme d’initiatives" in html or "Programme d'initiatives" in html
    found = headings(html)
    assert len(found) == 6
    for country in ["Bolivie", "Brésil", "Indonésie", "Mali", "Pologne"]:
        assert any(h.startswith(country) for h in found), (country, found)
    assert found[-1].startswith("Internationale / Russie")
    for name in ORGANISATIONS:
        assert any(name in h for h in found), name
    assert all("Organisée par" in h for h in found)
    assert "Elton John AIDS Foundation" in html
    assert "Not yet translated" not in html


def test_edition_page_in_english(client, demo):
    response = client.get("/en/initiatives-programme/editions/2023/")
    assert response.status_code == 200
    html = response.content.decode()
    found = headings(html)
    assert len(found) == 6
    for country in ["Bolivia", "Brazil", "Indonesia", "Mali", "Poland"]:
        assert any(h.startswith(country) for h in found), (country, found)
    assert found[-1].startswith("International / Russia")
    assert all("Led by" in h for h in found)
    assert "Initiatives Programme" in html
    kwargs = {"programme": "initiatives-programme", "edition": "2022"}
    assert reverse("public:edition", kwargs=kwargs) in html


def test_home_lists_published_editions_only(client):
    EditionFactory(year=2023, slug="2023", title_en="Published edition")
    EditionFactory(year=2024, slug="2024", title_en="Hidden edition", is_published=False)
    html = client.get("/en/").content.decode()
    assert "Published edition" in html
    assert "Hidden edition" not in html


def test_unpublished_edition_and_initiatives_are_not_shown(client):
    hidden = EditionFactory(is_published=False)
    assert client.get(f"/en/initiatives-programme/editions/{hidden.slug}/").status_code == 404
    edition = EditionFactory()
    InitiativeFactory(edition=edition, title_en="Visible initiative")
    InitiativeFactory(edition=edition, title_en="Draft initiative", is_published=False)
    html = client.get(f"/en/initiatives-programme/editions/{edition.slug}/").content.decode()
    assert "Visible initiative" in html
    assert "Draft initiative" not in html


def test_missing_translation_falls_back_to_the_original_language(client):
    edition = EditionFactory(
        original_language="fr",
        title_en="",
        title_fr="Programme d'initiatives 2023",
        introduction_fr="Texte original en français.",
        introduction_en="",
        introduction_es="",
    )
    initiative = InitiativeFactory(
        edition=edition,
        original_language="fr",
        title_en="",
        title_fr="Exposition",
        description_en="",
        description_fr="Une exposition artistique.",
    )
    with translation.override("es"):
        assert edition.title == "Programme d'initiatives 2023"
        assert initiative.description == "Une exposition artistique."
    # English text exists for nothing: Spanish readers get the original French, not blank.
    html = client.get(f"/es/initiatives-programme/editions/{edition.slug}/").content.decode()
    assert "Texte original en français." in html
    assert "Une exposition artistique." in html
    assert 'lang="es"' in html


def test_fallback_prefers_english_over_the_original_language_by_default():
    # Issue 13: a Russian or Portuguese reader of a French original reads the English
    # translation where there is one (the visitor's language, English, then the original).
    edition = EditionFactory(
        original_language="fr",
        title_en="Initiatives Programme 2023",
        title_fr="Programme d'initiatives 2023",
        introduction_en="",
        introduction_fr="Texte original.",
    )
    for language in ("pt", "ru", "es"):
        with translation.override(language):
            assert edition.title == "Initiatives Programme 2023"
            assert edition.introduction == "Texte original."
    with translation.override("fr"):
        assert edition.title == "Programme d'initiatives 2023"


def test_the_fallback_chain_per_language_is_a_setting(settings):
    settings.CONTENT_FALLBACK_LANGUAGES = {
        **settings.CONTENT_FALLBACK_LANGUAGES,
        "pt": ("pt", "es", "original", "en"),
    }
    edition = EditionFactory(
        original_language="fr",
        title_en="Initiatives Programme 2023",
        title_fr="Programme d'initiatives 2023",
        title_es="",
    )
    with translation.override("pt"):
        assert edition.title == "Programme d'initiatives 2023"
    edition.title_es = "Programa de iniciativas 2023"
    with translation.override("pt"):
        assert edition.title == "Programa de iniciativas 2023"
    with translation.override("ru"):
        assert edition.title == "Initiatives Programme 2023"


def test_the_fallback_setting_is_read_from_the_environment():
    from config.settings.base import content_fallbacks

    chains = content_fallbacks("ru=ru, en, original; pt=pt,es,en,original")
    assert chains["ru"] == ("ru", "en", "original")
    assert chains["pt"] == ("pt", "es", "en", "original")
    assert chains["fr"] == ("fr", "en", "original")
    assert content_fallbacks("")["es"] == ("es", "en", "original")


def test_fallback_note_is_shown_only_when_text_is_in_another_language(client):
    edition = EditionFactory(
        original_language="fr", title_fr="Édition", introduction_fr="Bonjour.", introduction_en=""
    )
    html_en = client.get(f"/en/initiatives-programme/editions/{edition.slug}/").content.decode()
    html_fr = client.get(f"/fr/initiatives-programme/editions/{edition.slug}/").content.decode()
    assert "Bonjour." in html_en
    assert "Not yet translated into your language" in html_en
    assert "Bonjour." in html_fr
    assert "Not yet translated" not in html_fr
    assert "pas encore traduit" not in html_fr.lower()


def test_edition_page_queries_do_not_grow_with_initiatives(client, django_assert_num_queries):
    edition = EditionFactory()
    organisation = OrganisationFactory()
    for _ in range(2):
        LineOfActionFactory(
            initiative=InitiativeFactory(edition=edition, lead_organisation=organisation)
        )
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(f"/en/initiatives-programme/editions/{edition.slug}/").status_code == 200
    for _ in range(10):
        LineOfActionFactory(initiative=InitiativeFactory(edition=edition))
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(f"/en/initiatives-programme/editions/{edition.slug}/").status_code == 200


def test_language_links_point_to_the_same_page(client):
    edition = EditionFactory(slug="2023", year=2023)
    html = client.get(f"/fr/initiatives-programme/editions/{edition.slug}/").content.decode()
    for code in ["en", "fr", "es", "pt", "ru"]:
        assert f'href="/{code}/initiatives-programme/editions/2023/"' in html
