"""Give existing editions a status that agrees with their call's dates.

Until now the call's dates alone decided whether applications were taken and nothing moved the
status; from now on the status decides (programme.workflow). Each edition whose status says
otherwise than what its dates showed gets the status that keeps what applicants saw, with a
history row saying so:

- in preparation with a window, published: its call was shown, so call open while the deadline
  is ahead, review once it has passed (an unpublished one showed no call: it stays);
- in review with the deadline still ahead: its call was taking applications, so call open;
- call open without a window: its call was never shown, so in preparation.

Running and closed stand as they are (the secretariat said so; from now on no application is
taken there, whatever the dates). Dates are never changed. An edition already consistent (the
usual case) is not touched.
"""

from django.db import migrations
from django.utils import timezone

COMMENT = "Set from the call's dates when the status became the one source of truth."


def reconcile(apps, schema_editor):
    Edition = apps.get_model("programme", "Edition")
    Change = apps.get_model("programme", "EditionStatusChange")
    now = timezone.now()
    for edition in Edition.objects.order_by("pk"):
        closes = edition.application_closes_at
        window = edition.application_opens_at is not None and closes is not None
        status = edition.status
        if status == "draft" and window and edition.is_published:
            status = "call_open" if closes > now else "review"
        elif status == "review" and window and closes > now:
            status = "call_open"
        elif status == "call_open" and not window:
            status = "draft"
        if status == edition.status:
            continue
        Change.objects.create(
            edition=edition,
            workflow="edition",
            from_status=edition.status,
            to_status=status,
            role="system",
            comment=COMMENT,
        )
        Edition.objects.filter(pk=edition.pk).update(status=status)


class Migration(migrations.Migration):
    dependencies = [("programme", "0003_constraint_messages")]

    operations = [migrations.RunPython(reconcile, migrations.RunPython.noop)]
