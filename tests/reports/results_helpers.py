"""An accepted final report with its highlights and photos, reached through the services."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from programme.models import ReportKind
from reports.services import attachment_add, report_accept, report_submit, schedule_reports
from tests.portal.factories import saved_report


def photo_upload(name: str = "workshop.jpg", colour: str = "orange") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), colour).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def accepted_final_report(
    initiative, member, secretary, *, highlights="Forty people trained.", extra_photos=0
):
    """The final report written in the member's language with a photo the people shown agreed
    to publish ("consent.jpg") and one they did not ("private.jpg"), submitted and accepted.
    Returns (report, consented photo, photo without consent)."""
    if not initiative.reports.exists():  # an initiative made by a factory, not awarded
        schedule_reports(initiative=initiative)
    report = initiative.reports.get(kind=ReportKind.FINAL)
    report = saved_report(report, member, highlights=highlights)
    consented = attachment_add(
        report=report,
        actor=member,
        upload=photo_upload("consent.jpg"),
        caption="Peer educators in Sucre",
        is_publishable=True,
    )
    private = attachment_add(
        report=report, actor=member, upload=photo_upload("private.jpg", "blue"), caption="Faces"
    )
    for number in range(extra_photos):
        attachment_add(
            report=report,
            actor=member,
            upload=photo_upload(f"extra-{number}.jpg", "green"),
            caption=f"Extra {number}",
            is_publishable=True,
        )
    report = report_submit(report=report, actor=member)
    report = report_accept(report=report, actor=secretary)
    return report, consented, private
