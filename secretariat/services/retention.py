"""The retention schedule, run daily by the job "Retention of personal data" (the scheduled
jobs' table, ``secretariat.tasks.apply_retention``).

- A declined application is anonymised ``RETENTION_DECLINED_YEARS`` after its decision: its
  texts, answers and documents are removed and its title becomes "Anonymised application 12";
  its organisation, edition, amount requested, status, decision date and history (who decided,
  when) stay, as the record of the decision.
- A draft never submitted is deleted ``RETENTION_DRAFT_DAYS`` after its last change, with its
  documents.

Each run is a ``RetentionRun`` row with what it did; each application anonymised is a
``PersonalDataRequest`` by the system. Safe to run twice: an application is anonymised once.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from grants.models import Application, ApplicationAttachment
from grants.workflow import ApplicationStatus
from notifications.services import schedule_record_result

from ..models import PersonalDataRequest, RetentionRun

RETENTION_JOB = "retention"


def anonymised_label(application: Application) -> str:
    return f"Anonymised application {application.pk}"


def _delete_files(attachments) -> None:
    names = [(attachment.file.storage, attachment.file.name) for attachment in attachments]

    def remove() -> None:
        for storage, name in names:
            if name:
                storage.delete(name)

    # Only once the rows are gone for good.
    transaction.on_commit(remove)


def _anonymise(application: Application) -> None:
    attachments = list(application.attachments.all())
    _delete_files(attachments)
    ApplicationAttachment.objects.filter(pk__in=[a.pk for a in attachments]).delete()
    application.title = anonymised_label(application)
    application.summary = application.places = ""
    application.expected_results = application.budget_outline = ""
    application.lines_of_action = []
    application.eligibility_answers = {}
    application.created_by = None
    application.save(
        update_fields=[
            "title",
            "summary",
            "places",
            "expected_results",
            "budget_outline",
            "lines_of_action",
            "eligibility_answers",
            "created_by",
            "updated_at",
        ]
    )
    PersonalDataRequest.objects.create(
        kind=PersonalDataRequest.Kind.ERASURE,
        subject_type=PersonalDataRequest.Subject.APPLICATION,
        subject_id=application.pk,
        subject_label=application.title,
        actor=None,
        counts={"attachments deleted": len(attachments)},
    )


@transaction.atomic
def retention_apply(*, now: datetime.datetime | None = None) -> RetentionRun:
    """One run of the schedule (see the module): returns its record, with its counts."""
    now = now or timezone.now()
    declined_before = now - datetime.timedelta(days=365 * settings.RETENTION_DECLINED_YEARS)
    drafts_before = now - datetime.timedelta(days=settings.RETENTION_DRAFT_DAYS)
    done = PersonalDataRequest.objects.filter(
        subject_type=PersonalDataRequest.Subject.APPLICATION, subject_id=OuterRef("pk")
    )
    declined = (
        Application.objects.select_for_update(skip_locked=True)
        .filter(status=ApplicationStatus.DECLINED, decided_at__lt=declined_before)
        .exclude(Exists(done))
        .order_by("pk")
    )
    anonymised = 0
    for application in declined:
        _anonymise(application)
        anonymised += 1
    drafts = list(
        Application.objects.select_for_update(skip_locked=True)
        .filter(
            status=ApplicationStatus.DRAFT, submitted_at__isnull=True, updated_at__lt=drafts_before
        )
        .order_by("pk")
    )
    _delete_files(ApplicationAttachment.objects.filter(application__in=drafts))
    deleted = len(drafts)
    Application.objects.filter(pk__in=[draft.pk for draft in drafts]).delete()
    run = RetentionRun.objects.create(
        declined_before=declined_before,
        drafts_before=drafts_before,
        applications_anonymised=anonymised,
        drafts_deleted=deleted,
    )
    schedule_record_result(
        job=RETENTION_JOB,
        result=f"{anonymised} declined applications anonymised, {deleted} drafts deleted",
    )
    return run
