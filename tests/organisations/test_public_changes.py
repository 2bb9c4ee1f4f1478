"""What the public reads of an organisation (presentation, city, website) changes only once
the secretariat approves the members' proposal; the public page keeps the approved text
meanwhile, members see what they typed, and the secretariat works from a queue."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from core.workflow import TransitionNotAllowed
from grants.services import public_lines_refresh
from notifications.models import Notification
from organisations.errors import OrganisationError
from organisations.models import OrganisationChange, PublicProfileChange
from organisations.services import (
    organisation_profile_update,
    pending_change,
    public_change_approve,
    public_change_reject,
)
from organisations.workflow import PublicChangeStatus
from tests.factories import InitiativeFactory
from tests.portal.factories import make_member, make_organisation, make_secretary

pytestmark = pytest.mark.django_db

PROFILE = {"website": "", "email": "", "phone": "", "city": ""}


@pytest.fixture
def public_organisation(organisation):
    """An organisation with a published initiative: it has a public page."""
    initiative = InitiativeFactory(lead_organisation=organisation)
    public_lines_refresh(initiative=initiative)
    return organisation


def propose(organisation, member, **values):
    organisation.refresh_from_db()
    return organisation_profile_update(
        organisation=organisation,
        actor=member,
        values=values,
        language=member.language,
        read_version=organisation.version,
    )


def public_page(client, organisation) -> str:
    client.logout()
    response = client.get(f"/en/organisations/{organisation.slug}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_public_page_keeps_the_approved_text_until_approval(
    client, public_organisation, member, secretary
):
    organisation = public_organisation
    assert "A community organisation." in public_page(client, organisation)
    client.force_login(member)
    url = f"/en/portal/organisations/{organisation.pk}/"
    response = client.post(
        url,
        {**PROFILE, "description": "We train peer educators.", "city": "Sikasso", "version": "0"},
        follow=True,
    )
    html = response.content.decode()
    assert "wait for the secretariat" in html
    # The member's own page shows what they typed, with the note.
    assert "We train peer educators." in html and "Sikasso" in html
    assert "Waiting for the secretariat" in html
    organisation.refresh_from_db()
    assert organisation.description_en == "A community organisation." and organisation.city == ""
    html = public_page(client, organisation)  # cached now, for anonymous visitors
    assert "A community organisation." in html and "We train peer educators." not in html
    public_change_approve(change=pending_change(organisation), actor=secretary)
    html = public_page(client, organisation)  # the cache was cleared
    assert "We train peer educators." in html and "Sikasso" in html
    assert pending_change(organisation) is None
    # Recorded as typed by the member, approved by the secretariat.
    assert set(OrganisationChange.objects.values_list("field", "actor")) == {
        ("description_en", member.pk),
        ("city", member.pk),
    }
    change = PublicProfileChange.objects.get()
    row = change.history.get()
    assert (row.from_status, row.to_status, row.actor, row.role) == (
        "pending",
        "approved",
        secretary,
        "secretariat",
    )


def test_one_notification_per_proposal_not_per_save(
    organisation, member, secretary, django_capture_on_commit_callbacks
):
    colleague = make_member(organisation, email="luis@example.org")
    propose(organisation, member, city="Sucre")
    propose(organisation, colleague, city="Potosí")
    propose(organisation, member, website="https://example.org")
    change = pending_change(organisation)
    assert change.values == {"city": "Potosí", "website": "https://example.org"}
    assert change.proposed_by == member
    assert PublicProfileChange.objects.count() == 1
    proposed = Notification.objects.filter(kind="public_change_proposed")
    assert [n.recipient for n in proposed] == [secretary]
    assert proposed.get().path == f"/en/admin/organisations/publicprofilechange/{change.pk}/change/"


def test_contact_fields_apply_at_once_and_a_proposal_put_back_is_withdrawn(organisation, member):
    saved = propose(organisation, member, phone="+591 2 222", city="Sucre")
    organisation.refresh_from_db()
    assert organisation.phone == "+591 2 222" and organisation.city == ""
    assert saved.proposal.values == {"city": "Sucre"}
    saved = propose(organisation, member, city="")
    assert saved.proposal is None and pending_change(organisation) is None
    change = PublicProfileChange.objects.get()
    assert change.status == PublicChangeStatus.WITHDRAWN
    assert change.history.get().actor == member
    assert not propose(organisation, member, city="")  # nothing left to change


def test_the_queue_shows_public_now_beside_proposed(client, organisation, member, secretary):
    propose(organisation, member, description="New presentation.", city="Sucre")
    other = make_organisation(name="Escola Livre")
    propose(other, make_member(other, email="ana@escola.example.org"), city="Recife")
    client.force_login(secretary)
    html = client.get(reverse("admin:organisations_publicprofilechange_changelist")).content
    html = html.decode()
    assert "A community organisation." in html and "New presentation." in html
    assert "Sucre" in html and "Recife" in html and "presentation (English)" in html
    # Decided proposals leave the queue (still listed under their status).
    public_change_approve(change=pending_change(other), actor=secretary)
    html = client.get(reverse("admin:organisations_publicprofilechange_changelist")).content
    assert "Recife" not in html.decode()


def test_the_queue_approves_and_rejects_with_a_reason(client, organisation, member, secretary):
    propose(organisation, member, city="Sucre")
    change = pending_change(organisation)
    url = reverse("admin:organisations_publicprofilechange_changelist")
    client.force_login(secretary)
    # Rejecting asks for the reason first; without one nothing happens.
    asked = client.post(url, {"action": "reject_public_changes", "_selected_action": [change.pk]})
    assert asked.status_code == 200 and "Reason sent to the organisation" in asked.content.decode()
    client.post(
        url,
        {"action": "reject_public_changes", "_selected_action": [change.pk], "apply": "1"},
    )
    change.refresh_from_db()
    assert change.status == PublicChangeStatus.PENDING
    client.post(
        url,
        {
            "action": "reject_public_changes",
            "_selected_action": [change.pk],
            "apply": "1",
            "comment": "Sucre is not where you work.",
        },
    )
    change.refresh_from_db()
    assert change.status == PublicChangeStatus.REJECTED
    organisation.refresh_from_db()
    assert organisation.city == ""
    rejected = Notification.objects.get(kind="public_change_rejected")
    assert rejected.recipient == member
    assert rejected.context["comment"] == "Sucre is not where you work."
    # The member sees the reason and what they proposed; the form shows the approved text.
    client.force_login(member)
    html = client.get(f"/en/portal/organisations/{organisation.pk}/").content.decode()
    assert "did not approve your changes" in html and "Sucre is not where you work." in html
    city = re.search(r'<input[^>]*name="city"[^>]*>', html).group(0)
    assert "Sucre" in html and "Sucre" not in city
    # A new proposal is approved from the queue.
    propose(organisation, member, city="Cochabamba")
    client.force_login(secretary)
    client.post(
        url,
        {"action": "approve_public_changes", "_selected_action": [pending_change(organisation).pk]},
    )
    organisation.refresh_from_db()
    assert organisation.city == "Cochabamba"
    assert Notification.objects.filter(kind="public_change_approved", recipient=member).exists()


def test_only_the_secretariat_decides_and_only_once(organisation, member):
    propose(organisation, member, city="Sucre")
    change = pending_change(organisation)
    with pytest.raises(TransitionNotAllowed):
        public_change_approve(change=change, actor=member)
    with pytest.raises(TransitionNotAllowed):
        public_change_reject(change=change, actor=member, comment="No.")
    secretary = make_secretary("second@example.org")
    with pytest.raises(OrganisationError, match="Say why"):
        public_change_reject(change=change, actor=secretary, comment="  ")
    public_change_approve(change=change, actor=secretary)
    with pytest.raises(TransitionNotAllowed):  # a double click: one effect
        public_change_approve(change=change, actor=secretary)
    with pytest.raises(TransitionNotAllowed):
        public_change_reject(change=change, actor=secretary, comment="Too late.")
    assert change.history.count() == 1


def test_another_organisation_neither_sees_nor_decides(client, organisation, member):
    propose(organisation, member, city="Sucre")
    other = make_organisation(name="Escola Livre")
    outsider = make_member(other, email="ana@escola.example.org")
    client.force_login(outsider)
    assert client.get(f"/en/portal/organisations/{organisation.pk}/").status_code == 404
    assert client.get(
        reverse("admin:organisations_publicprofilechange_changelist")
    ).status_code in (
        302,
        403,
    )
    with pytest.raises(OrganisationError):
        propose(organisation, outsider, city="Recife")
    with pytest.raises(TransitionNotAllowed):
        public_change_approve(change=pending_change(organisation), actor=outsider)
    assert pending_change(organisation).values == {"city": "Sucre"}


def test_the_profile_page_with_its_notes_is_valid_html(
    client, organisation, member, secretary, tmp_path
):
    from tests.html_checker import vnu_errors

    url = f"/en/portal/organisations/{organisation.pk}/"
    client.force_login(member)
    propose(organisation, member, city="Sucre")
    pending = tmp_path / "pending.html"
    pending.write_bytes(client.get(url).content)
    public_change_reject(change=pending_change(organisation), actor=secretary, comment="No.")
    rejected = tmp_path / "rejected.html"
    rejected.write_bytes(client.get(url).content)
    assert "Waiting for the secretariat" in pending.read_text()
    assert "did not approve" in rejected.read_text()
    assert vnu_errors([pending, rejected]) == []
