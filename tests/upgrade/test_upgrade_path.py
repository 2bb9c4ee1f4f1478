"""A database made before the apps' boundaries were redrawn migrates forward without losing a row
or a file.

fixtures/before-boundaries.sql.gz is a dump of a database at commit 6c2f76b (demo data, and rows
added through that commit's services: fixtures/README.md), fixtures/media/ its MEDIA_ROOT. The
module loads the dump into a database of its own on the server of DATABASE_URL, copies the
files into a temporary MEDIA_ROOT, runs the real ``manage.py migrate`` of today's code in a
subprocess, and compares: every table's rows (count and content) through SQL, the rows read
through today's models (a second subprocess, ``manage.py shell``), every stored file's bytes,
the schema against a database migrated from scratch, and what is left to migrate.

It uses no Django test database (no ``db`` fixture): the databases it creates it drops, also
when a check fails.
"""

from __future__ import annotations

from pathlib import Path

from .read_upgraded import MOVED_MODELS
from .upgrade import (
    ADDED_COLUMNS,
    CHANGED_COLUMNS,
    FIXTURE_ROWS,
    GROWING,
    MEDIA,
    NEW_APPS,
    NEW_JOB,
    NEW_JOBS,
    NEW_MIGRATIONS,
    NEW_MODELS,
    NEW_TABLES,
    OLD_JOB,
    RENAMED,
    connect,
    manage,
    schema,
    scratch_database,
    sha256,
)


def test_the_dump_loaded_completely(upgrade):
    """Every table the dump creates, with all its rows, was there before the upgrade."""
    assert sorted(upgrade.dump_tables) == sorted(FIXTURE_ROWS)
    assert {table: state.rows for table, state in upgrade.before.items()} == {
        RENAMED.get(table, table): rows for table, rows in FIXTURE_ROWS.items()
    }


def test_every_table_keeps_its_rows(upgrade):
    """Same tables (two renamed), same number of rows, same content but where meant to change."""
    new_tables = {table for table in upgrade.after if table.startswith(NEW_APPS)}
    assert {upgrade.after[table].rows for table in new_tables} <= {0}
    assert {table: upgrade.after[table].rows for table in NEW_TABLES} == NEW_TABLES
    new_tables |= set(NEW_TABLES)
    assert sorted(set(upgrade.after) - new_tables) == sorted(upgrade.before), (
        "a table was added or dropped"
    )
    lost = {
        table: (state.rows, upgrade.after[table].rows)
        for table, state in upgrade.before.items()
        if table not in GROWING
        and upgrade.after[table].rows - upgrade.after[table].added != state.rows
    }
    assert not lost, f"tables whose number of rows changed (before, after): {lost}"
    changed = {
        table
        for table, state in upgrade.before.items()
        if table not in GROWING and upgrade.after[table].checksum_kept != state.checksum_kept
    }
    assert not changed, f"tables whose rows' content changed: {sorted(changed)}"
    # And the only tables whose content differs at all are those meant to.
    differ = {
        table
        for table, state in upgrade.before.items()
        if upgrade.after[table].checksum != state.checksum
    }
    assert differ == {*CHANGED_COLUMNS, *GROWING}


def test_added_columns_hold_their_default_on_every_old_row(upgrade):
    """Columns added since the dump (left out of the comparisons above) hold, on every row,
    the value a row made before them must have: nothing yet to lock against."""
    for table, columns in ADDED_COLUMNS.items():
        assert not upgrade.before[table].added_values, f"{table} had them before"
        expected = {column: {value} for column, value in columns.items()}
        assert upgrade.after[table].added_values == expected, table


def test_the_migration_history_only_grows(upgrade):
    before = upgrade.before_migrations
    assert upgrade.after_migrations[: len(before)] == before
    added = {(app, name) for _pk, app, name in upgrade.after_migrations[len(before) :]}
    assert added >= NEW_MIGRATIONS


def test_every_table_is_read_by_todays_models(upgrade):
    """Each model's table (today's db_table) holds the rows the old table did, all readable."""
    rows = upgrade.models["rows"]
    assert set(rows) == set(upgrade.after) - GROWING, "tables without a model, or the reverse"
    assert {table: upgrade.after[table].rows for table in rows} == rows


def test_identity_sequences_continue_after_the_rows(upgrade):
    """A new row in any table (the renamed ones too) gets an id no existing row has."""
    assert {table for table, *_rest in upgrade.sequences} >= set(RENAMED.values())
    behind = [s for s in upgrade.sequences if s[3] is not None and s[2] <= s[3]]
    assert not behind, f"(table, column, next value, highest id): {behind}"


def test_notifications_and_the_schedule_moved_to_the_notifications_app(upgrade):
    models = upgrade.models
    assert models["notifications"] == upgrade.before_notifications
    assert models["unknown_kinds"] == []
    assert all(models["rendered"]) and len(models["rendered"]) == len(models["notifications"])

    old_job, *other_jobs = upgrade.before_jobs
    assert old_job[1] == OLD_JOB and other_jobs == []
    kept = [job for job in models["jobs"] if job[1] not in NEW_JOBS]
    assert kept == [[old_job[0], NEW_JOB, *old_job[2:], True]]
    # The jobs registered since get their row, enabled and known to the registry.
    added = [job for job in models["jobs"] if job[1] in NEW_JOBS]
    assert sorted(job[1] for job in added) == sorted(NEW_JOBS)
    assert all(job[2] and job[-1] for job in added)


def test_content_types_and_the_secretariats_permissions_moved_with_them(upgrade):
    moved = {
        pk: (
            "notifications" if label == "organisations" and model in MOVED_MODELS else label,
            model,
        )
        for pk, (label, model) in upgrade.before_content_types.items()
    }
    new = {
        pk: ct
        for pk, ct in upgrade.after_content_types.items()
        if ct[0] in NEW_APPS or ".".join(ct) in NEW_MODELS
    }
    assert set(new) and min(new) > max(moved)
    assert {pk: ct for pk, ct in upgrade.after_content_types.items() if pk not in new} == moved
    assert upgrade.models["content_types"] == {
        "notifications.notification": 1,
        "notifications.scheduledjob": 1,
        "organisations.notification": 0,
        "organisations.scheduledjob": 0,
    }
    assert upgrade.models["model_classes"] == ["Notification", "ScheduledJob"]

    # The same permission rows (same ids): they followed their content type.
    before = upgrade.before_secretariat_permissions
    assert {codename for _pk, label, _model, codename in before if label == "organisations"} >= {
        "view_notification",
        "change_notification",
        "view_scheduledjob",
        "change_scheduledjob",
    }
    assert upgrade.models["secretariat_permissions"] == [
        [pk, "notifications", model, codename] for pk, _label, model, codename in before
    ]
    assert all(upgrade.models["secretariat_may"].values()), upgrade.models["secretariat_may"]


def test_every_stored_file_opens_through_todays_models(upgrade):
    """Each attachment, the cover photo and its thumbnail: the fixture's bytes, read from the
    temporary MEDIA_ROOT through the models and, for private files, the download views."""
    assert Path(upgrade.models["media_root"]) == upgrade.media_root
    files = upgrade.models["files"]
    by_name = {f["name"]: f for f in files}
    assert sorted(by_name) == sorted(upgrade.fixture_files), "files without a row, or the reverse"
    assert len(files) == len(by_name) == 5
    assert sorted(f["model"] for f in files) == [
        "grants.ApplicationAttachment",
        "grants.Initiative",
        "reports.Attachment",
        "reports.Attachment",
        "thumbnail of grants.Initiative",
    ]
    for name, expected in upgrade.fixture_files.items():
        found = by_name[name]
        assert found["opened"] == expected, (found["model"], found["pk"])
        assert found["size"] == (MEDIA / name).stat().st_size, (found["model"], found["pk"])
        if name.startswith("private/"):
            assert found["as_secretariat"] == [200, expected], (found["model"], found["pk"])
            assert found["as_member"] == [200, expected], (found["model"], found["pk"])
    # Reading changed nothing in the copy.
    assert {
        path.relative_to(upgrade.media_root).as_posix(): sha256(path)
        for path in upgrade.media_root.rglob("*")
        if path.is_file()
    } == upgrade.fixture_files


def test_nothing_is_left_to_migrate(upgrade):
    options = {
        "database": upgrade.database,
        "settings_dir": upgrade.settings_dir,
        "media_root": upgrade.media_root,
    }
    manage("migrate", "--check", **options)  # exits 1 when a migration is unapplied
    plan = manage("showmigrations", "--plan", **options)
    assert "[X]" in plan and "[ ]" not in plan, plan
    manage("makemigrations", "--check", "--dry-run", **options)


def test_the_upgraded_schema_is_that_of_a_new_database(upgrade):
    """Columns, indexes, constraints and sequences, names included, as `migrate` makes them
    on an empty database."""
    with scratch_database("fresh") as database:
        manage(
            "migrate",
            "--noinput",
            database=database,
            settings_dir=upgrade.settings_dir,
            media_root=upgrade.media_root,
        )
        with connect(database) as conn:
            fresh = schema(conn)
    only_upgraded = sorted(set(upgrade.schema) - set(fresh))
    only_fresh = sorted(set(fresh) - set(upgrade.schema))
    assert (only_upgraded, only_fresh) == ([], [])
