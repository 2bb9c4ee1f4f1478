"""The audit dossier: one ZIP per initiative with the application, the decision, the
agreement, the payments, the reports, every attachment and the whole history, and a manifest
whose SHA-256 matches every file; for the secretariat only."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile

import pytest
from django.contrib.admin import helpers
from django.urls import reverse

from grants.models import Initiative
from notifications.services import staff_note_add
from tests.dossier.builders import pdf_text, whole_life
from tests.grants.lifecycle import award
from tests.portal.factories import make_member, make_organisation

pytestmark = pytest.mark.django_db

NOTE = "Internal: the auditor must not read this."


def download(client, user, path: str) -> zipfile.ZipFile:
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "no-store" in response["Cache-Control"]
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def checked_manifest(archive: zipfile.ZipFile) -> dict:
    """The manifest, after checking that it lists every other file with its size and
    SHA-256, and nothing else."""
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["algorithm"] == "sha256"
    listed = {entry["path"]: entry for entry in manifest["files"]}
    assert set(listed) == set(archive.namelist()) - {"manifest.json"}
    for path, entry in listed.items():
        data = archive.read(path)
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], path
        assert len(data) == entry["size"], path
    return manifest


def test_the_dossier_of_an_initiative_has_everything_and_checks_out(client):
    life = whole_life()
    initiative = life.initiative
    for subject in (life.application, initiative, life.report):
        staff_note_add(subject=subject, author=life.secretary, text=NOTE)

    archive = download(
        client, life.secretary, reverse("secretariat:dossier", kwargs={"pk": initiative.pk})
    )
    manifest = checked_manifest(archive)
    assert [row["id"] for row in manifest["initiatives"]] == [initiative.pk]
    folder = f"initiative-{initiative.pk}-{initiative.slug}"
    document = life.application.attachments.get()
    agreement = initiative.agreements.get()
    attachment = life.report.attachments.get()
    names = set(archive.namelist())
    expected = {
        f"{folder}/application/application.pdf",
        f"{folder}/application/documents/{document.pk}-budget_détaillé.pdf",
        f"{folder}/decision.json",
        f"{folder}/agreement/agreement-v1.pdf",
        f"{folder}/agreement/signed-scan-v1.pdf",
        f"{folder}/agreement/agreements.json",
        f"{folder}/payments/payments.csv",
        f"{folder}/payments/payments.json",
        f"{folder}/reports/report-{life.report.pk}-final.pdf",
        f"{folder}/reports/{life.report.pk}/{attachment.pk}-attendance.pdf",
        f"{folder}/history/history.csv",
        f"{folder}/history/history.json",
    }
    assert expected <= names, expected - names
    assert not any(name.endswith("missing-files.json") for name in names)

    # The agreement as issued: the same bytes the signatory signed.
    issued = hashlib.sha256(archive.read(f"{folder}/agreement/agreement-v1.pdf")).hexdigest()
    assert issued == agreement.pdf_sha256
    decision = json.loads(archive.read(f"{folder}/decision.json"))
    assert decision["decision"] == "approved"
    assert decision["decided_by"] == life.secretary.email
    assert decision["amount_awarded"] == "4500.00"
    (signed,) = json.loads(archive.read(f"{folder}/agreement/agreements.json"))
    assert signed["status"] == "countersigned" and signed["signature_method"] == "scan"
    payments = list(
        csv.DictReader(
            io.StringIO(archive.read(f"{folder}/payments/payments.csv").decode("utf-8-sig"))
        )
    )
    assert [row["status"] for row in payments][0] == "paid"
    assert payments[0]["reference"] == "Wire 1"

    # The history of all five workflows, oldest first.
    history = json.loads(archive.read(f"{folder}/history/history.json"))
    assert {row["object"] for row in history} == {
        "application",
        "initiative",
        "agreement",
        "payment",
        "report",
    }
    assert [row["at"] for row in history] == sorted(row["at"] for row in history)
    assert ("submitted", "accepted") in {
        (row["from_status"], row["to_status"]) for row in history if row["object"] == "report"
    }

    # The PDFs: the application with its reviews, the report with its narrative.
    application = pdf_text(archive.read(f"{folder}/application/application.pdf"))
    assert "Снижение вреда в Андах" in application and "Strong peer network" in application
    report = pdf_text(archive.read(f"{folder}/reports/report-{life.report.pk}-final.pdf"))
    assert "Forty people trained." in report

    # Staff notes are internal: in no file of the dossier.
    for name in names:
        data = archive.read(name)
        made_here = name.endswith(("application/application.pdf", "-final.pdf"))
        text = pdf_text(data) if made_here else ""
        assert NOTE.encode() not in data and NOTE not in text, name


def test_several_dossiers_from_the_back_office_action_and_only_for_the_secretariat(client):
    life = whole_life()
    other = award(life.secretary)
    client.force_login(life.secretary)
    response = client.post(
        reverse("admin:grants_initiative_changelist"),
        {
            "action": "download_dossiers",
            helpers.ACTION_CHECKBOX_NAME: [life.initiative.pk, other.pk],
        },
    )
    assert response.status_code == 302
    archive = download(client, life.secretary, response["Location"])
    manifest = checked_manifest(archive)
    assert [row["id"] for row in manifest["initiatives"]] == sorted([life.initiative.pk, other.pk])
    for initiative in Initiative.objects.filter(pk__in=[life.initiative.pk, other.pk]):
        assert f"initiative-{initiative.pk}-{initiative.slug}/decision.json" in archive.namelist()

    # The initiative's page links to its dossier.
    page = client.get(reverse("admin:grants_initiative_change", args=[life.initiative.pk]))
    assert reverse("secretariat:dossier", kwargs={"pk": life.initiative.pk}) in page.text

    # Its own organisation, another one, a reviewer: not found.
    stranger = make_member(make_organisation(name="Other"), email="other@example.org")
    for user in (life.member, stranger, life.reviewer):
        client.force_login(user)
        path = reverse("secretariat:dossier", kwargs={"pk": life.initiative.pk})
        assert client.get(path).status_code == 404
        assert client.get(reverse("secretariat:dossiers") + f"?ids={other.pk}").status_code == 404
