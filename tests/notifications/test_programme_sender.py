"""Emails about a programme's applications and grants come from that programme: its sender
name on the site's address, replies to its contact address, its name at the top and bottom,
each in the reader's language; emails about accounts come from the site."""

import pytest
from django.core import mail

from grants.models import Application
from notifications.models import Notification
from tests.factories import OrganisationFactory, ProgrammeFactory, UserFactory
from tests.grants.factories import applicant, member_of, open_edition, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def day_of_action():
    return ProgrammeFactory(
        slug="global-day-of-action",
        name_en="Global Day of Action small grants",
        name_fr="Petites subventions de la Journée mondiale d’action",
        sender_name_en="Global Day of Action team",
        sender_name_fr="Équipe de la Journée mondiale d’action",
        contact_email="dayofaction@example.org",
    )


def test_an_application_email_comes_from_its_programme(
    settings, day_of_action, django_capture_on_commit_callbacks
):
    settings.DEFAULT_FROM_EMAIL = "Grants <noreply@grants.example.org>"
    edition = open_edition(programme=day_of_action, number=1, year=2026, slug="day-2026")
    organisation = OrganisationFactory()
    member_of(organisation, email="ana@example.org", language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        application = submitted(edition, organisation)
    assert applicant(application).email == "ana@example.org"
    sent = Notification.objects.get(kind="application_received", email="ana@example.org")
    assert sent.sender == f"programme:{day_of_action.pk}"
    [message] = [m for m in mail.outbox if m.to == ["ana@example.org"]]
    # The sender name in the reader's language, on the site's own address.
    assert message.from_email == (
        "Équipe de la Journée mondiale d’action <noreply@grants.example.org>"
    )
    assert message.reply_to == ["dayofaction@example.org"]
    # Encoded for the mail server (RFC 2047), the address untouched.
    raw = message.message().as_bytes().decode("ascii")
    assert "From: =?utf-8?" in raw and "<noreply@grants.example.org>" in raw
    html = message.alternatives[0][0]
    assert "Petites subventions de la Journée mondiale d’action" in html
    assert "Petites subventions de la Journée mondiale d’action" in message.body
    assert Application.objects.filter(pk=application.pk).exists()


def test_without_a_sender_name_the_programme_name_is_used_and_no_reply_to(
    settings, django_capture_on_commit_callbacks
):
    settings.DEFAULT_FROM_EMAIL = "noreply@grants.example.org"
    edition = open_edition()  # the factory's programme: no sender name, no contact address
    organisation = OrganisationFactory()
    member_of(organisation, email="bo@example.org", language="en")
    with django_capture_on_commit_callbacks(execute=True):
        submitted(edition, organisation)
    [message] = [m for m in mail.outbox if m.to == ["bo@example.org"]]
    assert message.from_email == "Initiatives Programme <noreply@grants.example.org>"
    assert message.reply_to == []


def test_an_email_about_an_account_comes_from_the_site(
    settings, django_capture_on_commit_callbacks
):
    from notifications.services import notify

    settings.DEFAULT_FROM_EMAIL = "Support. Don't Punish <noreply@grants.example.org>"
    user = UserFactory(email="cy@example.org", language="en")
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            kind="workplan_submitted",
            key="site",
            recipient=user,
            context={"initiative": "Harm reduction", "organisation": "ACME"},
        )
    [message] = mail.outbox
    assert message.from_email == "Support. Don't Punish <noreply@grants.example.org>"
    assert message.reply_to == []
    assert "Support. Don't Punish" in message.body
