"""Organisations in the portal: their profile (every change recorded for the secretariat),
their members and invitations; and invitations sent from the back office."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from organisations.errors import InvitationError, OrganisationError
from organisations.models import Invitation, Membership, OrganisationChange
from organisations.services import (
    colleague_invite,
    invitation_accept,
    invitation_create,
    membership_remove,
    organisation_profile_update,
    pending_change,
    public_change_approve,
)
from tests.grants.factories import secretariat_user
from tests.portal.factories import make_member, make_organisation

pytestmark = pytest.mark.django_db


# --- profile --------------------------------------------------------------------------------


def test_members_edit_the_profile_and_every_change_is_recorded(client, organisation):
    spanish = make_member(organisation, language="es", full_name="María Quispe")
    client.force_login(spanish)
    url = f"/en/portal/organisations/{organisation.pk}/"
    page = client.get(url).content.decode()
    assert "Presentation (in Spanish)" in page
    response = client.post(
        url,
        {
            "description": "Somos una red de personas que usan drogas.",
            "website": "https://accion-andina.example.org",
            "email": "hola@accion-andina.example.org",
            "phone": "",
            "city": "La Paz",
            "version": "0",
        },
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    # The contact email changes at once; what the public reads waits for the secretariat.
    assert organisation.email == "hola@accion-andina.example.org"
    assert organisation.description_es is None and organisation.city == ""
    assert set(OrganisationChange.objects.values_list("field", flat=True)) == {"email"}
    public_change_approve(change=pending_change(organisation), actor=secretariat_user())
    organisation.refresh_from_db()
    assert organisation.description_es == "Somos una red de personas que usan drogas."
    assert organisation.description_en == "A community organisation."  # untouched
    changes = {c.field: c for c in OrganisationChange.objects.filter(organisation=organisation)}
    assert set(changes) == {"description_es", "website", "email", "city"}
    assert changes["website"].old_value == "" and changes["website"].actor == spanish
    assert changes["description_es"].field_label == "presentation (Spanish)"
    # Saving the same again records nothing.
    client.post(
        url,
        {
            **{k: getattr(organisation, k) for k in ("website", "email", "phone", "city")},
            "description": organisation.description_es,
            "version": str(organisation.version),
        },
    )
    assert OrganisationChange.objects.filter(organisation=organisation).count() == 4


def test_bad_input_changes_nothing_and_keeps_what_was_typed(member_client, organisation):
    url = f"/en/portal/organisations/{organisation.pk}/"
    response = member_client.post(
        url, {"description": "A long presentation.", "website": "not a web address", "email": ""}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter a valid URL." in html
    assert "A long presentation." in html
    assert not OrganisationChange.objects.exists()


def test_the_secretariat_sees_the_changes_in_the_back_office(
    client, organisation, member, secretary
):
    organisation_profile_update(
        organisation=organisation,
        actor=member,
        values={"city": "El Alto"},
        language="en",
        read_version=organisation.version,
    )
    public_change_approve(change=pending_change(organisation), actor=secretary)
    client.force_login(secretary)
    page = client.get(reverse("admin:organisations_organisation_change", args=[organisation.pk]))
    html = page.content.decode()
    assert "changes made in the portal" in html.lower()
    assert "El Alto" in html
    changelist = client.get(reverse("admin:organisations_organisationchange_changelist"))
    assert changelist.status_code == 200 and organisation.name in changelist.content.decode()


def test_only_members_change_a_profile(organisation):
    outsider = make_member(make_organisation())
    with pytest.raises(OrganisationError):
        organisation_profile_update(
            organisation=organisation,
            actor=outsider,
            values={"city": "X"},
            language="en",
            read_version=organisation.version,
        )


def test_a_stale_profile_save_is_refused_and_the_text_typed_shown_back(
    client, organisation, member
):
    """Finding 8: a save made from a page read before a colleague's save wrote over it."""
    colleague = make_member(organisation, role=Membership.Role.MEMBER)
    url = f"/en/portal/organisations/{organisation.pk}/"
    other = type(client)()
    client.force_login(member)
    other.force_login(colleague)
    client.get(url), other.get(url)
    saved = client.post(url, {"description": "Written first.", "city": "El Alto", "version": "0"})
    assert saved.status_code == 302
    refused = other.post(
        url, {"description": "Written second, at length.", "city": "Sucre", "version": "0"}
    )
    assert refused.status_code == 409
    html = refused.content.decode()
    assert "Someone changed this profile after you opened it" in html
    assert "Written second, at length." in html  # what was typed, shown back
    assert "What is saved now" in html and "Written first." in html and "El Alto" in html
    assert 'name="version" value="1"' in html
    proposed = pending_change(organisation).values
    assert (proposed["description_en"], proposed["city"]) == ("Written first.", "El Alto")
    assert "Sucre" not in proposed.values()


def test_a_change_in_the_back_office_refuses_a_stale_portal_save_and_back(
    client, organisation, member, secretary
):
    url = f"/en/portal/organisations/{organisation.pk}/"
    client.force_login(member)
    assert client.get(url).status_code == 200  # read at version 0
    admin = type(client)()
    admin.force_login(secretary)
    change_url = reverse("admin:organisations_organisation_change", args=[organisation.pk])
    assert 'name="read_version" value="0"' in admin.get(change_url).content.decode()
    # The member saves first: the secretariat's open form is now stale, and is refused.
    assert client.post(url, {"city": "Oruro", "version": "0"}).status_code == 302
    stale = admin.post(
        change_url,
        {
            "name": organisation.name,
            "slug": organisation.slug,
            "kind": organisation.kind,
            "country": organisation.country,
            "original_language": "en",
            "read_version": "0",
        },
    )
    assert stale.status_code == 200
    assert "Someone else changed this organisation since you opened it" in stale.content.decode()
    organisation.refresh_from_db()
    assert pending_change(organisation).values["city"] == "Oruro"


# --- members ----------------------------------------------------------------------------------


def test_an_administrator_invites_a_colleague(
    member_client, organisation, member, django_capture_on_commit_callbacks
):
    url = f"/en/portal/organisations/{organisation.pk}/members/"
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(
            url, {"email": "Luis@Example.org", "role": "member", "language": "es"}
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get(organisation=organisation)
    assert (invitation.email, invitation.role, invitation.invited_by) == (
        "luis@example.org",
        "member",
        member,
    )
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["luis@example.org"]
    assert "/es/accounts/invitations/" in mail.outbox[0].body
    assert "luis@example.org" in member_client.get(url).content.decode()


def test_a_plain_member_cannot_invite(client, organisation):
    plain = make_member(organisation, role=Membership.Role.MEMBER)
    client.force_login(plain)
    url = f"/en/portal/organisations/{organisation.pk}/members/"
    assert 'name="email"' not in client.get(url).content.decode()
    client.post(url, {"email": "x@example.org", "role": "admin", "language": "en"})
    assert not Invitation.objects.exists()
    with pytest.raises(InvitationError):
        colleague_invite(
            organisation=organisation,
            actor=plain,
            email="x@example.org",
            role="admin",
            language="en",
        )


def test_removing_members_and_the_last_administrator_rule(client, organisation, member):
    plain = make_member(organisation, role=Membership.Role.MEMBER, full_name="Luis Mamani")
    other_plain = make_member(organisation, role=Membership.Role.MEMBER)
    plain_membership = Membership.objects.get(user=plain)
    admin_membership = Membership.objects.get(user=member)
    # A plain member removes nobody but themselves.
    with pytest.raises(OrganisationError):
        membership_remove(membership=admin_membership, actor=plain)
    with pytest.raises(OrganisationError):
        membership_remove(membership=Membership.objects.get(user=other_plain), actor=plain)
    # The only administrator cannot go, not even by leaving.
    client.force_login(member)
    url = f"/en/portal/organisations/{organisation.pk}/members/{admin_membership.pk}/remove/"
    response = client.post(url, follow=True)
    assert "only administrator and cannot be removed" in (response.content.decode())
    assert Membership.objects.filter(pk=admin_membership.pk).exists()
    # The administrator removes a member; it is recorded.
    url = f"/en/portal/organisations/{organisation.pk}/members/{plain_membership.pk}/remove/"
    assert client.get(url).status_code == 405
    response = client.post(url, follow=True)
    assert "Luis Mamani is no longer a member" in response.content.decode()
    assert not Membership.objects.filter(pk=plain_membership.pk).exists()
    change = OrganisationChange.objects.get(field="members", old_value__startswith=plain.email)
    assert change.actor == member
    # With a second administrator, the first may leave.
    second = make_member(organisation)
    membership_remove(membership=admin_membership, actor=member)
    assert list(organisation.memberships.filter(role="admin").values_list("user", flat=True)) == [
        second.pk
    ]


def test_joining_is_recorded(organisation, member):
    invitation = invitation_create(
        organisation=organisation, email="new@example.org", invited_by=member
    )
    invitation_accept(
        invitation=invitation, full_name="New", password="a-long-password-1", language="en"
    )
    assert OrganisationChange.objects.filter(
        organisation=organisation, field="members", new_value__startswith="new@example.org"
    ).exists()


# --- the back office invites ----------------------------------------------------------------


def test_the_secretariat_invites_from_the_back_office(
    client, organisation, secretary, django_capture_on_commit_callbacks
):
    client.force_login(secretary)
    page = client.get(reverse("admin:organisations_organisation_change", args=[organisation.pk]))
    link = f"{reverse('admin:organisations_invitation_add')}?organisation={organisation.pk}"
    assert link in page.content.decode()
    add = client.get(link)
    assert add.status_code == 200
    assert f'<option value="{organisation.pk}" selected' in add.content.decode()
    data = {
        "organisation": organisation.pk,
        "email": "New@Example.org",
        "role": "admin",
        "language": "fr",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:organisations_invitation_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role, invitation.invited_by) == (
        "new@example.org",
        "admin",
        secretary,
    )
    assert invitation.expires_at > invitation.created_at
    assert len(mail.outbox) == 1 and "/fr/accounts/invitations/" in mail.outbox[0].body
    # Inviting again renews the link: one open invitation, a new token.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:organisations_invitation_add"), data)
    renewed = Invitation.objects.get()
    assert renewed.token != invitation.token and len(mail.outbox) == 2


def test_the_back_office_refuses_to_invite_a_member(client, organisation, member, secretary):
    client.force_login(secretary)
    response = client.post(
        reverse("admin:organisations_invitation_add"),
        {
            "organisation": organisation.pk,
            "email": member.email,
            "role": "member",
            "language": "en",
        },
    )
    assert response.status_code == 200
    assert "already a member of the organisation" in response.content.decode()
    assert not Invitation.objects.exists()


# --- links that are not yours -----------------------------------------------------------------


def test_someone_elses_invitation_says_nothing_about_it(client, organisation, member):
    invitation = invitation_create(
        organisation=organisation, email="luis@example.org", invited_by=member
    )
    stranger = make_member(make_organisation())
    client.force_login(stranger)
    url = f"/en/accounts/invitations/{invitation.token}/"
    response = client.get(url)
    assert response.status_code == 404
    html = response.content.decode()
    assert "This invitation is for another account" in html
    assert "luis@example.org" not in html and organisation.name not in html
    assert client.post(url).status_code == 404
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_a_bad_password_reset_link_is_not_found(client, member):
    uid = urlsafe_base64_encode(force_bytes(member.pk))
    response = client.get(f"/en/accounts/password/reset/{uid}/wrong-token/")
    assert response.status_code == 404
    assert re.search(r"invalid|no longer", response.content.decode(), re.IGNORECASE)
    token = default_token_generator.make_token(member)
    assert client.get(f"/en/accounts/password/reset/{uid}/{token}/").status_code == 302


def test_the_members_page_costs_the_same_with_more_people(member_client, organisation, member):
    url = f"/en/portal/organisations/{organisation.pk}/members/"

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert member_client.get(url).status_code == 200
        return len(captured)

    once = queries()
    for n in range(4):
        make_member(organisation, role=Membership.Role.MEMBER)
        invitation_create(organisation=organisation, email=f"new{n}@example.org", invited_by=member)
    assert queries() == once
