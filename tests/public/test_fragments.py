"""Shared fragments of the public pages (``public.templatetags.fragments``): a visitor with a
session is not served the page cache, but the body of each page comes from the cache once
rendered. A change to public content shows at once; what is per person never is shared."""

import pytest

from grants.models import Initiative
from tests.factories import EditionFactory, InitiativeFactory, OrganisationFactory, ThemeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def initiative():
    edition = EditionFactory(year=2023, slug="2023")
    theme = ThemeFactory(name_en="Harm reduction", slug="harm-reduction")
    found = InitiativeFactory(
        edition=edition,
        lead_organisation=OrganisationFactory(name="Acción Andina", slug="accion-andina"),
        title_en="Women organising",
        summary_en="Women who use drugs organise.",
        countries=["BO"],
        slug="women-organising",
    )
    found.themes.add(theme)
    return found


def pages(initiative) -> dict[str, str]:
    edition = initiative.edition
    return {
        "edition": edition.get_absolute_url(),
        "edition, page 1": f"{edition.get_absolute_url()}?page=1",
        "initiatives": "/en/initiatives/",
        "initiatives of the edition": f"/en/initiatives/?edition={edition.slug}",
        "country": "/en/countries/bo/",
        "theme": "/en/themes/harm-reduction/",
        "search": "/en/search/?q=women",
        "initiative": initiative.get_absolute_url(),
        "organisation": "/en/organisations/accion-andina/",
    }


@pytest.fixture
def with_session(client):
    # Any session cookie makes the page cache step aside (the view renders the page).
    client.cookies["sessionid"] = "no-such-session"
    return client


def texts(client, paths: dict[str, str]) -> dict[str, str]:
    found = {}
    for name, path in paths.items():
        response = client.get(path)
        assert response.status_code == 200, (name, response.status_code)
        assert "X-Page-Cache" not in response, name  # rendered, not the page cache
        found[name] = response.content.decode()
    return found


def test_a_new_title_shows_at_once_on_every_page_that_shows_the_initiative(
    with_session, initiative
):
    paths = pages(initiative)
    before = texts(with_session, paths)
    assert all("Women organising" in text for text in before.values()), before.keys()
    assert texts(with_session, paths) == before  # the fragments are read from the cache

    initiative.title_en = "Women organise together"
    initiative.save()
    after = texts(with_session, paths)
    for name, text in after.items():
        assert "Women organising" not in text, name
        assert "Women organise together" in text, name


def test_a_translation_added_shows_in_its_language_only(with_session, initiative):
    edition = initiative.edition.get_absolute_url()
    french = edition.replace("/en/", "/fr/", 1)
    assert "Women organising" in with_session.get(french).content.decode()
    english = with_session.get(edition).content.decode()
    initiative.title_fr = "Organisation des femmes"
    initiative.save()
    assert "Organisation des femmes" in with_session.get(french).content.decode()
    assert with_session.get(edition).content.decode() == english


def test_marking_the_recipient_at_risk_hides_it_from_the_shared_fragments_at_once(
    with_session, initiative
):
    paths = pages(initiative)
    texts(with_session, paths)  # every fragment rendered and kept
    organisation = initiative.lead_organisation
    organisation.is_at_risk = True
    organisation.save()
    hidden = {
        name: path
        for name, path in paths.items()
        if name not in {"initiative", "organisation", "search"}
    }
    for name, text in texts(with_session, hidden).items():
        assert "Acción Andina" not in text, name
        assert "Women organising" not in text, name
        assert "A community organisation in Bolivia" in text, name
    assert with_session.get(paths["initiative"]).status_code == 404
    assert with_session.get(paths["organisation"]).status_code == 404
    assert "Women organising" not in with_session.get(paths["search"]).content.decode()


def test_an_initiative_unpublished_in_bulk_leaves_the_pages_once_the_content_changes(
    with_session, initiative
):
    """A write that sends no signal (``update``) leaves the fragments as they were, as it
    leaves the page cache: the next change to public content renews them."""
    listing = "/en/initiatives/"
    assert "Women organising" in with_session.get(listing).content.decode()
    Initiative.objects.filter(pk=initiative.pk).update(is_published=False)
    ThemeFactory()  # any change to public content
    assert "Women organising" not in with_session.get(listing).content.decode()


def test_the_page_around_a_fragment_stays_each_readers_own(client, initiative, django_user_model):
    """The fragment is the page's body: the header's account link is drawn for each reader."""
    edition = initiative.edition.get_absolute_url()
    client.cookies["sessionid"] = "no-such-session"
    assert "Log in" in client.get(edition).content.decode()
    user = django_user_model.objects.create_user(email="reader@example.org", password="x" * 12)
    client.force_login(user)
    page = client.get(edition).content.decode()
    assert "Women organising" in page and "Log in" not in page


def test_query_parameters_a_page_does_not_use_are_left_out_of_its_links(with_session):
    InitiativeFactory.create_batch(30)
    page = with_session.get("/en/initiatives/?page=2&utm_source=mail").content.decode()
    assert "utm_source" not in page
    assert "page=1" in page
