"""Reads the upgraded database through today's models and views; run by test_upgrade_path.py in
``manage.py shell`` (its settings point at that database and at a copy of the stored files).

Writes nothing: it prints, after ``MARKER``, one line of JSON saying what it read.
"""

import hashlib
import json

MARKER = "UPGRADE-CHECK "
MOVED_MODELS = ("notification", "scheduledjob")
SECRETARIAT_MAY = (
    "notifications.view_notification",
    "notifications.change_notification",
    "notifications.view_scheduledjob",
    "notifications.change_scheduledjob",
)


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def opened(field_file) -> str:
    """The sha256 of a stored file's bytes, or why it cannot be read."""
    try:
        with field_file.open("rb") as handle:
            return sha(handle.read())
    except (OSError, ValueError) as error:
        return f"unreadable: {error!r}"


def stored(name: str) -> tuple[int, str]:
    """The size and sha256 of a file in the default storage, by its name."""
    from django.core.files.storage import default_storage

    if not default_storage.exists(name):
        return 0, "missing"
    with default_storage.open(name, "rb") as handle:
        data = handle.read()
    return len(data), sha(data)


def downloaded(path: str, user) -> tuple[int, str | None]:
    """The status and the bytes' sha256 of a GET of ``path`` by ``user``, through the view."""
    from django.http import Http404
    from django.test import RequestFactory
    from django.urls import resolve

    request = RequestFactory().get(path)
    request.user = user
    match = resolve(path)
    try:
        response = match.func(request, *match.args, **match.kwargs)
    except Http404:
        return 404, None
    try:
        if not response.streaming:
            return response.status_code, None
        return response.status_code, sha(b"".join(response.streaming_content))
    finally:
        response.close()


def files(secretariat) -> list[dict]:
    """Every stored file a row points to: through the model, and the download views (as the
    secretariat and as a member of the owning organisation) for private ones."""
    from django.urls import reverse

    from core.images import thumbnail_name
    from grants.models import ApplicationAttachment, Initiative
    from reports.models import Attachment

    found = []
    for a in ApplicationAttachment.objects.select_related("application__organisation"):
        path = reverse("calls:attachment", kwargs={"pk": a.application_id, "attachment_pk": a.pk})
        member = a.application.organisation.memberships.first().user
        found.append(
            {
                "model": "grants.ApplicationAttachment",
                "pk": a.pk,
                "name": a.file.name,
                "size": a.size,
                "opened": opened(a.file),
                "as_secretariat": downloaded(path, secretariat),
                "as_member": downloaded(path, member),
            }
        )
    for a in Attachment.objects.select_related("report__initiative__lead_organisation"):
        path = reverse("portal:attachment", kwargs={"pk": a.pk})
        member = a.report.initiative.lead_organisation.memberships.first().user
        found.append(
            {
                "model": "reports.Attachment",
                "pk": a.pk,
                "name": a.file.name,
                "size": a.size,
                "opened": opened(a.file),
                "as_secretariat": downloaded(path, secretariat),
                "as_member": downloaded(path, member),
            }
        )
    for initiative in Initiative.objects.exclude(cover_photo=""):
        photo = initiative.cover_photo
        found.append(
            {
                "model": "grants.Initiative",
                "pk": initiative.pk,
                "name": photo.name,
                "size": stored(photo.name)[0],
                "opened": opened(photo),
            }
        )
        # The thumbnail made before is found again by the name today's code gives it.
        thumbnail = thumbnail_name(photo.name, 480)
        size, digest = stored(thumbnail)
        found.append(
            {
                "model": "thumbnail of grants.Initiative",
                "pk": initiative.pk,
                "name": thumbnail,
                "size": size,
                "opened": digest,
            }
        )
    return found


def main() -> None:
    from django.apps import apps
    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType
    from django.core.files.storage import default_storage

    from notifications import registry
    from notifications.models import Notification, ScheduledJob
    from notifications.services.sending import build_message
    from organisations.models import User

    secretariat = User.objects.get(email="secretariat@example.org")
    models = [m for m in apps.get_models(include_auto_created=True) if not m._meta.proxy]
    notifications = list(Notification.objects.select_related("recipient").order_by("pk"))
    group = Group.objects.get(name="Secretariat")
    out = {
        "media_root": str(default_storage.base_location),
        # Every row of every model's table, read (instantiated) through today's models.
        "rows": {m._meta.db_table: len(list(m._base_manager.all())) for m in models},
        "notifications": [
            [n.pk, n.kind, n.key, n.email, n.language, n.status, n.recipient_id, n.path]
            for n in notifications
        ],
        "unknown_kinds": sorted({n.kind for n in notifications} - set(registry.KINDS)),
        # Each notification still renders with today's templates (nothing is sent).
        "rendered": [bool(build_message(n).subject) for n in notifications],
        "jobs": [
            [j.pk, j.job, j.is_enabled, j.run_at.isoformat(), j.time_zone, j.job in registry.JOBS]
            for j in ScheduledJob.objects.order_by("pk")
        ],
        "content_types": {
            f"{label}.{model}": ContentType.objects.filter(app_label=label, model=model).count()
            for label in ("notifications", "organisations")
            for model in MOVED_MODELS
        },
        "model_classes": [
            ContentType.objects.get_by_natural_key("notifications", model).model_class().__name__
            for model in MOVED_MODELS
        ],
        "secretariat_permissions": sorted(
            [p.pk, p.content_type.app_label, p.content_type.model, p.codename]
            for p in group.permissions.select_related("content_type")
            if p.content_type.model in MOVED_MODELS
        ),
        "secretariat_may": {perm: secretariat.has_perm(perm) for perm in SECRETARIAT_MAY},
        "files": files(secretariat),
    }
    print(MARKER + json.dumps(out))


if __name__ == "__main__":
    main()
