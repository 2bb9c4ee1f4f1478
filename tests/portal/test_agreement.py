"""The grant agreement in the portal: members read it, a signatory signs it (or sends a scan),
anyone else gets a 404 and nothing is recorded; the members page sets the signatory role."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grants.models import Agreement
from grants.workflow import AgreementStatus
from organisations.models import Membership
from tests.grants.agreement_factories import awarded_grant, issued
from tests.grants.factories import secretariat_user
from tests.html_checker import vnu_errors

pytestmark = pytest.mark.django_db
G = AgreementStatus


@pytest.fixture
def secretary(db):
    return secretariat_user()


@pytest.fixture
def grant(secretary):
    return awarded_grant(secretary)


@pytest.fixture
def agreement(grant, secretary):
    return issued(grant, secretary)


def page_url(grant) -> str:
    return reverse("portal:agreement", kwargs={"pk": grant.initiative.pk})


def sign_url(agreement) -> str:
    return reverse("portal:agreement_sign", kwargs={"pk": agreement.pk})


def sign_data(agreement, **overrides) -> dict:
    return {
        "full_name": "Sofía Signataria",
        "accept": "on",
        "sha256": agreement.pdf_sha256,
        **overrides,
    }


def text(response) -> str:
    return response.content.decode().replace("\u00a0", " ")


def test_a_member_reads_the_agreement_and_is_told_who_signs(client, grant, agreement):
    client.force_login(grant.member)
    response = client.get(page_url(grant))
    html = text(response)
    assert response.status_code == 200
    assert "Version 1, issued on" in html and "Issued for signature" in html
    assert "4,500 USD" in html and "On signature of the agreement" in html  # the document
    assert reverse("portal:agreement_pdf", kwargs={"pk": agreement.pk}) in html
    assert "Only the organisation's signatories can sign it: Sofía Signataria." in html
    assert 'name="sha256"' not in html and "Sign the agreement" not in html


def test_a_signatory_sees_the_form_with_the_hash_of_the_version_shown(
    client, grant, agreement, tmp_path
):
    client.force_login(grant.signatory)
    html = text(client.get(page_url(grant)))
    assert f'name="sha256" value="{agreement.pdf_sha256}"' in html
    assert "I have read this agreement and I accept it on behalf of Acción Andina." in html
    assert 'action="' + sign_url(agreement) + '"' in html
    assert reverse("portal:agreement_scan", kwargs={"pk": agreement.pk}) in html
    page = tmp_path / "agreement.html"
    page.write_text(html)
    assert vnu_errors([page]) == []


def test_signing_in_the_portal(client, grant, agreement):
    client.force_login(grant.signatory)
    response = client.post(
        sign_url(agreement), sign_data(agreement), REMOTE_ADDR="192.0.2.44", follow=True
    )
    assert response.redirect_chain[-1][0] == page_url(grant)
    assert "You signed version 1 of the agreement." in text(response)
    agreement.refresh_from_db()
    assert agreement.status == G.SIGNED and agreement.signer_ip == "192.0.2.44"
    assert agreement.signed_by == grant.signatory
    assert "Signed for the organisation by Sofía Signataria on" in text(response)


def test_the_box_and_the_name_are_required(client, grant, agreement):
    client.force_login(grant.signatory)
    response = client.post(sign_url(agreement), sign_data(agreement, accept="", full_name=""))
    assert response.status_code == 400
    assert "Tick the box to accept the agreement." in text(response)
    agreement.refresh_from_db()
    assert agreement.status == G.ISSUED


def test_a_version_replaced_meanwhile_is_refused_with_a_message(client, grant, secretary):
    shown = issued(grant, secretary)
    client.force_login(grant.signatory)
    client.get(page_url(grant))
    issued(grant, secretary)  # the secretariat changes the agreement meanwhile
    response = client.post(sign_url(shown), sign_data(shown), follow=True)
    assert "Version 1 of this agreement is void" in text(response)
    assert "Version 2, issued on" in text(response)  # the page shows the new one
    assert not Agreement.objects.filter(status=G.SIGNED).exists()


def test_a_changed_hash_is_refused(client, grant, agreement):
    client.force_login(grant.signatory)
    response = client.post(sign_url(agreement), sign_data(agreement, sha256="f" * 64), follow=True)
    assert "not the one issued now" in text(response)
    agreement.refresh_from_db()
    assert agreement.status == G.ISSUED


@pytest.mark.parametrize("who", ["admin", "member", "other"])
def test_anyone_but_a_signatory_gets_a_404_and_nothing_is_recorded(
    client, grant, agreement, secretary, who
):
    actor = awarded_grant(secretary, name="Other").signatory if who == "other" else None
    client.force_login(actor or getattr(grant, who))
    assert client.post(sign_url(agreement), sign_data(agreement)).status_code == 404
    scan = SimpleUploadedFile("s.pdf", b"%PDF-1.4 x")
    scan_url = reverse("portal:agreement_scan", kwargs={"pk": agreement.pk})
    assert client.post(scan_url, {"file": scan, "sha256": agreement.pdf_sha256}).status_code == 404
    agreement.refresh_from_db()
    assert agreement.status == G.ISSUED and agreement.history.count() == 1
    if who == "other":
        assert client.get(page_url(grant)).status_code == 404
        pdf = reverse("portal:agreement_pdf", kwargs={"pk": agreement.pk})
        assert client.get(pdf).status_code == 404


def test_a_signed_scan_through_the_portal(client, grant, agreement):
    client.force_login(grant.signatory)
    url = reverse("portal:agreement_scan", kwargs={"pk": agreement.pk})
    scan = SimpleUploadedFile("signed.pdf", b"%PDF-1.4 signed", content_type="application/pdf")
    response = client.post(url, {"file": scan, "sha256": agreement.pdf_sha256}, follow=True)
    assert "You signed version 1" in text(response)
    assert "(signed scan sent)" in text(response)
    agreement.refresh_from_db()
    assert agreement.signature_method == Agreement.Method.SCAN


def test_the_pdf_is_the_one_issued(client, grant, agreement):
    client.force_login(grant.member)
    response = client.get(reverse("portal:agreement_pdf", kwargs={"pk": agreement.pk}))
    data = b"".join(response.streaming_content)
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert hashlib.sha256(data).hexdigest() == agreement.pdf_sha256


def test_before_any_agreement(client, grant):
    client.force_login(grant.signatory)
    html = text(client.get(page_url(grant)))
    assert "The secretariat has not issued the agreement yet." in html


def test_home_leads_the_signatory_to_the_agreement(client, grant, agreement):
    client.force_login(grant.signatory)
    html = text(client.get(reverse("portal:home")))
    assert page_url(grant) in html and "waiting for your signature" in html
    client.force_login(grant.member)
    html = text(client.get(reverse("portal:home")))
    assert page_url(grant) in html and "waiting for your signature" not in html


def test_the_page_costs_the_same_with_more_versions(client, grant, secretary):
    issued(grant, secretary)
    client.force_login(grant.signatory)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(page_url(grant)).status_code == 200
        return len(captured)

    once = queries()
    for _ in range(3):
        issued(grant, secretary)
    assert queries() == once


# --- the signatory role, on the members page ----------------------------------------------------


def role_url(grant, user) -> str:
    membership = Membership.objects.get(user=user, organisation=grant.organisation)
    return reverse(
        "portal:member_role", kwargs={"pk": grant.organisation.pk, "membership": membership.pk}
    )


def test_the_administrator_makes_a_member_signatory(client, grant):
    client.force_login(grant.admin)
    members = reverse("portal:members", kwargs={"pk": grant.organisation.pk})
    html = text(client.get(members))
    assert role_url(grant, grant.member) in html and '<option value="signatory"' in html
    response = client.post(role_url(grant, grant.member), {"role": "signatory"}, follow=True)
    assert "is now: Signatory." in text(response)
    assert Membership.objects.get(user=grant.member).role == Membership.Role.SIGNATORY
    client.post(role_url(grant, grant.member), {"role": "member"})
    assert Membership.objects.get(user=grant.member).role == Membership.Role.MEMBER


def test_a_member_cannot_change_roles(client, grant):
    client.force_login(grant.member)
    members = reverse("portal:members", kwargs={"pk": grant.organisation.pk})
    assert role_url(grant, grant.member) not in text(client.get(members))
    response = client.post(role_url(grant, grant.member), {"role": "admin"}, follow=True)
    assert "Only an administrator of the organisation can change members&#x27; roles." in (
        text(response)
    )
    assert Membership.objects.get(user=grant.member).role == Membership.Role.MEMBER
    assert client.get(role_url(grant, grant.member)).status_code == 405
