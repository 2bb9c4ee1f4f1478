"""The "not translated yet" note (issue 13): one note per block where its text falls back,
naming the language shown, next to the text (not twice at the top, not before every
paragraph), and the fallback text marked with its ``lang``."""

import re

import pytest

from tests.factories import (
    EditionFactory,
    EditionFunderFactory,
    FunderFactory,
    InitiativeFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db

SPANISH_NOTE = "Aún no traducido a su idioma: se muestra en"
RUSSIAN_NOTE = "Ещё не переведено на ваш язык"


NOTE = '<p class="small text-body-secondary fst-italic mb-1">'


def notes(html: str, text: str) -> list[str]:
    return re.findall(rf"{NOTE}({text}[^<]*)</p>", html)


def sections(html: str) -> list[str]:
    return re.findall(r'<section class="initiative py-4".*?</section>', html, re.S)


@pytest.fixture
def edition():
    """An edition written in English and French; a funder's thanks in French only; two
    initiatives in English only, their organisations presented in French only."""
    edition = EditionFactory(
        slug="2023",
        original_language="fr",
        title_en="Initiatives Programme 2023",
        title_fr="Programme d'initiatives 2023",
        introduction_en="The third edition.",
        introduction_fr="La troisième édition.",
    )
    EditionFunderFactory(
        edition=edition,
        funder=FunderFactory(name="Fondation Exemple"),
        acknowledgement_en="",
        acknowledgement_fr="Avec le soutien de la Fondation Exemple.",
    )
    for number in (1, 2):
        InitiativeFactory(
            edition=edition,
            slug=f"grant-{number}",
            original_language="en",
            title_en=f"Peer outreach {number}",
            description_en="Paragraph one.\n\nParagraph two.",
            expected_results_en="Forty peers trained.",
            lead_organisation=OrganisationFactory(
                description_en="", description_fr="Une association de pairs."
            ),
            order=number,
        )
    return edition


def test_spanish_page_one_note_per_block_where_the_text_falls_back(client, edition):
    html = client.get("/es/initiatives-programme/editions/2023/").content.decode()
    start = html.index("<article>")
    header = html[start : html.index("</header>", start)]
    # One note at the top (title and introduction, both shown in English), naming English.
    assert notes(header, SPANISH_NOTE) == [f"{SPANISH_NOTE} inglés."]
    # The funder's thanks (French) have their own note, right before them, naming French.
    thanks = html.index("Avec le soutien de la Fondation Exemple.")
    before_thanks = html[html.index("</header>", html.index("<article>")) : thanks]
    assert notes(before_thanks, SPANISH_NOTE) == [f"{SPANISH_NOTE} francés."]
    assert '<p class="border-start border-3 ps-3 fst-italic" lang="fr">' in html
    # Each initiative: one note next to its title, naming both languages it is shown in.
    found = sections(html)
    assert len(found) == 2
    for section in found:
        assert notes(section, SPANISH_NOTE) == [f"{SPANISH_NOTE} inglés, francés."]
        assert re.search(r'<a href="[^"]+" lang="en">Peer outreach \d</a>', section)
        assert '<div class="organisation-presentation" lang="fr">' in section
        assert '<div class="initiative-description" lang="en">' in section
    # 1 (top) + 1 (thanks) + 2 (initiatives), and nothing else.
    assert len(notes(html, SPANISH_NOTE)) == 4
    assert '<h1 lang="en">Initiatives Programme 2023</h1>' in html


def test_russian_page_does_not_repeat_the_note_before_every_paragraph(client, edition):
    html = client.get("/ru/initiatives-programme/editions/2023/").content.decode()
    assert len(notes(html, RUSSIAN_NOTE)) == 4
    for section in sections(html):
        assert len(notes(section, RUSSIAN_NOTE)) == 1


def test_no_note_and_no_lang_where_everything_is_translated(client, edition):
    html = client.get("/fr/initiatives-programme/editions/2023/").content.decode()
    # In French only the initiatives (English) fall back; the header and the thanks do not.
    assert 'lang="fr"' not in html.split("<main", 1)[1].split("</main>")[0].replace(
        'lang="fr" hreflang="fr"', ""
    )
    assert len(notes(html, "Pas encore traduit")) == 2
    assert len(re.findall("fst-italic mb-1", html)) == 2


def test_cards_of_the_initiative_list_say_where_they_fall_back(client, edition):
    html = client.get("/es/initiatives/").content.decode()
    cards = re.findall(r'<article class="col">.*?</article>', html, re.S)
    assert len(cards) == 2
    for card in cards:
        assert notes(card, SPANISH_NOTE) == [f"{SPANISH_NOTE} inglés."]
        assert 'lang="en">Peer outreach' in card


def test_russian_reader_of_a_french_original_reads_the_english_and_is_told(client, edition):
    html = client.get("/ru/initiatives-programme/editions/2023/").content.decode()
    assert "The third edition." in html and "La troisième édition." not in html
    start = html.index("<article>")
    header = html[start : html.index("</header>", start)]
    assert len(notes(header, RUSSIAN_NOTE)) == 1
    assert "английский" in notes(header, RUSSIAN_NOTE)[0].lower()


def test_other_fallback_settings_do_not_reuse_cached_pages(client, edition, settings):
    from public.cache import settings_mark

    before = settings_mark()
    try:
        settings.CONTENT_FALLBACK_LANGUAGES = {"es": ("es", "original", "en")}
        settings_mark.cache_clear()  # what a restart with the new settings does
        assert settings_mark() != before
        html = client.get("/es/initiatives-programme/editions/2023/").content.decode()
        assert "La troisième édition." in html
    finally:
        settings_mark.cache_clear()
