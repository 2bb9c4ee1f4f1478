"""Fills the search index for the initiatives that exist already: rewriting a searched column
in place fires the trigger of 0001 for every row."""

from django.db import migrations


def fill(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("UPDATE grants_initiative SET title_en = title_en")


class Migration(migrations.Migration):
    dependencies = [("public", "0001_search_index")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
