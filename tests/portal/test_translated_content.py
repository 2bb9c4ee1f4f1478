"""The portal as a grantee reads it: the programme's content in the person's language, else the
global fallback list (English first) rather than the original language, with the same "not
translated yet" note as the public site; and a menu that offers only what applies to the
person."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from grants.models import LineOfAction
from organisations.models import User
from public.cache import invalidate_public_pages
from tests.factories import EditionFactory, InitiativeFactory
from tests.grants.factories import assign, open_edition, reviewer_user, under_review
from tests.portal.factories import first_report, make_member, make_organisation

pytestmark = pytest.mark.django_db

NOTE_ES = "Aún no traducido a su idioma: se muestra en"


@pytest.fixture
def spanish_member(organisation):
    return make_member(organisation, email="lucia@example.org", language="es")


@pytest.fixture
def french_initiative(organisation):
    """Written in French, translated into English, not into Spanish."""
    edition = EditionFactory(
        original_language="fr",
        title_fr="Programme d’initiatives 2031",
        title_en="Initiatives Programme 2031",
    )
    initiative = InitiativeFactory(
        edition=edition,
        lead_organisation=organisation,
        original_language="fr",
        title_fr="Réduction des risques dans les Andes",
        title_en="Harm reduction in the Andes",
        description_fr="Des ateliers.",
        description_en="Workshops.",
    )
    LineOfAction.objects.create(
        initiative=initiative, order=1, title_fr="Ateliers entre pairs", title_en="Peer workshops"
    )
    return initiative


def page(client, name: str, **kwargs) -> str:
    with translation.override("es"):
        url = reverse(name, kwargs=kwargs)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_a_spanish_reader_gets_english_with_the_note_not_the_french_original(
    client, spanish_member, french_initiative
):
    client.force_login(spanish_member)
    home = page(client, "portal:home")
    assert "Harm reduction in the Andes" in home
    assert "Initiatives Programme 2031" in home
    assert "Réduction des risques" not in home and "Programme d’initiatives" not in home
    assert home.count(NOTE_ES) == 2  # the title and the edition's name
    assert "se muestra en inglés" in home

    workplan = page(client, "portal:workplan", pk=french_initiative.pk)
    assert "Peer workshops" in workplan and "Ateliers entre pairs" not in workplan
    assert NOTE_ES in workplan

    report = first_report(french_initiative)
    detail = page(client, "portal:report", pk=report.pk)
    assert "Harm reduction in the Andes" in detail and NOTE_ES in detail


def test_the_persons_language_is_shown_without_a_note_when_it_exists(
    client, spanish_member, french_initiative
):
    french_initiative.title_es = "Reducción de daños en los Andes"
    french_initiative.save()
    client.force_login(spanish_member)
    home = page(client, "portal:home")
    assert "Reducción de daños en los Andes" in home
    assert home.count(NOTE_ES) == 1  # only the edition's name, still in English


def test_the_public_site_follows_its_own_fallback_setting(client, french_initiative, settings):
    """The visitor's page reads in the order of CONTENT_FALLBACK_LANGUAGES (by default English
    before the original, like the portal); a site that puts the original first gets it there,
    while the portal keeps its order."""
    with translation.override("es"):
        url = french_initiative.get_absolute_url()
    content = client.get(url).content.decode()
    assert "Harm reduction in the Andes" in content
    assert "se muestra en inglés" in content
    settings.CONTENT_FALLBACK_LANGUAGES = {"es": ("es", "original", "en")}
    invalidate_public_pages()
    content = client.get(url).content.decode()
    assert "Réduction des risques dans les Andes" in content
    assert "se muestra en francés" in content


# --- the menu -----------------------------------------------------------------------------------


def menu_of(client, user) -> str:
    client.force_login(user)
    html = client.get("/en/portal/").content.decode()
    return html.split('aria-label="Portal"', 1)[1].split("</nav>", 1)[0]


def test_the_menu_offers_only_what_applies_to_the_person(client, organisation, secretary):
    member = make_member(organisation, email="member@example.org")
    menu = menu_of(client, member)
    assert "My applications" in menu and "My reviews" not in menu

    loner = User.objects.create_user(email="loner@example.org", password="a-long-password-1")
    menu = menu_of(client, loner)
    assert "My applications" not in menu and "My reviews" not in menu

    reviewer = reviewer_user("panel@example.org")
    menu = menu_of(client, reviewer)
    assert "My reviews" in menu and "My applications" not in menu


def test_a_reviewer_with_assignments_sees_my_reviews(client, secretary):
    edition = open_edition()
    application = under_review(edition, secretary)
    reviewer = reviewer_user("assigned@example.org")
    assign(application, reviewer, secretary)
    reviewer.groups.clear()  # left the group, still has the assignment to finish
    assert "My reviews" in menu_of(client, reviewer)


def test_the_menu_costs_the_same_whatever_the_person_has(client, organisation, secretary):
    def queries(user) -> int:
        client.force_login(user)
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/en/portal/").status_code == 200
        return len(captured)

    plain = make_member(organisation, email="plain@example.org")
    busy = make_member(make_organisation(name="Other"), email="busy@example.org")
    for n in range(3):
        make_member(make_organisation(name=f"Sister {n}"), email=f"s{n}@example.org")
    organisation_of_busy = busy.memberships.first().organisation
    application = under_review(open_edition(), secretary, organisation=organisation_of_busy)
    reviewer = reviewer_user("both@example.org")
    assign(application, reviewer, secretary)
    assert queries(plain) == queries(busy)
