"""The lines of action the public pages showed before this version: those of initiatives whose
workplan was approved, or that were published (the public pages showed their lines already)."""

from django.conf import settings
from django.db import migrations
from django.db.models import Q

COLUMNS = [
    f"{name}_{code}" for name in ("title", "description") for code, _name in settings.LANGUAGES
]


def copy_lines(apps, schema_editor):
    Initiative = apps.get_model("grants", "Initiative")
    LineOfAction = apps.get_model("grants", "LineOfAction")
    PublicLineOfAction = apps.get_model("grants", "PublicLineOfAction")
    shown = Initiative.objects.filter(Q(workplan_status="approved") | Q(is_published=True))
    rows = []
    for initiative_id in shown.values_list("pk", flat=True):
        lines = LineOfAction.objects.filter(initiative_id=initiative_id).order_by("order", "pk")
        for position, line in enumerate(lines):
            values = {column: getattr(line, column) for column in COLUMNS}
            rows.append(
                PublicLineOfAction(
                    initiative_id=initiative_id,
                    title=line.title,
                    description=line.description,
                    order=position,
                    **values,
                )
            )
    PublicLineOfAction.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [("grants", "0007_public_lines_of_action")]

    operations = [migrations.RunPython(copy_lines, migrations.RunPython.noop)]
