"""Registering an organisation and its first contact: the address is confirmed through a link
that works once, before anyone can log in with it; the form says the same thing whatever exists,
only the address's owner learns more; nobody can take over a pending registration."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from notifications.models import Notification
from organisations.models import Membership, Organisation, User
from tests.factories import OrganisationFactory, UserFactory
from tests.grants.factories import PASSWORD, member_of, open_edition, secretariat_user

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
    return re.search(
        r"http://testserver(/\S+/calls/confirm/\S+/\S+/(?:\?\S+)?)", message.body
    ).group(1)


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


def test_the_link_works_once(client, registered):
    link = confirmation_link(mail.outbox[0])
    assert client.get(link).status_code == 302
    client.logout()
    again = client.get(link, follow=True)
    # Used already: the address is confirmed; it logs nobody in.
    assert "su dirección está confirmada. Inicie sesión." in again.content.decode()
    assert not again.wsgi_request.user.is_authenticated
    assert again.redirect_chain[-1][0].startswith("/es/accounts/login/")


def test_a_link_opened_in_another_browser_confirms_but_does_not_log_in(registered, client):
    link = confirmation_link(mail.outbox[0])
    other = type(client)()
    response = other.get(link, follow=True)
    assert User.objects.get(email="rosa@example.org").is_active
    assert not response.wsgi_request.user.is_authenticated
    assert "Inicie sesión con la contraseña que eligió" in response.content.decode()
    # The person logs in with their password and goes on where the link led.
    assert "next=/es/calls/" in response.redirect_chain[-1][0]
    assert other.login(email="rosa@example.org", password=PASSWORD)


def test_a_link_stops_working_once_the_password_changed(client, registered):
    link = confirmation_link(mail.outbox[0])
    user = User.objects.get(email="rosa@example.org")
    user.set_password("another-long-password-1")
    user.save()
    assert client.get(link).status_code == 400
    assert not User.objects.get(email="rosa@example.org").is_active


def test_registering_again_a_pending_address_changes_nothing_and_resends_the_link(
    client, registered, edition, django_capture_on_commit_callbacks, settings
):
    """A stranger re-registering someone's pending address takes nothing over (finding 1)."""
    user = User.objects.get(email="rosa@example.org")
    password = user.password
    stranger = type(client)()
    settings.SITE_URL = "http://testserver"
    with django_capture_on_commit_callbacks(execute=True):
        response = stranger.post(
            reverse("calls:register", kwargs={"slug": edition.slug}),
            register_data(
                full_name="Mallory",
                city="Sucre",
                name="Mallory's group",
                password1="the-attackers-password-1",
                password2="the-attackers-password-1",
            ),
        )
    assert response.status_code == 200
    assert "Check your email" in response.content.decode()
    user.refresh_from_db()
    assert (user.password, user.full_name) == (password, "Rosa Mamani")
    assert Organisation.objects.get(name="Colectivo Nueva Luz").city == "Cochabamba"
    assert not Organisation.objects.filter(name="Mallory's group").exists()
    # The owner's first link still works, in their own browser, with their own password.
    assert client.get(confirmation_link(mail.outbox[0])).status_code == 302
    assert not stranger.login(email="rosa@example.org", password="the-attackers-password-1")
    assert stranger.login(email="rosa@example.org", password=PASSWORD)


def test_a_resent_link_goes_out_at_most_every_ten_minutes(
    client, registered, edition, django_capture_on_commit_callbacks
):
    for _n in range(3):
        register(client, edition, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1


def test_the_same_answer_whether_the_address_has_an_account(
    client, edition, django_capture_on_commit_callbacks
):
    """Enumeration (finding 11): the page says the same; the owner is told by email."""
    UserFactory(email="rosa@example.org", language="fr")
    response = register(client, edition, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert "Check your email" in response.content.decode()
    assert "exists" not in response.content.decode()
    assert not Organisation.objects.filter(name="Colectivo Nueva Luz").exists()
    (message,) = mail.outbox
    assert message.to == ["rosa@example.org"]
    assert "Colectivo Nueva Luz" in message.body
    assert message.extra_headers["Content-Language"] == "fr"


def test_the_same_answer_whether_the_organisation_exists(
    client, edition, django_capture_on_commit_callbacks, settings
):
    """Enumeration (finding 11): an organisation of the same name, even unpublished, changes
    nothing the person sees; two groups may share a name, and the secretariat is told."""
    settings.SITE_URL = "http://testserver"
    OrganisationFactory(name="Colectivo Nueva Luz")
    secretary = secretariat_user()
    response = register(
        client, edition, django_capture_on_commit_callbacks, name="colectivo nueva luz"
    )
    assert "Check your email" in response.content.decode()
    assert Organisation.objects.filter(name__iexact="colectivo nueva luz").count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        client.get(confirmation_link(mail.outbox[0]))
    told = Notification.objects.get(kind="organisation_namesake")
    assert told.recipient == secretary


def test_passwords_must_match_and_be_strong(client, edition, django_capture_on_commit_callbacks):
    response = register(
        client, edition, django_capture_on_commit_callbacks, password1="12345678", password2="1"
    )
    content = response.content.decode()
    assert "The two passwords are not the same." in content
    assert not User.objects.filter(email="rosa@example.org").exists()


@pytest.mark.parametrize("token", ["nonsense", "tampered"])
def test_a_forged_link_confirms_nothing(client, registered, token):
    link = confirmation_link(mail.outbox[0]).split("?")[0]
    uidb64, real = link.rstrip("/").rsplit("/", 2)[1:]
    token = "nonsense" if token == "nonsense" else real[:-2] + "xx"
    response = client.get(reverse("calls:confirm", kwargs={"uidb64": uidb64, "token": token}))
    assert response.status_code == 400
    assert "not valid" in response.content.decode()
    assert not User.objects.get(email="rosa@example.org").is_active


def test_an_expired_link_says_so(client, registered, settings):
    link = confirmation_link(mail.outbox[0])
    settings.PASSWORD_RESET_TIMEOUT = -1
    response = client.get(link)
    assert response.status_code == 400
    # The link is in the applicant's language (Spanish here), and so is the message.
    assert "no es válido o ha caducado" in response.content.decode()


def test_the_link_leads_only_to_this_site(client, registered):
    link = confirmation_link(mail.outbox[0]).split("?")[0] + "?next=https://evil.example.org/"
    response = client.get(link)
    assert response.status_code == 302
    assert response["Location"] == "/es/portal/"


def test_registration_succeeds_when_the_mail_server_is_down(
    client, edition, django_capture_on_commit_callbacks, settings
):
    """Finding 9: the email is in the outbox, retried later; the registration is kept."""
    settings.MAILERS = {"default": {"BACKEND": "tests.notifications.backends.BrokenBackend"}}
    response = register(client, edition, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert User.objects.filter(email="rosa@example.org", is_active=False).exists()
    notification = Notification.objects.get(kind="registration_confirm")
    assert notification.status in (Notification.Status.QUEUED, Notification.Status.FAILED)
    assert notification.attempts >= 1


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
