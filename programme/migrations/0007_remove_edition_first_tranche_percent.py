from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("programme", "0006_tranche_plan_from_first_percent"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="edition",
            name="edition_first_tranche_percent",
        ),
        migrations.RemoveField(
            model_name="edition",
            name="first_tranche_percent",
        ),
    ]
