"""Exports of the back office's main lists (CSV and XLSX): the rows are the list's, as
filtered and searched, row by row, in the person's language; large exports are written by a
real Celery worker, which notifies the person with a link only they can open."""

from __future__ import annotations

import csv
import datetime
import io
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from bench import dataset
from grants.models import Application, Disbursement, Initiative, Review
from notifications.models import Notification
from organisations.models import Membership, Organisation, User
from programme.models import Edition
from reports.models import Report
from secretariat.models import Export
from tests.notifications.conftest import wait_until

SMALL = {"organisations": 40, "applications": 30, "initiatives": 18, "reviewers": 6}


def secretariat_client() -> Client:
    client = Client()
    client.cookies["sessionid"] = dataset.persona_sessions()["secretariat"]
    return client


def lists() -> list[tuple]:
    """Each exported list, with a filter (and a search) a secretariat member might set."""
    current = Edition.objects.get(status="review")
    edition = Edition.objects.filter(status="running").order_by("-year").first()
    return [
        (Application, {"status__exact": "under_review", "edition__id__exact": current.pk}),
        (Review, {}),
        (Initiative, {"edition__id__exact": edition.pk, "q": "e"}),
        (Disbursement, {"status__exact": "paid"}),
        (Report, {}),
        (Report, {"status__exact": "submitted", "initiative__edition__id__exact": edition.pk}),
        (Organisation, {"q": "Red"}),
        (User, {}),
        (Membership, {"role__exact": "admin"}),
    ]


def changelist(client, model, query: dict):
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    response = client.get(f"{url}?{urlencode(query)}")
    assert response.status_code == 200
    return response.context["cl"]


def export(client, model, query: dict, fmt: str):
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_export", args=[fmt])
    return client.get(f"{url}?{urlencode(query)}")


def read(response, fmt: str) -> list[list[str]]:
    body = b"".join(response.streaming_content)
    if fmt == "csv":
        return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(body), read_only=True).active
    rows = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    width = len(rows[0])  # a row's empty cells at its end are not stored
    return [row + [""] * (width - len(row)) for row in rows]


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_each_export_has_the_rows_of_the_filtered_list_row_by_row(fmt):
    dataset.generate(1, sizes=SMALL)
    client = secretariat_client()
    for model, query in lists():
        cl = changelist(client, model, query)
        model_admin = cl.model_admin
        with CaptureQueriesContext(connection) as queries:
            response = export(client, model, query, fmt)
            assert response.status_code == 200, model
            assert response["Content-Disposition"].startswith("attachment;")
            rows = read(response, fmt)
        # A fixed number of queries, not one per row (most lists here have more rows).
        assert len(queries) <= 16, (model, len(queries), len(rows))
        with translation.override("en"):
            columns = model_admin.get_export_columns()
            from core.exports import cell_text, header_of, value_of

            assert rows[0] == [header_of(model, column) for column in columns], model
            expected = [
                [cell_text(value_of(row, column)) for column in columns]
                for row in model_admin.get_export_queryset(cl.queryset)
            ]
        assert len(rows) - 1 == cl.result_count > 0, (model, query)
        # The same rows, in the list's order: IDs first, then every cell (XLSX keeps numbers
        # and dates as such: they are compared as numbers and dates).
        assert [row[0] for row in rows[1:]] == [str(row.pk) for row in cl.queryset], model
        if fmt == "csv":
            assert rows[1:] == expected, model
        else:
            for got, want in zip(rows[1:], expected, strict=True):
                assert len(got) == len(want)
                for cell, text in zip(got, want, strict=True):
                    assert cell == text or normalise(cell) == normalise(text), (model, cell, text)


def normalise(text: str) -> str:
    """A number or a date as XLSX gives it back, and as CSV writes it."""
    for parse in (
        lambda t: str(float(t)),
        lambda t: datetime.datetime.fromisoformat(t).strftime("%Y-%m-%d %H:%M"),
    ):
        try:
            return parse(text)
        except ValueError:
            continue
    return text.removesuffix(" 00:00")


@pytest.mark.django_db
def test_headers_and_choice_labels_are_in_the_persons_language():
    dataset.generate(1, sizes=SMALL)
    User.objects.filter(email="secretariat@bench.example").update(language="fr")
    client = secretariat_client()
    rows = read(export(client, Report, {"status__exact": "submitted"}, "csv"), "csv")
    with translation.override("fr"):
        status_header = str(Report._meta.get_field("status").verbose_name)
        submitted = str(Report._meta.get_field("status").flatchoices[2][1])
    with translation.override("en"):
        assert str(Report._meta.get_field("status").flatchoices[2][1]) == "Submitted"
    status = [h.lower() for h in rows[0]].index(status_header.lower())
    assert {row[status] for row in rows[1:]} == {submitted}
    assert submitted != "Submitted"  # the catalogue translates it


@pytest.mark.django_db
def test_bad_filters_export_nothing_and_say_so():
    dataset.generate(1, sizes=SMALL)
    client = secretariat_client()
    response = export(client, Report, {"no_such_field": "1"}, "csv")
    assert response.status_code == 302
    response = export(client, Report, {}, "pdf")
    assert response.status_code == 403
    assert Export.objects.count() == 0


@pytest.mark.django_db
def test_people_outside_the_back_office_cannot_export(client):
    url = reverse("admin:reports_report_export", args=["csv"])
    assert client.get(url).status_code == 302  # to the login page
    someone = User.objects.create_user(email="a@example.org", password="x" * 20)
    client.force_login(someone)
    response = client.get(url)
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_large_export_is_written_by_the_worker_and_only_its_requester_fetches_it(
    start_worker, smtp_sink, settings
):
    settings.EXPORT_ASYNC_THRESHOLD = 5
    # The worker writes under the test settings' MEDIA_ROOT: this process reads there too.
    settings.MEDIA_ROOT = Path(settings.BASE_DIR) / ".test-media"
    with transaction.atomic():
        dataset.generate(1, sizes=SMALL)
        sessions = dataset.persona_sessions()
    client = Client()
    client.cookies["sessionid"] = sessions["secretariat"]
    query = {"status__exact": "accepted"}
    response = export(client, Report, query, "xlsx")
    assert response.status_code == 302  # back to the list, with a message
    assert response["Location"].startswith(reverse("admin:reports_report_changelist"))
    job = Export.objects.get()
    assert job.status == "queued" and job.query == "status__exact=accepted"

    start_worker()
    wait_until(lambda: Export.objects.get().status == "done", message="The worker wrote no export.")
    job = Export.objects.get()
    assert job.row_count == Report.objects.filter(status="accepted").count() > 5
    assert job.file.name.startswith(f"private/exports/{job.requested_by_id}/")
    wait_until(lambda: len(smtp_sink.messages) >= 1, message="No email was sent.")
    notification = Notification.objects.get(kind="export_ready")
    assert notification.recipient == job.requested_by
    assert notification.path == job.get_absolute_url()
    assert job.get_absolute_url() in smtp_sink.messages[0].message.get_body(
        ("plain",)
    ).get_content().replace("=\n", "")

    # The person who asked downloads it: the list's rows.
    response = client.get(job.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    rows = read(response, "xlsx")
    ids = [row.pk for row in changelist(client, Report, query).queryset]
    assert [row[0] for row in rows[1:]] == [str(pk) for pk in ids]

    # Nobody else: another staff member (a reviewer), a grantee, a visitor; nor anyone once expired.
    other = Client()
    other.cookies["sessionid"] = sessions["reviewer"]
    assert other.get(job.get_absolute_url()).status_code == 404
    grantee = Client()
    grantee.cookies["sessionid"] = sessions["grantee"]
    assert grantee.get(job.get_absolute_url()).status_code == 404
    assert Client().get(job.get_absolute_url()).status_code == 302  # to log in
    Export.objects.filter(pk=job.pk).update(expires_at=timezone.now())
    assert client.get(job.get_absolute_url()).status_code == 404

    # The task run again writes nothing new and notifies nobody again.
    from secretariat.tasks import clear_exports, export_run

    assert export_run(job.pk) == "done"
    assert Notification.objects.filter(kind="export_ready").count() == 1

    # The daily job deletes the expired file, and keeps the record of the export.
    path = Path(job.file.path)
    assert path.exists()
    assert clear_exports() == "1 export files deleted"
    assert not path.exists() and Export.objects.get().file.name == ""
    assert clear_exports() == "0 export files deleted"


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_per_programme_has_the_rows_of_the_programmes_list(fmt):
    """Each main list filtered to one programme (the small grants' list too) exports exactly
    its rows; the small grants' export leaves out the bank details."""
    from core.exports import cell_text, header_of, value_of
    from grants.models import LightApplication
    from tests.secretariat.test_dashboard import light_track

    dataset.generate(1, sizes=SMALL)
    light = light_track(timezone.localdate())
    full = Edition.objects.exclude(programme=light.programme).first().programme
    client = secretariat_client()
    cases = [
        (Application, "edition__programme__id__exact", full),
        (Application, "edition__programme__id__exact", light.programme),
        (Initiative, "edition__programme__id__exact", full),
        (Disbursement, "initiative__edition__programme__id__exact", full),
        (Report, "initiative__edition__programme__id__exact", full),
        (LightApplication, "edition__programme__id__exact", light.programme),
        (LightApplication, "edition__programme__id__exact", full),
    ]
    for model, parameter, programme in cases:
        query = {parameter: programme.pk}
        cl = changelist(client, model, query)
        assert "e" not in cl.params
        rows = read(export(client, model, query, fmt), fmt)
        with translation.override("en"):
            columns = cl.model_admin.get_export_columns()
            assert rows[0] == [header_of(model, column) for column in columns], model
            expected = [
                [cell_text(value_of(row, column)) for column in columns]
                for row in cl.model_admin.get_export_queryset(cl.queryset)
            ]
        assert len(rows) - 1 == cl.result_count, (model, programme)
        if model is LightApplication:
            assert cl.result_count == (12 if programme == light.programme else 0)
            assert [row[0] for row in rows[1:]] == [f"SG-{a.pk}" for a in cl.queryset]
            text = "\n".join(",".join(row) for row in rows)
            assert "PT50000201231234567890" not in text and "Banco Popular" not in text
        else:
            assert (cl.result_count > 0) == (programme == full), (model, programme)
            assert [row[0] for row in rows[1:]] == [str(row.pk) for row in cl.queryset]
        if fmt == "csv":
            assert rows[1:] == expected, model
        else:
            for got, want in zip(rows[1:], expected, strict=True):
                for cell, text in zip(got, want, strict=True):
                    assert cell == text or normalise(cell) == normalise(text), (model, cell, text)
