"""Checks on the documents applicants upload: the type is read from the content, never trusted
from the name or the browser, and the size is capped."""

from __future__ import annotations

import dataclasses
import zipfile

from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 10 * 1024 * 1024

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Office Open XML files are ZIP archives; the part inside tells a document from a spreadsheet.
OOXML_PARTS = {"word/document.xml": DOCX, "xl/workbook.xml": XLSX}
EXTENSIONS = {PDF: ".pdf", DOCX: ".docx", XLSX: ".xlsx"}


@dataclasses.dataclass(frozen=True)
class CheckedFile:
    content_type: str = ""
    error: str = ""


def sniff(upload: UploadedFile) -> str:
    """The content type found in the file's bytes: PDF, DOCX, XLSX, or "" for anything else."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return ""
        finally:
            upload.seek(0)
        if "[Content_Types].xml" in names:
            for part, content_type in OOXML_PARTS.items():
                if part in names:
                    return content_type
    return ""


def checked_upload(upload: UploadedFile) -> CheckedFile:
    """Accept a PDF, Word (.docx) or Excel (.xlsx) file of at most ``MAX_UPLOAD_BYTES``."""
    if upload.size > MAX_UPLOAD_BYTES:
        return CheckedFile(
            error=_("The file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(MAX_UPLOAD_BYTES)}
        )
    if upload.size == 0:
        return CheckedFile(error=_("The file is empty."))
    content_type = sniff(upload)
    if not content_type:
        return CheckedFile(
            error=_("Send a PDF, Word (.docx) or Excel (.xlsx) file; this one is none of them.")
        )
    return CheckedFile(content_type=content_type)
