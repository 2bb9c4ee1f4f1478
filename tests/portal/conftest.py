import pytest

from grants import services as grant_services
from tests.factories import OrganisationFactory
from tests.grants.factories import eligible_answers, member_of, open_edition
from tests.portal.factories import (
    approved_initiative,
    first_report,
    make_member,
    make_organisation,
    make_secretary,
)


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Uploads of each test go to a folder of their own, checked and thrown away."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def media_root(settings):
    return settings.MEDIA_ROOT


@pytest.fixture
def secretary(db):
    return make_secretary()


@pytest.fixture
def organisation(db):
    return make_organisation(name="Acción Andina")


@pytest.fixture
def member(organisation):
    return make_member(organisation, email="ana@example.org", full_name="Ana Quispe")


@pytest.fixture
def initiative(organisation, member, secretary):
    return approved_initiative(organisation, member, secretary)


@pytest.fixture
def report(initiative):
    return first_report(initiative)


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


@pytest.fixture
def edition(db):
    """An edition whose call is open (files may define their own)."""
    return open_edition()


@pytest.fixture
def started(client, edition):
    """A draft application of Acción Andina, its member signed in."""
    organisation = OrganisationFactory(name="Acción Andina")
    member = member_of(organisation)
    application = grant_services.application_start(
        edition=edition,
        organisation=organisation,
        actor=member,
        answers=eligible_answers(edition),
        title="Peer support",
    )
    client.force_login(member)
    return application
