"""The notifications app takes over the tables organisations 0006 renamed, rows and all.

The models are created in Django's state only (the tables exist); their content types move with
them, so the permissions the staff groups hold and the admin's log keep pointing at them; the
index gets the name the model now gives it; and the reminder job's row is named by the key the
reports app registers instead of a task's import path.
"""

import django.db.models.deletion
import django.db.models.functions.text
from django.conf import settings
from django.db import migrations, models

import core.timezones
import notifications.models

OLD_JOB = "reports.tasks.send_report_reminders"
NEW_JOB = "report_reminders"


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in ("notification", "scheduledjob"):
        if not ContentType.objects.filter(app_label="notifications", model=model).exists():
            ContentType.objects.filter(app_label="organisations", model=model).update(
                app_label="notifications"
            )


def content_types_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(
        app_label="notifications", model__in=["notification", "scheduledjob"]
    ).update(app_label="organisations")


def rename_job(apps, schema_editor):
    ScheduledJob = apps.get_model("notifications", "ScheduledJob")
    if ScheduledJob.objects.filter(job=OLD_JOB).exists():
        # The old row holds the secretariat's settings; a default row made since (after a
        # rollback, say) gives way to it.
        ScheduledJob.objects.filter(job=NEW_JOB).delete()
        ScheduledJob.objects.filter(job=OLD_JOB).update(job=NEW_JOB)


def job_back(apps, schema_editor):
    ScheduledJob = apps.get_model("notifications", "ScheduledJob")
    if ScheduledJob.objects.filter(job=NEW_JOB).exists():
        ScheduledJob.objects.filter(job=OLD_JOB).delete()
        ScheduledJob.objects.filter(job=NEW_JOB).update(job=OLD_JOB)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("organisations", "0006_move_notifications"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Notification",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("kind", models.CharField(max_length=50, verbose_name="kind")),
                        ("key", models.CharField(max_length=200, verbose_name="event")),
                        ("email", models.EmailField(max_length=254, verbose_name="email address")),
                        ("language", models.CharField(choices=[("en", "English"), ("fr", "French"), ("es", "Spanish"), ("pt", "Portuguese"), ("ru", "Russian")], default="en", max_length=5, verbose_name="language")),
                        ("context", models.JSONField(blank=True, default=dict, verbose_name="content")),
                        ("path", models.CharField(blank=True, max_length=500, verbose_name="link")),
                        ("subject", models.CharField(blank=True, max_length=300, verbose_name="subject")),
                        ("status", models.CharField(choices=[("queued", "Queued"), ("sent", "Sent"), ("failed", "Failed")], default="queued", max_length=10, verbose_name="status")),
                        ("attempts", models.PositiveSmallIntegerField(default=0, verbose_name="attempts")),
                        ("error", models.TextField(blank=True, verbose_name="last error")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                        ("sent_at", models.DateTimeField(blank=True, null=True, verbose_name="sent at")),
                        ("recipient", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="notifications", to=settings.AUTH_USER_MODEL, verbose_name="recipient")),
                    ],
                    options={
                        "verbose_name": "notification",
                        "verbose_name_plural": "notifications",
                        "ordering": ["-created_at", "-pk"],
                        "indexes": [models.Index(fields=["status", "created_at"], name="organisatio_status_e4047a_idx")],
                        "constraints": [models.UniqueConstraint(django.db.models.functions.text.Lower("email"), models.F("kind"), models.F("key"), name="notification_once_per_event")],
                    },
                ),
                migrations.CreateModel(
                    name="ScheduledJob",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("job", models.CharField(max_length=100, unique=True, verbose_name="job")),
                        ("is_enabled", models.BooleanField(default=True, verbose_name="enabled")),
                        ("run_at", models.TimeField(default=notifications.models.default_run_at, help_text="Time of day, in the time zone below.", verbose_name="runs at")),
                        ("time_zone", models.CharField(default=notifications.models.default_time_zone, help_text="For example Europe/Paris, America/Bogota or UTC.", max_length=64, validators=[core.timezones.validate_time_zone], verbose_name="time zone")),
                        ("last_run_on", models.DateField(blank=True, help_text="The day (in the time zone above) the job last started.", null=True, verbose_name="last run on")),
                        ("last_run_at", models.DateTimeField(blank=True, null=True, verbose_name="last started at")),
                        ("last_finished_at", models.DateTimeField(blank=True, null=True, verbose_name="last finished at")),
                        ("last_result", models.CharField(blank=True, max_length=300, verbose_name="last result")),
                    ],
                    options={
                        "verbose_name": "scheduled job",
                        "verbose_name_plural": "scheduled jobs",
                        "ordering": ["job"],
                    },
                ),
            ],
        ),
        migrations.RenameIndex(
            model_name="notification",
            new_name="notification_status_created",
            old_name="organisatio_status_e4047a_idx",
        ),
        migrations.RunPython(move_content_types, content_types_back),
        migrations.RunPython(rename_job, job_back),
    ]
