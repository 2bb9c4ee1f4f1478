"""Files and photos on reports: type from the content, a size limit, random private names,
photos re-encoded without metadata, served only to those who may see them."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.files import UploadRejected, check_upload
from reports.models import Attachment
from reports.services import attachment_add, attachment_remove
from tests.portal.factories import make_member, make_organisation, saved_report

pytestmark = pytest.mark.django_db


def stored_files(root: Path) -> list[Path]:
    return [path for path in Path(root).rglob("*") if path.is_file()] if Path(root).exists() else []


def image_bytes(fmt: str, size=(64, 48), exif=None) -> bytes:
    buffer = io.BytesIO()
    image = Image.new("RGB", size, "orange")
    options = {"exif": exif} if exif is not None else {}
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
DOCX = zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
XLSX = zip_bytes({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
ODT = zip_bytes(
    {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office/>"}
)


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def draft(report, member):
    return saved_report(report, member)


@pytest.mark.parametrize(
    ("name", "content", "content_type", "kind"),
    [
        ("report.pdf", PDF, "application/pdf", "file"),
        ("photo.JPG", image_bytes("JPEG"), "image/jpeg", "photo"),
        ("photo.jpeg", image_bytes("JPEG"), "image/jpeg", "photo"),
        ("chart.png", image_bytes("PNG"), "image/png", "photo"),
        ("poster.webp", image_bytes("WEBP"), "image/webp", "photo"),
        (
            "minutes.docx",
            DOCX,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "file",
        ),
        (
            "budget.xlsx",
            XLSX,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "file",
        ),
        ("notes.odt", ODT, "application/vnd.oasis.opendocument.text", "file"),
    ],
)
def test_accepted_types_are_stored_privately_under_random_names(
    draft, member, media_root, name, content, content_type, kind
):
    attachment = attachment_add(
        report=draft,
        actor=member,
        upload=upload(name, content, "text/plain"),  # the declared type is ignored
        caption="What it shows",
        is_publishable=True,
    )
    assert attachment.content_type == content_type
    assert attachment.kind == kind
    assert attachment.original_name == name
    stored = Path(attachment.file.path)
    assert stored.is_relative_to(Path(media_root) / "private" / "reports" / str(draft.pk))
    assert Path(name).stem not in stored.name
    assert stored.exists() and attachment.size == stored.stat().st_size
    # Consent to publish is a photo's.
    assert attachment.is_publishable is (kind == "photo")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>", "not a file"),
        ("report.pdf", b"#!/bin/sh\nrm -rf /\n", "not a file"),
        ("report.pdf", b"MZ\x90\x00\x03\x00\x00\x00", "not a file"),
        ("photo.jpg", image_bytes("PNG"), "is a PNG image but its name does not end in .png"),
        ("photo.png", image_bytes("JPEG"), "is a JPEG image but its name does not end in .jpg"),
        ("photo", image_bytes("JPEG"), "is a JPEG image"),
        ("minutes.docx", zip_bytes({"readme.txt": b"hello"}), "not a file"),
        ("minutes.docx", XLSX, "is a Excel workbook (XLSX) but its name"),
        ("archive.zip", DOCX, "is a Word document (DOCX) but its name"),
        ("empty.pdf", b"", "is empty"),
    ],
)
def test_rejected_files_write_nothing(draft, member, media_root, name, content, message):
    with pytest.raises(UploadRejected) as rejected:
        attachment_add(report=draft, actor=member, upload=upload(name, content))
    assert message in rejected.value.message
    assert stored_files(media_root) == []
    assert not Attachment.objects.exists()


def test_a_file_over_the_limit_is_rejected_before_it_is_read(draft, member, media_root, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    big = upload("report.pdf", PDF + b"0" * 2048)
    with pytest.raises(UploadRejected) as rejected:
        attachment_add(report=draft, actor=member, upload=big)
    assert "files can be" in rejected.value.message
    assert stored_files(media_root) == []


def test_a_broken_image_is_rejected(draft, member, media_root):
    broken = image_bytes("PNG")[:40]
    with pytest.raises(UploadRejected) as rejected:
        attachment_add(report=draft, actor=member, upload=upload("photo.png", broken))
    assert "cannot be read" in rejected.value.message
    assert stored_files(media_root) == []


def test_photos_lose_their_metadata_and_stand_upright(draft, member):
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to display
    exif[0x8825] = {1: "S", 2: (16.0, 30.0, 0.0)}  # GPS
    content = image_bytes("JPEG", size=(80, 40), exif=exif)
    assert b"PhoneMaker" in content
    attachment = attachment_add(report=draft, actor=member, upload=upload("photo.jpg", content))
    stored = Path(attachment.file.path).read_bytes()
    assert b"PhoneMaker" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert not image.getexif()
        assert image.size == (40, 80)  # turned upright


def test_check_upload_reads_content_not_the_declared_type():
    checked = check_upload(upload("scan.pdf", PDF, "image/png"))
    assert checked.type.content_type == "application/pdf"


def test_members_remove_files_and_the_stored_file_goes(
    draft, member, media_root, django_capture_on_commit_callbacks
):
    attachment = attachment_add(report=draft, actor=member, upload=upload("report.pdf", PDF))
    with django_capture_on_commit_callbacks(execute=True):
        attachment_remove(attachment=attachment, actor=member)
    assert stored_files(media_root) == []
    assert not Attachment.objects.exists()


# --- pages ------------------------------------------------------------------------------------


def test_a_rejected_upload_in_the_portal_says_why_and_keeps_the_caption(
    member_client, draft, media_root
):
    url = f"/en/portal/reports/{draft.pk}/files/"
    response = member_client.post(
        url,
        {
            "file": upload("report.pdf", b"<html><body>Not a PDF</body></html>"),
            "caption": "Our annual meeting",
            "is_publishable": "on",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "“report.pdf” is not a file we accept" in html
    assert 'value="Our annual meeting"' in html
    assert stored_files(media_root) == []


def test_a_photo_is_added_in_the_portal(member_client, draft):
    url = f"/en/portal/reports/{draft.pk}/files/"
    response = member_client.post(
        url,
        {
            "file": upload("meeting.png", image_bytes("PNG")),
            "caption": "Our annual meeting",
            "is_publishable": "on",
        },
        follow=True,
    )
    assert "“meeting.png” was added." in response.content.decode()
    attachment = Attachment.objects.get()
    assert (attachment.caption, attachment.is_publishable) == ("Our annual meeting", True)


def test_files_are_served_only_to_members_and_the_secretariat(client, draft, member, secretary):
    attachment = attachment_add(report=draft, actor=member, upload=upload("report.pdf", PDF))
    url = f"/en/portal/files/{attachment.pk}/"
    assert client.get(url).status_code == 302  # anonymous: log in first
    outsider = make_member(make_organisation())
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    for person in (member, secretary):
        client.force_login(person)
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith('attachment; filename="report.pdf"')
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "private" in response["Cache-Control"]
    # Never from a public address.
    assert client.get(f"/media/{attachment.file.name}").status_code == 404
    assert client.get(f"/media/public/../{attachment.file.name}").status_code in (400, 404)
