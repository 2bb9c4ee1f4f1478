"""Each existing edition gets the tranche plan its ``first_tranche_percent`` meant: that share
on signature of the agreement and the rest when the final report is accepted (one tranche on
signature at 100 %). The next migration removes the column."""

from decimal import Decimal

from django.db import migrations


def plan_from_first_percent(apps, schema_editor):
    Edition = apps.get_model("programme", "Edition")
    TranchePlanLine = apps.get_model("programme", "TranchePlanLine")
    lines = []
    for edition in Edition.objects.filter(tranche_plan_lines__isnull=True).order_by("pk"):
        first = Decimal(edition.first_tranche_percent or 70)
        lines.append(
            TranchePlanLine(edition=edition, order=1, percent=first, condition="signature")
        )
        if first < 100:
            lines.append(
                TranchePlanLine(
                    edition=edition, order=2, percent=Decimal(100) - first, condition="final"
                )
            )
    TranchePlanLine.objects.bulk_create(lines)


def first_percent_from_plan(apps, schema_editor):
    Edition = apps.get_model("programme", "Edition")
    for edition in Edition.objects.prefetch_related("tranche_plan_lines"):
        signature = [
            line.percent for line in edition.tranche_plan_lines.all() if line.condition == "signature"
        ]
        if signature:
            edition.first_tranche_percent = max(1, min(100, int(sum(signature))))
            edition.save(update_fields=["first_tranche_percent"])


class Migration(migrations.Migration):
    dependencies = [
        ("programme", "0005_tranche_plan"),
    ]

    operations = [
        migrations.RunPython(plan_from_first_percent, first_percent_from_plan),
    ]
