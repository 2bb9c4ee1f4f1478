"""The retention job run by a real Celery worker on Redis, twice at once: the old declined
application is anonymised once, the old draft deleted, and each run logged."""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from grants.models import Application
from secretariat.models import PersonalDataRequest, RetentionRun
from secretariat.tasks import apply_retention
from tests.grants.factories import open_edition, reach, secretariat_user
from tests.notifications.conftest import wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_worker_runs_the_retention_job(start_worker, settings, tmp_path):
    # The worker runs with the default settings: 5 years for declined, 365 days for drafts.
    with transaction.atomic():
        secretary = secretariat_user("sam@example.org")
        edition = open_edition()
        declined = reach("declined", edition, secretary)
        draft = reach("draft", edition, secretary)
        now = timezone.now()
        Application.objects.filter(pk=declined.pk).update(
            decided_at=now - datetime.timedelta(days=6 * 365)
        )
        Application.objects.filter(pk=draft.pk).update(
            updated_at=now - datetime.timedelta(days=400)
        )
    start_worker()
    apply_retention.delay()
    apply_retention.delay()
    wait_until(lambda: RetentionRun.objects.count() == 2, message="The job did not run twice.")
    # Each row is handled by one run only (the other skips what the first has locked).
    runs = RetentionRun.objects.values_list("applications_anonymised", "drafts_deleted")
    assert [sum(column) for column in zip(*runs, strict=True)] == [1, 1]
    assert Application.objects.get(pk=declined.pk).title == f"Anonymised application {declined.pk}"
    assert not Application.objects.filter(pk=draft.pk).exists()
    assert PersonalDataRequest.objects.filter(subject_id=declined.pk).count() == 1
