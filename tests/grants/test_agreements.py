"""The grant agreement through its services: issuing versions, signing (in the portal or with a
scan), countersigning, the tranche it releases and the initiative's activation; who may take
each step and what is refused with which message."""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
import zipfile

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.files import UploadRejected
from core.workflow import TransitionNotAllowed
from grants import services
from grants.documents import agreement_document
from grants.errors import AgreementError
from grants.models import Agreement, Disbursement, Initiative
from grants.workflow import (
    AGREEMENT_WORKFLOW,
    AgreementStatus,
    DisbursementStatus,
    InitiativeStatus,
)
from notifications.models import Notification
from notifications.registry import KINDS
from organisations.models import Membership, OrganisationChange
from organisations.selectors import is_signatory
from organisations.services import membership_set_role
from programme.models import AgreementTemplate
from tests.portal.factories import fill_workplan

from .agreement_factories import awarded_grant, issued, signed
from .factories import reviewer_user, secretariat_user

pytestmark = pytest.mark.django_db
G = AgreementStatus


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def secretary(db):
    return secretariat_user()


@pytest.fixture
def grant(secretary):
    return awarded_grant(secretary)


def history(agreement) -> list[tuple[str, str, str]]:
    return [
        (row.from_status, row.to_status, row.role)
        for row in agreement.history.order_by("created_at", "pk")
    ]


def sign(agreement, actor, **overrides):
    values = {
        "agreement": agreement,
        "actor": actor,
        "full_name": "Sofía Signataria",
        "ip_address": "203.0.113.7",
        "sha256": agreement.pdf_sha256,
    }
    return services.agreement_sign(**{**values, **overrides})


def pdf_upload(name="signed.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 signed on paper", content_type="application/pdf")


# --- the table ---------------------------------------------------------------------------------


def test_the_table_says_who_takes_each_step():
    secretariat, member, system = "secretariat", "member", "system"
    expected = {
        (G.DRAFT, G.ISSUED): {secretariat},
        (G.ISSUED, G.SIGNED): {member},
        (G.SIGNED, G.COUNTERSIGNED): {secretariat},
        (G.ISSUED, G.VOID): {secretariat},
        (G.SIGNED, G.VOID): {secretariat},
    }
    assert {pair: set(roles) for pair, roles in AGREEMENT_WORKFLOW.transitions.items()} == (
        expected
    )
    for source in G.values:
        for target in G.values:
            for role in (secretariat, member, system, "reviewer"):
                allowed = role in expected.get((source, target), set())
                assert AGREEMENT_WORKFLOW.is_allowed(source, target, role) is allowed
    # A countersigned or void version goes nowhere.
    assert AGREEMENT_WORKFLOW.targets(G.COUNTERSIGNED, secretariat) == []
    assert AGREEMENT_WORKFLOW.targets(G.VOID, secretariat) == []


# --- issuing -----------------------------------------------------------------------------------


def test_issuing_keeps_the_text_its_pdf_and_hash_and_tells_the_signatories(
    grant, secretary, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        agreement = issued(grant, secretary)
    assert agreement.status == G.ISSUED and agreement.version == 1
    assert agreement.language == "en" and agreement.created_by == secretary
    with agreement.pdf.open("rb") as handle:
        data = handle.read()
    assert data.startswith(b"%PDF-")
    assert hashlib.sha256(data).hexdigest() == agreement.pdf_sha256
    assert agreement.pdf.name.startswith(f"private/agreements/{grant.initiative.pk}/")
    html = agreement.body_html.replace("\u00a0", " ")
    assert "Acción Andina" in html and "4,500 USD" in html
    assert "On signature of the agreement" in html  # the first tranche's condition
    assert "Interim report" in html and "Final report" in html  # the reporting dates
    assert "Peer workshops" in html  # a line of action
    assert history(agreement) == [(G.DRAFT, G.ISSUED, "secretariat")]
    rows = Notification.objects.filter(kind="agreement_issued")
    assert [row.recipient for row in rows] == [grant.signatory]
    assert rows[0].path == f"/en/portal/initiatives/{grant.initiative.pk}/agreement/"


@pytest.mark.parametrize("who", ["admin", "signatory", "member", "reviewer"])
def test_only_the_secretariat_issues(grant, who):
    actor = reviewer_user("rita@example.org") if who == "reviewer" else getattr(grant, who)
    with pytest.raises(TransitionNotAllowed):
        services.agreement_issue(initiative=grant.initiative, actor=actor)
    assert not Agreement.objects.exists()


def test_a_new_version_voids_the_one_not_countersigned(grant, secretary):
    first = issued(grant, secretary)
    second = issued(grant, secretary)
    first.refresh_from_db()
    assert (first.status, second.status, second.version) == (G.VOID, G.ISSUED, 2)
    assert history(first)[-1] == (G.ISSUED, G.VOID, "secretariat")
    assert first.history.first().comment == "Replaced by version 2."
    # Signed by the organisation but not countersigned: a new version still replaces it.
    sign(second, grant.signatory)
    third = issued(grant, secretary)
    second.refresh_from_db()
    assert (second.status, third.version) == (G.VOID, 3)
    assert history(second)[-1] == (G.SIGNED, G.VOID, "secretariat")
    assert Agreement.objects.exclude(status=G.VOID).get() == third


def test_a_countersigned_agreement_cannot_change(grant, secretary):
    agreement = signed(grant, secretary)
    services.agreement_countersign(agreement=agreement, actor=secretary)
    with pytest.raises(AgreementError, match="was countersigned on .*cannot change any more"):
        issued(grant, secretary)
    assert Agreement.objects.count() == 1


# --- the organisation's signature ---------------------------------------------------------------


def test_signing_records_name_time_address_and_hash_and_tells_the_secretariat(
    grant, secretary, django_capture_on_commit_callbacks
):
    agreement = issued(grant, secretary)
    with django_capture_on_commit_callbacks(execute=True):
        done = sign(agreement, grant.signatory, full_name="  Sofía   Signataria ")
    assert done.status == G.SIGNED
    assert done.signer_name == "Sofía Signataria" and done.signed_by == grant.signatory
    assert done.signer_ip == "203.0.113.7" and done.signed_at is not None
    assert done.signed_sha256 == agreement.pdf_sha256
    assert done.signature_method == Agreement.Method.ONLINE
    assert history(done)[-1] == (G.ISSUED, G.SIGNED, "member")
    [row] = Notification.objects.filter(kind="agreement_signed")
    assert row.recipient == secretary and row.context["name"] == "Sofía Signataria"
    assert row.path == f"/en/admin/grants/agreement/{done.pk}/change/"
    # Nothing is released or activated before the secretariat countersigns.
    first = grant.initiative.disbursements.get(tranche=1)
    assert first.status == DisbursementStatus.PLANNED


@pytest.mark.parametrize("who", ["admin", "member", "secretary", "other"])
def test_only_a_signatory_of_the_organisation_signs(grant, secretary, who):
    agreement = issued(grant, secretary)
    actor = {
        "admin": grant.admin,
        "member": grant.member,
        "secretary": secretary,
        "other": awarded_grant(secretary, name="Other").signatory,
    }[who]
    with pytest.raises(TransitionNotAllowed, match="Only a signatory of Acción Andina"):
        sign(agreement, actor)
    agreement.refresh_from_db()
    assert agreement.status == G.ISSUED and agreement.signed_at is None
    assert agreement.signer_name == "" and agreement.signer_ip is None
    assert history(agreement) == [(G.DRAFT, G.ISSUED, "secretariat")]


def test_an_administrator_signs_once_given_the_role(grant, secretary):
    agreement = issued(grant, secretary)
    with pytest.raises(TransitionNotAllowed):
        sign(agreement, grant.admin)
    # Another administrator first: the only one keeps the role.
    with pytest.raises(Exception, match="only administrator"):
        membership_set_role(
            membership=Membership.objects.get(user=grant.admin),
            actor=grant.admin,
            role=Membership.Role.SIGNATORY,
        )
    membership_set_role(
        membership=Membership.objects.get(user=grant.member),
        actor=grant.admin,
        role=Membership.Role.ADMIN,
    )
    membership_set_role(
        membership=Membership.objects.get(user=grant.admin),
        actor=grant.member,
        role=Membership.Role.SIGNATORY,
    )
    assert is_signatory(grant.admin, grant.organisation)
    assert sign(agreement, grant.admin).status == G.SIGNED
    change = OrganisationChange.objects.filter(field="members").order_by("-pk").first()
    assert "(Organisation administrator)" in change.old_value
    assert "(Signatory)" in change.new_value


def test_only_an_administrator_changes_roles(grant):
    with pytest.raises(Exception, match="Only an administrator"):
        membership_set_role(
            membership=Membership.objects.get(user=grant.member),
            actor=grant.signatory,
            role=Membership.Role.ADMIN,
        )
    assert Membership.objects.get(user=grant.member).role == Membership.Role.MEMBER


def test_signing_a_void_version_is_refused_with_a_clear_message(grant, secretary):
    first = issued(grant, secretary)
    issued(grant, secretary)
    first.refresh_from_db()
    with pytest.raises(AgreementError) as refused:
        sign(first, grant.signatory)
    assert refused.value.message == (
        "Version 1 of this agreement is void: the secretariat issued version 2 since. "
        "Read the new version, then sign it."
    )
    first.refresh_from_db()
    assert first.status == G.VOID and first.signed_at is None
    with pytest.raises(AgreementError, match="void"):
        services.agreement_upload_signed_scan(
            agreement=first, actor=grant.signatory, file=pdf_upload()
        )


def test_a_version_other_than_the_one_shown_is_refused(grant, secretary):
    agreement = issued(grant, secretary)
    with pytest.raises(AgreementError, match="not the one issued now"):
        sign(agreement, grant.signatory, sha256="0" * 64)
    agreement.refresh_from_db()
    assert agreement.status == G.ISSUED and agreement.signed_at is None


def test_a_pdf_changed_on_disk_cannot_be_signed(grant, secretary):
    agreement = issued(grant, secretary)
    with agreement.pdf.open("wb") as handle:
        handle.write(b"%PDF-1.4 something else")
    with pytest.raises(AgreementError, match="cannot be checked"):
        sign(agreement, grant.signatory)


def test_the_name_is_required(grant, secretary):
    agreement = issued(grant, secretary)
    with pytest.raises(AgreementError) as refused:
        sign(agreement, grant.signatory, full_name="   ")
    assert refused.value.field == "full_name"
    agreement.refresh_from_db()
    assert agreement.status == G.ISSUED


def test_signing_twice_has_one_effect(grant, secretary):
    agreement = signed(grant, secretary)
    with pytest.raises(AgreementError, match="was signed on .* by Sofía Signataria"):
        sign(agreement, grant.signatory)
    assert history(agreement) == [
        (G.DRAFT, G.ISSUED, "secretariat"),
        (G.ISSUED, G.SIGNED, "member"),
    ]
    assert Notification.objects.filter(kind="agreement_signed").count() == 1


def test_a_signed_scan_instead(grant, secretary):
    agreement = issued(grant, secretary)
    done = services.agreement_upload_signed_scan(
        agreement=agreement,
        actor=grant.signatory,
        file=pdf_upload(),
        ip_address="198.51.100.2",
        sha256=agreement.pdf_sha256,
    )
    assert done.status == G.SIGNED and done.signature_method == Agreement.Method.SCAN
    assert done.signed_scan_name == "signed.pdf" and done.signed_scan_type == "application/pdf"
    assert done.signed_scan.name.startswith(f"private/agreements/{grant.initiative.pk}/")
    with done.signed_scan.open("rb") as handle:
        assert handle.read() == b"%PDF-1.4 signed on paper"
    assert done.signer_name == "Sofía Signataria" and done.signer_ip == "198.51.100.2"
    assert done.signed_sha256 == agreement.pdf_sha256


def test_a_png_scan_is_taken_and_other_files_are_refused(grant, secretary):
    agreement = issued(grant, secretary)
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    with pytest.raises(UploadRejected, match="send the signed agreement as a PDF, JPEG or PNG"):
        services.agreement_upload_signed_scan(
            agreement=agreement,
            actor=grant.signatory,
            file=SimpleUploadedFile("signed.docx", docx.getvalue()),
        )
    with pytest.raises(UploadRejected, match="not a file we accept"):
        services.agreement_upload_signed_scan(
            agreement=agreement,
            actor=grant.signatory,
            file=SimpleUploadedFile("signed.pdf", b"just text"),
        )
    agreement.refresh_from_db()
    assert agreement.status == G.ISSUED and not agreement.signed_scan
    png = io.BytesIO()
    Image.new("RGB", (60, 80), "white").save(png, format="PNG")
    done = services.agreement_upload_signed_scan(
        agreement=agreement,
        actor=grant.signatory,
        file=SimpleUploadedFile("scan.png", png.getvalue()),
    )
    assert done.signed_scan_type == "image/png"


# --- the secretariat's countersignature, the tranche, the activation ---------------------------


def test_countersigning_releases_the_tranche_on_signature_and_tells_the_members(
    grant, secretary, django_capture_on_commit_callbacks
):
    agreement = signed(grant, secretary)
    with django_capture_on_commit_callbacks(execute=True):
        done = services.agreement_countersign(agreement=agreement, actor=secretary)
    assert done.status == G.COUNTERSIGNED
    assert done.countersigned_by == secretary and done.countersigned_at is not None
    first, second = grant.initiative.disbursements.order_by("tranche")
    assert first.condition == Disbursement.Condition.ON_SIGNATURE
    assert first.status == DisbursementStatus.PAYABLE
    assert first.history.get().role == "system"
    assert second.status == DisbursementStatus.PLANNED
    recipients = {n.recipient for n in Notification.objects.filter(kind="agreement_countersigned")}
    assert recipients == {grant.admin, grant.signatory, grant.member}
    # The workplan is not approved yet: the grant is not active.
    grant.initiative.refresh_from_db()
    assert grant.initiative.status == InitiativeStatus.AWARDED


def test_countersigning_twice_has_one_effect(grant, secretary):
    agreement = signed(grant, secretary)
    services.agreement_countersign(agreement=agreement, actor=secretary)
    with pytest.raises(AgreementError, match="was countersigned on"):
        services.agreement_countersign(agreement=agreement, actor=secretary)
    assert [row[1] for row in history(agreement)] == [G.ISSUED, G.SIGNED, G.COUNTERSIGNED]
    first = grant.initiative.disbursements.get(tranche=1)
    assert first.history.count() == 1
    assert Notification.objects.filter(kind="agreement_countersigned").count() == 3


def test_countersigning_waits_for_the_organisation_and_refuses_a_void_version(grant, secretary):
    agreement = issued(grant, secretary)
    with pytest.raises(AgreementError, match="has not signed this agreement yet"):
        services.agreement_countersign(agreement=agreement, actor=secretary)
    sign(agreement, grant.signatory)
    issued(grant, secretary)
    with pytest.raises(AgreementError, match="Version 1 of this agreement is void"):
        services.agreement_countersign(agreement=agreement, actor=secretary)


@pytest.mark.parametrize("who", ["admin", "signatory", "reviewer"])
def test_only_the_secretariat_countersigns(grant, secretary, who):
    agreement = signed(grant, secretary)
    actor = reviewer_user("rita@example.org") if who == "reviewer" else getattr(grant, who)
    with pytest.raises(TransitionNotAllowed):
        services.agreement_countersign(agreement=agreement, actor=actor)
    agreement.refresh_from_db()
    assert agreement.status == G.SIGNED


def approve_workplan(grant, secretary) -> None:
    fill_workplan(grant.initiative, grant.admin)
    services.workplan_submit(initiative=grant.initiative, actor=grant.admin)
    services.workplan_approve(initiative=grant.initiative, actor=secretary)


def initiative_history(initiative: Initiative) -> list[tuple[str, str, str]]:
    return [
        (row.from_status, row.to_status, row.role)
        for row in initiative.history.filter(workflow="initiative").order_by("pk")
    ]


def test_active_when_the_agreement_is_countersigned_after_the_workplan(grant, secretary):
    approve_workplan(grant, secretary)
    grant.initiative.refresh_from_db()
    assert grant.initiative.status == InitiativeStatus.WORKPLAN_APPROVED
    agreement = signed(grant, secretary)
    services.agreement_countersign(agreement=agreement, actor=secretary)
    grant.initiative.refresh_from_db()
    assert grant.initiative.status == InitiativeStatus.ACTIVE
    assert initiative_history(grant.initiative) == [
        ("awarded", "workplan_approved", "secretariat"),
        ("workplan_approved", "active", "system"),
    ]


def test_active_when_the_workplan_is_approved_after_the_agreement(grant, secretary):
    agreement = signed(grant, secretary)
    services.agreement_countersign(agreement=agreement, actor=secretary)
    approve_workplan(grant, secretary)
    grant.initiative.refresh_from_db()
    assert grant.initiative.status == InitiativeStatus.ACTIVE
    assert initiative_history(grant.initiative)[-1] == ("workplan_approved", "active", "system")
    # Asking again changes nothing.
    services.initiative_activate_if_ready(initiative=grant.initiative)
    assert len(initiative_history(grant.initiative)) == 2


def test_not_active_with_a_signature_not_countersigned(grant, secretary):
    signed(grant, secretary)
    approve_workplan(grant, secretary)
    grant.initiative.refresh_from_db()
    assert grant.initiative.status == InitiativeStatus.WORKPLAN_APPROVED


# --- the text: the template, its placeholders, its language ------------------------------------


def test_the_secretariats_text_is_escaped_and_its_placeholders_filled(grant, secretary):
    grant.organisation.name = "Acción <b>Andina</b>"
    grant.organisation.save()
    AgreementTemplate.objects.create(
        edition=grant.initiative.edition,
        title_en="Agreement {edition}",
        preamble_en="<script>alert(1)</script> {organisation} receives {amount}.",
        clauses_en="First clause, from {period_start}.\n\nSecond clause {{ not_a_tag }} {%x%}.",
    )
    agreement = issued(grant, secretary)
    html = agreement.body_html.replace("\u00a0", " ")
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Acción &lt;b&gt;Andina&lt;/b&gt; receives" in html
    assert "receives 4,500 USD." in html
    assert "<p>First clause, from June 1, " in html
    assert "<p>Second clause {{ not_a_tag }} {%x%}.</p>" in html
    assert agreement.title == "Agreement {edition}"  # the title is text, not filled


def test_an_unknown_placeholder_is_refused_in_the_back_office(grant):
    template = AgreementTemplate(edition=grant.initiative.edition, clauses_en="Paid to {bank}.")
    with pytest.raises(ValidationError) as refused:
        template.full_clean()
    assert "Unknown placeholder {bank}" in str(refused.value)


def test_the_grantees_language_else_the_templates(grant, secretary):
    initiative = grant.initiative
    Initiative.objects.filter(pk=initiative.pk).update(original_language="fr")
    initiative.refresh_from_db()
    # No template: the default text, in French.
    assert agreement_document(initiative, version=1).language == "fr"
    template = AgreementTemplate.objects.create(edition=initiative.edition, clauses_en="The terms.")
    # The template has no French: its own language.
    assert agreement_document(initiative, version=1).language == "en"
    template.clauses_fr = "Les conditions."
    template.save()
    document = agreement_document(initiative, version=1)
    assert document.language == "fr" and "Les conditions." in document.body_html


# --- the PDF, read back -----------------------------------------------------------------------


def pdf_text(agreement) -> str:
    assert shutil.which("pdftotext"), "pdftotext is missing: scripts/install --test installs it"
    with agreement.pdf.open("rb") as handle:
        data = handle.read()
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True
    )
    # Words wrapped onto the next line, and no-break spaces, read as single spaces.
    return " ".join(result.stdout.decode().split())


@pytest.mark.parametrize(
    ("language", "organisation", "amount", "start", "end"),
    [
        ("fr", "Association Kénédougou Solidarité", "4 500 USD", "1 juin", "31 décembre"),
        ("ru", "Фонд Андрея Рылькова", "4 500 USD", "1 июня", "31 декабря"),
    ],
)
def test_the_pdf_says_who_how_much_and_when_in_french_and_in_russian(
    secretary, language, organisation, amount, start, end
):
    grant = awarded_grant(secretary, name=organisation, language=language)
    agreement = issued(grant, secretary)
    assert agreement.language == language
    text = pdf_text(agreement)
    year = grant.initiative.period_start.year
    assert organisation in text
    assert amount in text
    assert f"{start} {year}" in text and f"{end} {year}" in text


# --- the back office ----------------------------------------------------------------------------


def test_the_back_office_issues_shows_the_signature_and_countersigns(client, grant, secretary):
    client.force_login(secretary)
    Membership.objects.filter(user=grant.signatory).update(role=Membership.Role.MEMBER)
    response = client.post(
        "/en/admin/grants/initiative/",
        {"action": "issue_agreement", "_selected_action": [grant.initiative.pk]},
        follow=True,
    )
    page = response.content.decode()
    assert "Agreements issued: 1." in page
    assert "has no signatory yet" in page  # nobody could be told
    Membership.objects.filter(user=grant.signatory).update(role=Membership.Role.SIGNATORY)
    agreement = sign(Agreement.objects.get(), grant.signatory)

    change = client.get(f"/en/admin/grants/agreement/{agreement.pk}/change/").content.decode()
    assert "Sofía Signataria" in change and "203.0.113.7" in change
    assert agreement.signed_sha256 in change
    assert 'name="signer_name"' not in change  # nothing of it is typed here
    pdf = client.get(f"/en/admin/grants/agreement/{agreement.pk}/pdf/")
    assert pdf["Content-Type"] == "application/pdf"
    data = b"".join(pdf.streaming_content)
    assert hashlib.sha256(data).hexdigest() == agreement.pdf_sha256

    response = client.post(
        "/en/admin/grants/agreement/",
        {"action": "countersign", "_selected_action": [agreement.pk]},
        follow=True,
    )
    assert "Agreements countersigned: 1." in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.status == G.COUNTERSIGNED
    # A second click: refused with the reason, nothing more happens.
    response = client.post(
        "/en/admin/grants/agreement/",
        {"action": "countersign", "_selected_action": [agreement.pk]},
        follow=True,
    )
    assert "was countersigned on" in response.content.decode()
    assert agreement.history.count() == 3


def test_only_staff_download_from_the_back_office(client, grant, secretary):
    agreement = issued(grant, secretary)
    client.force_login(grant.signatory)
    response = client.get(f"/en/admin/grants/agreement/{agreement.pk}/pdf/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_three_emails_go_out_in_each_readers_language(
    grant, secretary, django_capture_on_commit_callbacks
):
    grant.signatory.language = "en"
    grant.signatory.save()
    with django_capture_on_commit_callbacks(execute=True):
        agreement = issued(grant, secretary)
    with django_capture_on_commit_callbacks(execute=True):
        sign(agreement, grant.signatory)
    with django_capture_on_commit_callbacks(execute=True):
        services.agreement_countersign(agreement=agreement, actor=secretary)
    for kind in ("agreement_issued", "agreement_signed", "agreement_countersigned"):
        for row in Notification.objects.filter(kind=kind):
            assert set(row.context) == set(KINDS[kind].context)
            assert row.status == Notification.Status.SENT, row.error
    subjects = {message.subject for message in mail.outbox}
    title = grant.initiative.title
    assert f"Grant agreement to sign: {title}" in subjects
    assert f"Grant agreement signed: {title}" in subjects
    assert f"Grant agreement in force: {title}" in subjects


def test_the_agreement_names_the_programme_its_sender_and_contact(grant):
    initiative = grant.initiative
    programme = initiative.edition.programme
    programme.sender_name_en = "Initiatives Programme secretariat"
    programme.sender_name_fr = "Secrétariat du Programme d’initiatives"
    programme.contact_email = "initiatives@example.org"
    programme.save()
    html = agreement_document(initiative, version=1).body_html
    assert "The secretariat of Initiatives Programme" in html
    assert "Initiatives Programme secretariat, initiatives@example.org" in html
    Initiative.objects.filter(pk=initiative.pk).update(original_language="fr")
    initiative.refresh_from_db()
    french = agreement_document(initiative, version=1)
    assert french.language == "fr"
    assert "Secrétariat du Programme d’initiatives, initiatives@example.org" in french.body_html
