"""Documents people send, and how they go out again (finding 12): a file whose name does not
match its content is refused on the applicant's own upload page, whatever it holds, and every
download of a private file is a download that no browser runs as a page: sandboxed with nothing
allowed, never sniffed into another type, never kept by a shared cache."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from grants import services as grant_services
from grants.models import ApplicationAttachment
from reports.services import attachment_add as report_attachment_add
from tests.grants.factories import (
    applicant,
    assign,
    draft,
    reviewer_user,
    secretariat_user,
)
from tests.portal.factories import saved_report
from tests.portal.test_applications import edit_url, form_data

pytestmark = pytest.mark.django_db

# A PDF by its first bytes, a web page by the rest: what a browser would run if it were sent
# as HTML, or sniffed as such.
HTML_IN_A_PDF = (
    b"%PDF-1.4\n<!DOCTYPE html><html><body>"
    b"<script>fetch('/en/portal/', {credentials: 'include'})</script></body></html>\n"
)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
SAFE_DOWNLOAD_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "private, no-store",
}


def stored_files(root: Path) -> list[Path]:
    return [path for path in Path(root).rglob("*") if path.is_file()] if Path(root).exists() else []


def assert_safe_download(response, content: bytes, disposition: str = "attachment") -> None:
    assert response.status_code == 200
    for header, value in SAFE_DOWNLOAD_HEADERS.items():
        assert response[header] == value, header
    assert response["Content-Disposition"].split(";")[0] == disposition
    assert b"".join(response.streaming_content) == content


def hidden_fields(client, url: str) -> dict[str, str]:
    """The form's hidden fields (its version), as the browser sends them."""
    return form_data(client.get(url).content.decode())


# --- uploads: the name must say what the content is ---------------------------------------------


@pytest.mark.parametrize(
    ("name", "declared_type"),
    [
        ("evil.html", "text/html"),
        ("evil.htm", "application/pdf"),
        ("evil.pdf.html", "application/pdf"),
        ("evil.svg", "image/svg+xml"),
        ("evil", "application/pdf"),
    ],
)
def test_a_pdf_named_as_a_page_is_refused_on_the_applicants_upload_page(
    client, started, media_root, name, declared_type
):
    data = hidden_fields(client, edit_url(started))
    data.update(
        action="save",
        file_description="Budget",
        file=SimpleUploadedFile(name, HTML_IN_A_PDF, content_type=declared_type),
    )
    response = client.post(edit_url(started), data)
    assert response.status_code == 200
    assert (
        f"“{name}” is a PDF but its name does not end in .pdf. Rename it and try again."
        in response.content.decode()
    )
    assert not ApplicationAttachment.objects.exists()
    assert stored_files(media_root) == []


def test_the_same_bytes_named_pdf_go_out_as_a_sandboxed_download(client, started, media_root):
    data = hidden_fields(client, edit_url(started))
    data.update(action="save", file=SimpleUploadedFile("budget.pdf", HTML_IN_A_PDF, "text/html"))
    assert client.post(edit_url(started), data).status_code == 302
    document = ApplicationAttachment.objects.get()
    assert document.content_type == "application/pdf"  # from the content, not the browser
    response = client.get(
        reverse("calls:attachment", kwargs={"pk": started.pk, "attachment_pk": document.pk})
    )
    assert_safe_download(response, HTML_IN_A_PDF)
    assert response["Content-Type"] == "application/pdf"


# --- downloads: the three views that send application and report files -------------------------


def test_the_applicants_download_is_a_sandboxed_attachment(client, edition):
    application = draft(edition)
    document = grant_services.attachment_add(
        application=application,
        actor=applicant(application),
        upload=SimpleUploadedFile("budget.pdf", PDF),
    )
    client.force_login(applicant(application))
    response = client.get(
        reverse("calls:attachment", kwargs={"pk": application.pk, "attachment_pk": document.pk})
    )
    assert_safe_download(response, PDF)
    assert 'filename="budget.pdf"' in response["Content-Disposition"]


def test_the_reviewers_download_is_a_sandboxed_attachment(client, edition):
    secretary = secretariat_user()
    application = draft(edition)
    document = grant_services.attachment_add(
        application=application,
        actor=applicant(application),
        upload=SimpleUploadedFile("budget.pdf", PDF),
    )
    grant_services.application_submit(application=application, actor=applicant(application))
    application = grant_services.application_screen(
        application=application, actor=secretary, is_eligible=True
    )
    reviewer = reviewer_user("reviewer@example.org")
    assignment = assign(application, reviewer, secretary)
    grant_services.conflict_declare(assignment=assignment, actor=reviewer, has_conflict=False)
    client.force_login(reviewer)
    response = client.get(
        reverse("review:attachment", kwargs={"pk": assignment.pk, "attachment_pk": document.pk})
    )
    assert_safe_download(response, PDF)


def test_the_grantees_report_file_is_a_sandboxed_attachment(member_client, report, member):
    draft_report = saved_report(report, member)
    attachment = report_attachment_add(
        report=draft_report, actor=member, upload=SimpleUploadedFile("minutes.pdf", PDF)
    )
    response = member_client.get(reverse("portal:attachment", kwargs={"pk": attachment.pk}))
    assert_safe_download(response, PDF)


def test_a_report_photo_is_shown_inline_under_the_same_guard(member_client, report, member):
    """A photo is shown in the report's page, so it goes out inline; it was re-encoded when it
    came (nothing but image data), and the same headers keep a browser from running it."""
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "orange").save(buffer, format="PNG")
    draft_report = saved_report(report, member)
    attachment = report_attachment_add(
        report=draft_report, actor=member, upload=SimpleUploadedFile("photo.png", buffer.getvalue())
    )
    response = member_client.get(reverse("portal:attachment", kwargs={"pk": attachment.pk}))
    assert_safe_download(response, Path(attachment.file.path).read_bytes(), disposition="inline")
    assert response["Content-Type"] == "image/png"
