"""A grant's whole life, through the real services, for the PDFs, the audit dossier and the
staff notes: an application with a document, reviewed by two reviewers (one declaring a
conflict), approved; its workplan approved, its agreement signed with a scan and
countersigned, its first tranche paid, its final report accepted with a file."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile

from grants import services
from grants.models import Application, Initiative
from organisations.models import Membership, User
from programme.models import ReportKind
from reports.models import Report
from reports.services import attachment_add, report_accept, report_submit
from tests.factories import UserFactory
from tests.grants.factories import (
    applicant,
    assign,
    open_edition,
    reviewer_user,
    secretariat_user,
    submit_review,
    submitted,
)
from tests.grants.lifecycle import approve_workplan, pay, second_secretary, verified_details
from tests.portal.factories import saved_report

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class Life:
    secretary: User
    reviewer: User
    conflicted: User
    member: User
    application: Application
    initiative: Initiative
    report: Report


def reviewed_application(secretary: User, **data) -> tuple[Application, User, User]:
    """An application with a document, under review, scored by one reviewer (with a comment)
    while another declared a conflict of interest."""
    edition = open_edition()
    application = submitted(
        edition,
        title=data.pop("title", "Снижение вреда в Андах"),
        summary="Talleres entre pares y una campaña.",
        **data,
    )
    # The document is added while the application is a draft again (more information).
    services.application_request_more_info(
        application=application, actor=secretary, comment="Send the budget, please."
    )
    member = applicant(application)
    services.attachment_add(
        application=application,
        actor=member,
        upload=SimpleUploadedFile("budget détaillé.pdf", PDF, content_type="application/pdf"),
        description="Detailed budget",
    )
    application.refresh_from_db()
    application = services.application_submit(application=application, actor=member)
    application = services.application_screen(
        application=application, actor=secretary, is_eligible=True
    )
    reviewer = reviewer_user("rita@example.org", full_name="Rita Reviewer")
    conflicted = reviewer_user("carl@example.org", full_name="Carl Conflicted")
    submit_review(
        assign(application, reviewer, secretary),
        {"Relevance": 4, "Feasibility": 3},
        comment="Strong peer network, weak evaluation plan.",
    )
    services.conflict_declare(
        assignment=assign(application, conflicted, secretary),
        actor=conflicted,
        has_conflict=True,
        note="I sit on their board.",
    )
    return application, reviewer, conflicted


def whole_life() -> Life:
    secretary = secretariat_user("sec@example.org", full_name="Sara Secretaria")
    application, reviewer, conflicted = reviewed_application(secretary)
    services.application_approve(
        application=application,
        actor=secretary,
        amount=application.requested_amount,
        period_start=application.edition.period_start,
        period_end=application.edition.period_end,
    )
    initiative = Initiative.objects.get(application=application)
    member = applicant(application)
    initiative = approve_workplan(initiative, secretary)
    signatory = UserFactory(email="signs@example.org")
    Membership.objects.create(
        user=signatory, organisation=initiative.lead_organisation, role=Membership.Role.SIGNATORY
    )
    agreement = services.agreement_issue(initiative=initiative, actor=secretary)
    agreement = services.agreement_upload_signed_scan(
        agreement=agreement,
        actor=signatory,
        file=SimpleUploadedFile("signed.pdf", PDF, content_type="application/pdf"),
        sha256=agreement.pdf_sha256,
    )
    services.agreement_countersign(agreement=agreement, actor=secretary)
    verified_details(initiative.lead_organisation, entered_by=member, verifier=second_secretary())
    tranche = initiative.disbursements.order_by("tranche").first()
    tranche.refresh_from_db()
    if tranche.status == "payable":
        pay(tranche, secretary)
    report = initiative.reports.get(kind=ReportKind.FINAL)
    report = saved_report(report, member)
    attachment_add(
        report=report,
        actor=member,
        upload=SimpleUploadedFile("attendance.pdf", PDF, content_type="application/pdf"),
        caption="Attendance sheets",
    )
    report.refresh_from_db()
    report = report_submit(report=report, actor=member)
    report = report_accept(report=report, actor=secretary)
    initiative.refresh_from_db()
    return Life(secretary, reviewer, conflicted, member, application, initiative, report)


def pdf_text(data: bytes) -> str:
    """The text of a PDF (poppler's pdftotext), words wrapped and no-break spaces as single
    spaces, apostrophes straightened."""
    assert shutil.which("pdftotext"), "pdftotext is missing: scripts/install --test installs it"
    assert data.startswith(b"%PDF-")
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True
    )
    return " ".join(result.stdout.decode().replace("’", "'").split())
