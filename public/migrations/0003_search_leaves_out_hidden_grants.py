"""The search index holds nothing of a grant whose recipient is at risk (its own flag or its
lead organisation's, ``grants.selectors.disclosure``): the trigger of 0001 now writes empty
vectors for it, and runs again when either flag changes or the lead organisation does, so
marking an organisation at risk takes its grants out of the index at once, whatever wrote the
flag (the back office, an update of many rows)."""

import importlib

from django.db import migrations

first = importlib.import_module("public.migrations.0001_search_index")
LANGUAGES, FIELDS, vector_sql = first.LANGUAGES, first.FIELDS, first.vector_sql


def replace_trigger(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    columns = ", ".join(f"vector_{language}" for language in LANGUAGES)
    values = ", ".join(vector_sql(language) for language in LANGUAGES)
    nulls = ", ".join("NULL" for _language in LANGUAGES)
    updates = ", ".join(f"vector_{language} = EXCLUDED.vector_{language}" for language in LANGUAGES)
    watched = ", ".join(f"{field}_{language}" for field in FIELDS for language in LANGUAGES)
    schema_editor.execute(
        f"""
        DROP TRIGGER IF EXISTS public_initiative_search ON grants_initiative;
        CREATE OR REPLACE FUNCTION public_initiative_search_refresh() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW.is_at_risk OR EXISTS (
                SELECT 1 FROM organisations_organisation
                WHERE id = NEW.lead_organisation_id AND is_at_risk
            ) THEN
                INSERT INTO public_initiativesearch (initiative_id, {columns})
                VALUES (NEW.id, {nulls})
                ON CONFLICT (initiative_id) DO UPDATE SET {updates};
            ELSE
                INSERT INTO public_initiativesearch (initiative_id, {columns})
                VALUES (NEW.id, {values})
                ON CONFLICT (initiative_id) DO UPDATE SET {updates};
            END IF;
            RETURN NULL;
        END
        $$;
        CREATE TRIGGER public_initiative_search
        AFTER INSERT OR UPDATE OF {watched}, is_at_risk, lead_organisation_id
        ON grants_initiative
        FOR EACH ROW EXECUTE FUNCTION public_initiative_search_refresh();

        CREATE FUNCTION public_organisation_search_refresh() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE grants_initiative SET is_at_risk = is_at_risk
            WHERE lead_organisation_id = NEW.id;
            RETURN NULL;
        END
        $$;
        CREATE TRIGGER public_organisation_search
        AFTER UPDATE OF is_at_risk ON organisations_organisation
        FOR EACH ROW WHEN (OLD.is_at_risk IS DISTINCT FROM NEW.is_at_risk)
        EXECUTE FUNCTION public_organisation_search_refresh();

        UPDATE grants_initiative SET is_at_risk = is_at_risk;
        """
    )


def restore_trigger(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "DROP TRIGGER IF EXISTS public_organisation_search ON organisations_organisation; "
        "DROP FUNCTION IF EXISTS public_organisation_search_refresh(); "
        "DROP TRIGGER IF EXISTS public_initiative_search ON grants_initiative; "
        "DROP FUNCTION IF EXISTS public_initiative_search_refresh(); "
        + " ".join(
            f"DROP INDEX IF EXISTS public_initiativesearch_{language}_gin;"
            for language in LANGUAGES
        )
    )
    first.create_trigger(apps, schema_editor)
    schema_editor.execute("UPDATE grants_initiative SET title_en = title_en")


class Migration(migrations.Migration):
    dependencies = [
        ("public", "0002_fill_search_index"),
        ("grants", "0011_initiative_is_at_risk"),
        ("organisations", "0012_organisation_is_at_risk"),
    ]

    operations = [migrations.RunPython(replace_trigger, restore_trigger)]
