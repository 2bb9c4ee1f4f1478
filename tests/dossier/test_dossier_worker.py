"""Audit dossiers of many initiatives: a real Celery worker on Redis builds the ZIP, keeps it
in private storage and emails its link to the person who asked; the link works for the
secretariat only, and a task run twice makes one file and one email."""

from __future__ import annotations

import io
import os
import time
import zipfile

import pytest
from django.conf import settings as django_settings
from django.contrib.admin import helpers
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from notifications.models import Notification, ScheduledJob
from secretariat.dossiers import stored_name
from secretariat.tasks import build_dossiers, delete_old_dossiers
from tests.dossier.builders import whole_life
from tests.dossier.test_audit_dossier import checked_manifest
from tests.grants.lifecycle import award
from tests.notifications.conftest import wait_until
from tests.portal.factories import make_member, make_organisation

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def shared_media(settings):
    """The worker writes and reads under the test settings' MEDIA_ROOT, as this process must."""
    settings.MEDIA_ROOT = django_settings.BASE_DIR / ".test-media"
    settings.DOSSIER_BACKGROUND_FROM = 2
    made = []
    yield made
    for name in made:
        default_storage.delete(name)


def test_the_worker_builds_many_dossiers_and_emails_the_link(
    client, shared_media, start_worker, smtp_sink
):
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
    response = client.get(response["Location"])
    assert response.status_code == 302  # back to the list, the worker builds them
    assert response["Location"] == reverse("admin:grants_initiative_changelist")
    start_worker()
    notification = wait_until(
        lambda: Notification.objects.filter(kind="dossiers_ready", status="sent").first(),
        timeout=120,
        message="The worker did not build the dossiers.",
    )
    assert notification.recipient == life.secretary
    token = notification.path.rstrip("/").split("/")[-1]
    shared_media.append(stored_name(token))
    email = wait_until(
        lambda: next(
            (
                received.message
                for received in smtp_sink.messages
                if "audit dossiers" in received.message["Subject"]
            ),
            None,
        ),
        message="The email with the link did not arrive.",
    )
    assert notification.path in email.get_body(("plain",)).get_content()

    response = client.get(notification.path)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    manifest = checked_manifest(archive)
    assert sorted(row["id"] for row in manifest["initiatives"]) == sorted(
        [life.initiative.pk, other.pk]
    )

    # Run twice: the same file, no second email.
    build_dossiers.apply(args=(life.secretary.pk, [life.initiative.pk, other.pk], "en", token))
    assert Notification.objects.filter(kind="dossiers_ready").count() == 1

    # Nobody else reaches it; a made-up token is not found either.
    stranger = make_member(make_organisation(name="Other"), email="other@example.org")
    for user in (life.member, stranger, life.reviewer):
        client.force_login(user)
        assert client.get(notification.path).status_code == 404
    client.force_login(life.secretary)
    missing = reverse("secretariat:dossier_file", kwargs={"token": "0" * 32})
    assert client.get(missing).status_code == 404


def test_the_daily_job_deletes_the_dossiers_stored_a_week_ago(shared_media):
    old, new = stored_name("a" * 32), stored_name("b" * 32)
    for name in (old, new):
        default_storage.save(name, ContentFile(b"PK"))
        shared_media.append(name)
    eight_days_ago = time.time() - 8 * 24 * 3600
    os.utime(default_storage.path(old), (eight_days_ago, eight_days_ago))
    assert delete_old_dossiers.apply().get() == "1 dossiers deleted"
    assert not default_storage.exists(old) and default_storage.exists(new)
    assert delete_old_dossiers.apply().get() == "0 dossiers deleted"
    assert ScheduledJob.objects.filter(job="delete_old_dossiers").exists()
