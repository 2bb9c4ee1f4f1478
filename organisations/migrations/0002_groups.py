"""The two staff groups of the back office: Secretariat and Reviewer (see core.staff).

Permissions are normally created by a post_migrate handler, which on a fresh database runs only
after every migration; so the function called here creates the permissions it needs first.
"""

from django.db import migrations

from core.staff import REVIEWER, SECRETARIAT, sync_staff_groups


def create_groups(apps, schema_editor):
    sync_staff_groups(apps)


def remove_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=[SECRETARIAT, REVIEWER]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("organisations", "0001_initial"),
        ("programme", "0001_initial"),
        ("grants", "0002_initial"),
        ("reports", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_groups, remove_groups),
    ]
