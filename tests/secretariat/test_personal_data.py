"""Personal data: the export of everything held about a person or an organisation (found
through the models' relations), the erasure that keeps money and decisions under a replaced
name, and the retention schedule with real dates."""

from __future__ import annotations

import datetime
import io
import json
import zipfile
from decimal import Decimal

import pytest
from django.apps import apps
from django.db.models import Sum
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from grants.models import Application, Disbursement, Initiative
from grants.workflow import DisbursementStatus
from notifications.models import Notification, ScheduledJob
from organisations.models import Organisation, User
from public.opendata.files import build_files
from secretariat.models import PersonalDataRequest, RetentionRun
from secretariat.services.personal_data import (
    PersonalDataError,
    export_archive,
    personal_data_erase,
)
from secretariat.tasks import apply_retention
from tests.grants.factories import open_edition, reach, secretariat_user
from tests.grants.lifecycle import (
    activate,
    approve_workplan,
    award,
    grantee,
    pay,
    second_secretary,
    verified_details,
)
from tests.public.test_opendata import public_texts

pytestmark = pytest.mark.django_db

ORGANISATION_NAME = "Colectivo Warmi Sapa"
PERSON_NAME = "Rosa Quispe Mamani"


@pytest.fixture
def world(settings, tmp_path):
    """A grant paid once, through the services: its organisation and member have names the
    test looks for everywhere."""
    settings.MEDIA_ROOT = tmp_path
    secretary = secretariat_user("sam@example.org", full_name="Sam Secretariat")
    initiative = award(secretary)
    organisation = initiative.lead_organisation
    Organisation.objects.filter(pk=organisation.pk).update(
        name=ORGANISATION_NAME, acronym="CWS", city="El Alto"
    )
    member = grantee(initiative)
    User.objects.filter(pk=member.pk).update(full_name=PERSON_NAME)
    member.refresh_from_db()
    initiative = approve_workplan(initiative, secretary)
    initiative = activate(initiative, secretary)
    verified_details(organisation, entered_by=member, verifier=second_secretary())
    tranche = initiative.disbursements.get(status=DisbursementStatus.PAYABLE)
    pay(tranche, secretary)
    Initiative.objects.filter(pk=initiative.pk).update(
        is_published=True,
        description_en=f"{ORGANISATION_NAME} trains peers; {PERSON_NAME} leads it.",
    )
    initiative.refresh_from_db()
    return {"secretary": secretary, "initiative": initiative, "member": member}


def archive_rows(archive: bytes) -> tuple[set[tuple[str, int]], dict[str, bytes]]:
    rows, files = set(), {}
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        for name in opened.namelist():
            if name.startswith("files/"):
                files[name] = opened.read(name)
                continue
            for item in json.loads(opened.read(name)):
                rows.add((item["model"], item["pk"]))
    return rows, files


def referencing(target) -> set[tuple[str, int]]:
    """Every row of every model (the tables of many-to-many fields included) with a foreign
    key to ``target``, found here independently of the code under test."""
    found = set()
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is type(target):
                for pk in model._base_manager.filter(**{field.name: target}).values_list(
                    "pk", flat=True
                ):
                    found.add((model._meta.label_lower, pk))
    return found


def test_the_export_holds_every_row_that_refers_to_the_person(world):
    member, secretary = world["member"], world["secretary"]
    expected = referencing(member)
    kinds = {label for label, _pk in expected}
    # The person is referred to from many places: the test is not trivially satisfied.
    assert {
        "organisations.membership",
        "grants.application",
        "grants.applicationstatuschange",
        "organisations.payeedetailsversion",
    } <= kinds
    archive, record = export_archive(subject=member, actor=secretary)
    rows, _files = archive_rows(archive)
    assert expected <= rows
    assert ("organisations.user", member.pk) in rows
    assert record.actor == secretary and record.kind == "export"
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        user = json.loads(opened.read("organisations.user.json"))[0]["fields"]
    assert user["full_name"] == PERSON_NAME and user["password"] == "(withheld)"
    # A member of the secretariat: their group, their steps in every workflow, their exports.
    expected = referencing(secretary)
    assert "organisations.user_groups" in {label for label, _pk in expected}
    assert "secretariat.personaldatarequest" in {label for label, _pk in expected}
    rows, _files = archive_rows(export_archive(subject=secretary, actor=secretary)[0])
    assert expected <= rows


def test_the_export_of_an_organisation_holds_its_grants_and_their_files(world, client):
    initiative, secretary = world["initiative"], world["secretary"]
    organisation = initiative.lead_organisation
    client.force_login(secretary)
    page = client.get(reverse("secretariat:personal_data", args=["organisation", organisation.pk]))
    assert page.status_code == 200 and ORGANISATION_NAME in page.content.decode()
    response = client.post(
        reverse("secretariat:personal_data", args=["organisation", organisation.pk]),
        {"export": "1"},
    )
    assert response["Content-Type"] == "application/zip"
    rows, files = archive_rows(response.content)
    assert referencing(organisation) <= rows
    assert ("grants.initiative", initiative.pk) in rows
    for disbursement in initiative.disbursements.all():
        assert ("grants.disbursement", disbursement.pk) in rows
    agreement = initiative.agreements.get()
    assert ("grants.agreement", agreement.pk) in rows
    # The agreement's PDF is in the archive, as stored.
    pdfs = [name for name in files if name.startswith(f"files/grants.agreement/{agreement.pk}/")]
    assert pdfs and files[pdfs[0]].startswith(b"%PDF")
    assert PersonalDataRequest.objects.filter(kind="export", actor=secretary).count() == 1


def money() -> dict:
    return {
        "awarded": Initiative.objects.aggregate(total=Sum("amount_awarded"))["total"],
        "tranches": Disbursement.objects.aggregate(total=Sum("amount"))["total"],
        "sent": Disbursement.objects.aggregate(total=Sum("amount_sent"))["total"],
        "paid": Disbursement.objects.filter(status="paid").count(),
    }


def public_pages(initiative) -> str:
    anonymous = Client()
    texts = []
    for language in ("en", "fr"):
        for path in (
            f"/{language}/",
            initiative.edition.get_absolute_url().replace("/en/", f"/{language}/"),
            initiative.get_absolute_url().replace("/en/", f"/{language}/"),
            f"/{language}/initiatives/",
            f"/{language}/search/?q=Warmi",
            Organisation.objects.get(pk=initiative.lead_organisation_id)
            .get_absolute_url()
            .replace("/en/", f"/{language}/"),
        ):
            response = anonymous.get(path)
            assert response.status_code == 200, path
            texts.append(response.content.decode())
    return "\n".join(texts)


def test_erasure_takes_the_names_out_everywhere_and_keeps_the_money(world, client):
    initiative, member, secretary = world["initiative"], world["member"], world["secretary"]
    organisation = initiative.lead_organisation
    build_files()
    assert ORGANISATION_NAME in public_pages(initiative)
    assert ORGANISATION_NAME in public_texts(client)
    before = money()
    assert before["paid"] == 1
    # The emails its people were sent name the organisation.
    assert ORGANISATION_NAME in str(list(Notification.objects.values_list("subject", "context")))
    member_email = member.email

    export_archive(subject=organisation, actor=secretary)  # a request naming it
    personal_data_erase(subject=member, actor=secretary)
    client.force_login(secretary)
    url = reverse("secretariat:personal_data", args=["organisation", organisation.pk])
    page = client.post(url, {"erase": "1"})  # not confirmed: nothing happens
    assert page.status_code == 200
    assert Organisation.objects.get(pk=organisation.pk).name == ORGANISATION_NAME
    response = client.post(url, {"erase": "1", "confirm": "on"})
    assert response.status_code == 302

    organisation.refresh_from_db()
    assert organisation.name == f"Erased organisation {organisation.pk}"
    assert (organisation.acronym, organisation.city, organisation.slug) == (
        "",
        "",
        f"erased-organisation-{organisation.pk}",
    )
    assert not organisation.memberships.exists()
    member.refresh_from_db()
    assert member.full_name == f"Erased person {member.pk}" and not member.is_active
    assert not member.has_usable_password()
    assert PersonalDataRequest.objects.get(kind="export").subject_label == organisation.name
    records = PersonalDataRequest.objects.filter(kind="erasure").order_by("pk")
    assert [(r.subject_type, r.actor_id) for r in records] == [
        ("person", secretary.pk),
        ("organisation", secretary.pk),
    ]

    assert money() == before
    build_files()
    texts = public_pages(initiative) + public_texts(client)
    for archive in (
        export_archive(subject=organisation, actor=secretary)[0],
        export_archive(subject=member, actor=secretary)[0],
    ):
        with zipfile.ZipFile(io.BytesIO(archive)) as opened:
            texts += "".join(
                opened.read(name).decode() for name in opened.namelist() if name.endswith(".json")
            )
    notifications = Notification.objects.values_list("subject", "context")
    assert notifications and ORGANISATION_NAME not in str(list(notifications))
    requests = " ".join(PersonalDataRequest.objects.values_list("subject_label", flat=True))
    texts += requests
    for name in (ORGANISATION_NAME, PERSON_NAME, member_email):
        assert name not in texts
    assert f"Erased organisation {organisation.pk}" in texts
    # Once is enough.
    with pytest.raises(PersonalDataError):
        personal_data_erase(subject=organisation, actor=secretary)


def test_nobody_erases_their_own_account(world):
    with pytest.raises(PersonalDataError):
        personal_data_erase(subject=world["secretary"], actor=world["secretary"])


def test_the_retention_schedule_with_real_dates(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.RETENTION_DECLINED_YEARS = 5
    settings.RETENTION_DRAFT_DAYS = 365
    secretary = secretariat_user("sam@example.org")
    edition = open_edition()
    now = timezone.now()
    old_declined = reach("declined", edition, secretary)
    recent_declined = reach("declined", edition, secretary)
    old_draft = reach("draft", edition, secretary)
    recent_draft = reach("draft", edition, secretary)
    old_submitted = reach("submitted", edition, secretary)
    years = datetime.timedelta(days=365)
    Application.objects.filter(pk=old_declined.pk).update(decided_at=now - 6 * years)
    Application.objects.filter(pk=recent_declined.pk).update(decided_at=now - 4 * years)
    Application.objects.filter(pk=old_draft.pk).update(updated_at=now - 2 * years)
    Application.objects.filter(pk=recent_draft.pk).update(updated_at=now - years / 2)
    Application.objects.filter(pk=old_submitted.pk).update(updated_at=now - 2 * years)
    amount = Application.objects.get(pk=old_declined.pk).requested_amount

    assert apply_retention() == "1 declined applications anonymised, 1 drafts deleted"

    anonymised = Application.objects.get(pk=old_declined.pk)
    assert anonymised.title == f"Anonymised application {anonymised.pk}"
    assert anonymised.summary == "" and anonymised.created_by is None
    # The decision stays: status, amount, history.
    assert anonymised.status == "declined" and anonymised.requested_amount == amount
    assert anonymised.history.filter(to_status="declined").exists()
    assert Application.objects.get(pk=recent_declined.pk).summary
    assert not Application.objects.filter(pk=old_draft.pk).exists()
    assert Application.objects.filter(pk__in=[recent_draft.pk, old_submitted.pk]).count() == 2
    run = RetentionRun.objects.get()
    assert (run.applications_anonymised, run.drafts_deleted) == (1, 1)
    assert ScheduledJob.objects.get(job="retention").last_result.startswith("1 declined")
    # A second run finds nothing more to do, and is logged too.
    assert apply_retention() == "0 declined applications anonymised, 0 drafts deleted"
    assert RetentionRun.objects.count() == 2
    assert PersonalDataRequest.objects.filter(subject_type="application").count() == 1
    assert Decimal(amount) > 0
