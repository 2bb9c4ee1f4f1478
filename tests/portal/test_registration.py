"""Registering an organisation and its first contact: the address is confirmed through a signed
link before anyone can log in with it; a known organisation logs in instead."""

import re

import pytest
from django.core import mail, signing
from django.urls import reverse

from organisations.models import Membership, Organisation, User
from organisations.services import registration
from tests.factories import OrganisationFactory, UserFactory
from tests.grants.factories import PASSWORD, member_of, open_edition

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition():
    return open_edition()


def register_data(**overrides) -> dict:
    data = {
        "name": "Colectivo Nueva Luz",
        "acronym": "CNL",
        "kind": "community",
        "country": "BO",
        "city": "Cochabamba",
        "founded_year": "2015",
        "website": "https://nueva-luz.example.org",
        "email": "info@nueva-luz.example.org",
        "original_language": "es",
        "description": "Somos un colectivo de personas que usan drogas.",
        "full_name": "Rosa Mamani",
        "contact_email": "Rosa@Example.org",
        "language": "es",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(overrides)
    return data


def register(client, edition, django_capture_on_commit_callbacks, **overrides):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(
            reverse("calls:register", kwargs={"slug": edition.slug}), register_data(**overrides)
        )


def confirmation_link(message) -> str:
    return re.search(r"http://testserver(/\S+/calls/confirm/\S+/)", message.body).group(1)


@pytest.fixture
def registered(client, edition, settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = "http://testserver"
    response = register(client, edition, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    return response


def test_registration_creates_an_inactive_contact_and_emails_a_link(registered):
    assert "Check your email" in registered.content.decode()
    user = User.objects.get(email="rosa@example.org")
    assert not user.is_active
    assert (user.full_name, user.language) == ("Rosa Mamani", "es")
    organisation = Organisation.objects.get(name="Colectivo Nueva Luz")
    assert organisation.slug == "colectivo-nueva-luz"
    assert organisation.original_language == "es"
    assert organisation.description_es == "Somos un colectivo de personas que usan drogas."
    assert Membership.objects.get(user=user).organisation == organisation
    assert Membership.objects.get(user=user).role == Membership.Role.ADMIN
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["rosa@example.org"]
    assert "/es/calls/confirm/" in message.body  # in the contact's language
    assert "Colectivo Nueva Luz" in message.subject
    assert message.alternatives[0].mimetype == "text/html"


def test_unconfirmed_contact_cannot_log_in(client, registered):
    assert not client.login(email="rosa@example.org", password=PASSWORD)


def test_following_the_link_activates_logs_in_and_goes_on_applying(client, registered, edition):
    link = confirmation_link(mail.outbox[0])
    response = client.get(link)
    assert response.status_code == 302
    assert response["Location"] == f"/es/calls/{edition.slug}/apply/"
    user = User.objects.get(email="rosa@example.org")
    assert user.is_active
    apply_page = client.get(response["Location"])
    assert apply_page.status_code == 200
    assert "Colectivo Nueva Luz" in apply_page.content.decode()
    # Following it again does no harm.
    client.logout()
    assert client.get(link).status_code == 302


def test_registering_again_before_confirming_updates_and_sends_a_new_link(
    client, registered, edition, django_capture_on_commit_callbacks
):
    response = register(
        client,
        edition,
        django_capture_on_commit_callbacks,
        full_name="Rosa M. Mamani",
        city="Sucre",
    )
    assert response.status_code == 200
    assert User.objects.filter(email="rosa@example.org").count() == 1
    assert Organisation.objects.filter(name="Colectivo Nueva Luz").count() == 1
    assert Organisation.objects.get(name="Colectivo Nueva Luz").city == "Sucre"
    assert len(mail.outbox) == 2
    assert client.get(confirmation_link(mail.outbox[1])).status_code == 302


def test_a_confirmed_address_logs_in_instead(client, edition, django_capture_on_commit_callbacks):
    UserFactory(email="rosa@example.org")
    response = register(client, edition, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert "An account with this email address exists" in response.content.decode()
    assert not Organisation.objects.filter(name="Colectivo Nueva Luz").exists()
    assert mail.outbox == []


def test_a_known_organisation_is_not_registered_twice(
    client, edition, django_capture_on_commit_callbacks
):
    OrganisationFactory(name="Colectivo Nueva Luz")
    response = register(
        client, edition, django_capture_on_commit_callbacks, name="colectivo nueva luz"
    )
    content = response.content.decode()
    assert "already registered" in content
    assert "Rosa Mamani" in content  # what was typed is kept
    assert not User.objects.filter(email="rosa@example.org").exists()


def test_passwords_must_match_and_be_strong(client, edition, django_capture_on_commit_callbacks):
    response = register(
        client, edition, django_capture_on_commit_callbacks, password1="12345678", password2="1"
    )
    content = response.content.decode()
    assert "The two passwords are not the same." in content
    assert not User.objects.exists()


@pytest.mark.parametrize("token", ["nonsense", "tampered"])
def test_a_forged_link_confirms_nothing(client, registered, token):
    if token == "tampered":
        token = confirmation_link(mail.outbox[0]).rstrip("/").rsplit("/", 1)[1][:-2] + "xx"
    response = client.get(reverse("calls:confirm", kwargs={"token": token}))
    assert response.status_code == 400
    assert "not valid" in response.content.decode()
    assert not User.objects.get(email="rosa@example.org").is_active


def test_an_expired_link_says_so(client, registered, monkeypatch):
    link = confirmation_link(mail.outbox[0])
    monkeypatch.setattr(registration, "REGISTRATION_VALID_DAYS", -1)
    response = client.get(link)
    assert response.status_code == 400
    # The link is in the applicant's language (Spanish here), and so is the message.
    assert "Este enlace de confirmación ha caducado." in response.content.decode()


def test_the_token_names_the_address(registered):
    user = User.objects.get(email="rosa@example.org")
    token = registration.make_token(user=user)
    user.email = "other@example.org"
    user.save()
    with pytest.raises(registration.RegistrationError):
        registration.registration_confirm(token=token)
    assert signing.loads(token, salt=registration.SALT)["u"] == user.pk


def test_logged_in_person_registers_only_the_organisation(client, edition):
    person = UserFactory(email="jo@example.org")
    member_of(OrganisationFactory(name="Old group"), email="jo@example.org")
    client.force_login(person)
    page = client.get(reverse("calls:register", kwargs={"slug": edition.slug})).content.decode()
    assert 'name="password1"' not in page
    data = {k: v for k, v in register_data().items() if k not in {"full_name", "contact_email"}}
    response = client.post(reverse("calls:register", kwargs={"slug": edition.slug}), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("calls:apply", kwargs={"slug": edition.slug})
    organisation = Organisation.objects.get(name="Colectivo Nueva Luz")
    assert Membership.objects.get(organisation=organisation).user == person
