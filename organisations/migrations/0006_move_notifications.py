"""Notifications and scheduled jobs move to the notifications app, with their tables and rows.

In the database the tables are only renamed (organisations_* -> notifications_*); in Django's
state the models leave this app here and are created again, unchanged, by notifications 0001.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0005_scheduledjob"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable("notification", "notifications_notification"),
                migrations.AlterModelTable("scheduledjob", "notifications_scheduledjob"),
            ],
            state_operations=[
                migrations.DeleteModel("notification"),
                migrations.DeleteModel("scheduledjob"),
            ],
        ),
    ]
