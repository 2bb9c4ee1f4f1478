"""The upgrade of a database dumped before the apps' boundaries were redrawn: loading the dump
into a database of its own, migrating it in a subprocess, and what is compared before and
after (see test_upgrade_path.py)."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from psycopg import sql

from .read_upgraded import MARKER, MOVED_MODELS

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
DUMP = FIXTURES / "before-boundaries.sql.gz"
MEDIA = FIXTURES / "media"
SERVER_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/grantsprogramme")

# The tables of the dump (their names at 6c2f76b) and their rows: all are compared.
FIXTURE_ROWS = {
    "auth_group": 2,
    "auth_group_permissions": 171,
    "auth_permission": 184,
    "django_admin_log": 0,
    "django_content_type": 46,
    "django_migrations": 31,
    "django_session": 0,
    "grants_activity": 1,
    "grants_application": 1,
    "grants_application_themes": 1,
    "grants_applicationattachment": 1,
    "grants_applicationstatuschange": 3,
    "grants_budgetline": 1,
    "grants_disbursement": 2,
    "grants_disbursementstatuschange": 0,
    "grants_indicator": 1,
    "grants_initiative": 7,
    "grants_initiative_themes": 13,
    "grants_initiativestatuschange": 3,
    "grants_lineofaction": 8,
    "grants_review": 1,
    "grants_reviewassignment": 1,
    "grants_reviewscore": 2,
    "organisations_invitation": 1,
    "organisations_membership": 2,
    "organisations_notification": 8,
    "organisations_organisation": 8,
    "organisations_organisationchange": 2,
    "organisations_organisationrelation": 1,
    "organisations_scheduledjob": 1,
    "organisations_user": 4,
    "organisations_user_groups": 2,
    "organisations_user_user_permissions": 0,
    "programme_edition": 2,
    "programme_edition_themes": 4,
    "programme_editionfunder": 1,
    "programme_editionstatuschange": 0,
    "programme_eligibilityquestion": 1,
    "programme_funder": 1,
    "programme_programme": 1,
    "programme_reportingdeadline": 0,
    "programme_reviewcriterion": 2,
    "programme_theme": 4,
    "reports_activityprogress": 1,
    "reports_attachment": 2,
    "reports_indicatorvalue": 1,
    "reports_narrative": 1,
    "reports_reminder": 0,
    "reports_report": 2,
    "reports_reportstatuschange": 3,
    "reports_reportversion": 2,
    "reports_reviewcomment": 0,
    "reports_spending": 1,
}
# Tables the upgrade renames (old name -> new name); every other table keeps its name.
RENAMED = {
    "organisations_notification": "notifications_notification",
    "organisations_scheduledjob": "notifications_scheduledjob",
}
# Tables whose rows the upgrade changes on purpose, by their new name, and the columns it
# changes: their rows are compared without those columns (and the columns checked apart).
# django_migrations gains rows (checked apart too). Every other table's rows must be identical.
CHANGED_COLUMNS = {
    "django_content_type": ("app_label",),  # the two moved models' content types
    "notifications_scheduledjob": ("job",),  # the reminder job's key
    # Dropped: the first tranche's percentage, now the edition's tranche plan.
    "programme_edition": ("first_tranche_percent",),
}
GROWING = {"django_migrations"}
# Columns added since the dump, with the value every existing row must get: they are left out
# of the checksums and checked apart (test_upgrade_path).
ADDED_COLUMNS = {
    # Optimistic locking of the workplan (and below, of the profile); nobody at risk yet.
    "grants_initiative": {"workplan_versions": "{}", "is_at_risk": "false"},
    # The track of each edition: every edition so far runs the full pipeline.
    "programme_edition": {"track": "full"},
    "organisations_organisation": {"version": "0", "is_at_risk": "false"},
    # The applicant's request not to be named in public: nobody asked before.
    "grants_application": {"is_at_risk_requested": "false"},
    # What a payment sent and what the grantee received: nothing recorded before.
    "grants_disbursement": {
        "amount_sent": None,
        "sent_currency": "",
        "exchange_rate": None,
        "fees": None,
        "payee_id": None,
        "recorded_by_id": None,
        "amount_received": None,
        "received_currency": "",
        "received_on": None,
        "received_confirmed_at": None,
        "received_confirmed_by_id": None,
        "has_received_difference": "false",
        "cancel_reason": "",
    },
}
# Apps installed since the dump (django-otp's, for the second factor of staff): the upgrade
# creates their tables, empty, and adds their content types and permissions. The comparisons
# leave those rows out of the tables Django fills for every app, and test_upgrade_path checks
# that the new apps brought nothing else.
NEW_APPS = ("otp_totp", "otp_static")
# Models added since the dump to apps that were there ("app_label.model"), and the rows their
# new tables hold after the upgrade: their content types, permissions and the secretariat's
# permissions on them are new rows, left out of the comparisons like the new apps' rows.
NEW_MODELS = {
    "organisations.publicprofilechange": 0,
    "organisations.publicprofilechangestatuschange": 0,
    # The lines of action the public pages showed: those of the published initiatives.
    "grants.publiclineofaction": 8,
    "reports.publicresult": 0,
    # The tranche plan of each edition (two in the dump), from its first tranche's percentage.
    "programme.trancheplanline": 4,
    "organisations.payeedetails": 0,
    "organisations.payeedetailsversion": 0,
    "grants.initiativeextension": 0,
    "programme.agreementtemplate": 0,
    "grants.agreement": 0,
    "grants.agreementstatuschange": 0,
    "programme.themesector": 0,
    # The search index: one row of vectors per initiative, filled by its migration.
    "public.initiativesearch": 7,
    # The light track (small grants): nothing before it.
    "grants.lightdeclinereason": 0,
    "grants.paymentfilelayout": 0,
    "grants.paymentbatch": 0,
    "grants.lightapplication": 0,
    "grants.lightphoto": 0,
    "grants.lightstatuschange": 0,
    # The secretariat's staff notes, and (below) the people each note named.
    "notifications.staffnote": 0,
    # The back office's large exports, written by the worker.
    "secretariat.export": 0,
    # Personal data requests and the retention schedule's runs: none yet.
    "secretariat.personaldatarequest": 0,
    "secretariat.retentionrun": 0,
}
NEW_TABLES = {model.replace(".", "_"): rows for model, rows in NEW_MODELS.items()}
NEW_TABLES["notifications_staffnote_mentioned"] = 0
NEW_CONTENT_TYPES = (
    "SELECT id FROM django_content_type"
    " WHERE app_label = ANY(%(apps)s) OR app_label || '.' || model = ANY(%(models)s)"
)
NEW_PERMISSIONS = f"content_type_id IN ({NEW_CONTENT_TYPES})"
NEW_APP_ROWS = {
    "django_content_type": f"id IN ({NEW_CONTENT_TYPES})",
    "auth_permission": NEW_PERMISSIONS,
    "auth_group_permissions": (
        f"permission_id IN (SELECT id FROM auth_permission WHERE {NEW_PERMISSIONS})"  # noqa: S608
    ),
}
OLD_JOB, NEW_JOB = "reports.tasks.send_report_reminders", "report_reminders"
# Daily jobs registered since the dump: each gets its row in the schedule after migrate.
NEW_JOBS = (
    "close_calls",
    "open_data",
    "light_report_reminders",
    "delete_old_dossiers",
    "clear_exports",
    "retention",
)
# Rows added since the dump by what was registered since: the new jobs' rows in the schedule.
NEW_APP_ROWS["notifications_scheduledjob"] = "job = ANY(%(jobs)s)"
NEW_MIGRATIONS = {("organisations", "0006_move_notifications"), ("notifications", "0001_initial")}

# config.settings.test fixes MEDIA_ROOT; the subprocesses use it with MEDIA_ROOT from the
# environment (the temporary copy of the fixture's files).
SETTINGS_MODULE = """\
import os
from pathlib import Path

from config.settings.test import *  # noqa: F403

MEDIA_ROOT = Path(os.environ["MEDIA_ROOT"])
"""

# Run by `manage.py shell` on the upgraded database (read_upgraded.py, beside this file).
SHELL_CHECK = (
    f"import runpy; runpy.run_path({str(Path(__file__).with_name('read_upgraded.py'))!r},"
    " run_name='__main__')"
)


def server_url(database: str) -> str:
    return urlunsplit(urlsplit(SERVER_URL)._replace(path=f"/{database}"))


def connect(database: str) -> psycopg.Connection:
    return psycopg.connect(server_url(database), autocommit=True)


def drop_database(name: str) -> None:
    with connect("postgres") as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> pg_backend_pid()",
            [name],
        )
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))


@contextmanager
def scratch_database(purpose: str, prefix: str = "upgrade") -> Iterator[str]:
    """A new, empty database with a unique name, dropped on leaving (whatever happened)."""
    name = f"{prefix}_{purpose}_{uuid.uuid4().hex[:12]}"
    with connect("postgres") as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield name
    finally:
        drop_database(name)


def manage(*args: str, database: str, settings_dir: Path, media_root: Path) -> str:
    """Run today's ``manage.py`` on ``database``; fails the test with its output if it fails."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"CELERY_TEST_KEY_PREFIX", "CELERY_EAGER", "PYTHONSTARTUP"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="upgrade_settings",
        PYTHONPATH=os.pathsep.join([str(settings_dir), str(ROOT)]),
        DATABASE_URL=server_url(database),
        MEDIA_ROOT=str(media_root),
        TIME_ZONE="UTC",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(
            f"manage.py {' '.join(args)} exited with {result.returncode}\n"
            f"--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}",
            pytrace=False,
        )
    return result.stdout


@dataclass(frozen=True)
class Table:
    rows: int
    checksum: str  # of every row's content
    checksum_kept: str  # of every row's content but the CHANGED_COLUMNS
    added: int = 0  # rows of what was installed since the dump (NEW_APP_ROWS), not checksummed
    # The distinct values, as text, of each of the table's ADDED_COLUMNS present.
    added_values: dict = field(default_factory=dict)


def tables(conn: psycopg.Connection) -> list[str]:
    return [
        name
        for (name,) in conn.execute(
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1"
        )
    ]


def checksum(
    conn: psycopg.Connection, table: str, without: tuple[str, ...] = (), *, old_only=False
) -> tuple:
    """(rows, md5 of the rows as JSON, without some columns, in a stable order); ``old_only``
    leaves out the rows of the apps installed since the dump (NEW_APP_ROWS)."""
    condition = NEW_APP_ROWS.get(table) if old_only else None
    query = sql.SQL(
        "SELECT count(*), md5(coalesce(string_agg(r, E'\\n' ORDER BY r), ''))"
        " FROM (SELECT (to_jsonb(t) - %(without)s::text[])::text AS r FROM {} AS t{}) AS rows"
    ).format(
        sql.Identifier(table),
        sql.SQL(f" WHERE NOT ({condition})" if condition else ""),  # noqa: S608 (constants)
    )
    params = {
        "without": list(without),
        "apps": list(NEW_APPS),
        "models": list(NEW_MODELS),
        "jobs": list(NEW_JOBS),
    }
    return conn.execute(query, params).fetchone()


def snapshot(conn: psycopg.Connection, new_names: dict[str, str]) -> dict[str, Table]:
    """Every table, by its name after the upgrade."""
    result = {}
    for table in tables(conn):
        name = new_names.get(table, table)
        added_columns = tuple(ADDED_COLUMNS.get(name, {}))
        rows, _all = checksum(conn, table)
        old_rows, full = checksum(conn, table, added_columns, old_only=True)
        _rows, kept = checksum(
            conn, table, (*CHANGED_COLUMNS.get(name, ()), *added_columns), old_only=True
        )
        present = {
            column
            for (column,) in conn.execute(
                "SELECT column_name FROM information_schema.columns"
                " WHERE table_schema = 'public' AND table_name = %s",
                [table],
            )
        }
        values = {
            column: {
                value
                for (value,) in conn.execute(
                    sql.SQL("SELECT DISTINCT {}::text FROM {}").format(
                        sql.Identifier(column), sql.Identifier(table)
                    )
                )
            }
            for column in added_columns
            if column in present
        }
        result[name] = Table(rows, full, kept, added=rows - old_rows, added_values=values)
    return result


def schema(conn: psycopg.Connection) -> list[tuple]:
    """The structure of the public schema, names included, in a stable order."""
    return conn.execute(
        """
        SELECT 'column', table_name, column_name,
               concat_ws(' ', data_type, character_maximum_length, numeric_precision,
                         numeric_scale, is_nullable, column_default, is_identity)
          FROM information_schema.columns WHERE table_schema = 'public'
        UNION ALL
        SELECT 'index', tablename, indexname, indexdef FROM pg_indexes
         WHERE schemaname = 'public'
        UNION ALL
        SELECT 'constraint', conrelid::regclass::text, conname, pg_get_constraintdef(oid)
          FROM pg_constraint WHERE connamespace = 'public'::regnamespace
        UNION ALL
        SELECT 'sequence', sequence_name, data_type, '' FROM information_schema.sequences
         WHERE sequence_schema = 'public'
        ORDER BY 1, 2, 3, 4
        """
    ).fetchall()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass
class Upgrade:
    dump_tables: list[str]  # the CREATE TABLEs of the dump
    before: dict[str, Table]  # by the name after the upgrade
    after: dict[str, Table]
    before_migrations: list[tuple]  # (id, app, name)
    after_migrations: list[tuple]
    before_content_types: dict[int, tuple[str, str]]
    after_content_types: dict[int, tuple[str, str]]
    before_notifications: list[list]
    before_jobs: list[list]
    before_secretariat_permissions: list[list]
    sequences: list[tuple]  # (table, column, next value, max value) of identity columns
    schema: list[tuple]
    models: dict  # what today's models read (SHELL_CHECK)
    fixture_files: dict[str, str]  # relative path: sha256
    media_root: Path
    settings_dir: Path
    database: str


@pytest.fixture(scope="module")
def upgrade(tmp_path_factory) -> Iterator[Upgrade]:
    work = tmp_path_factory.mktemp("upgrade")
    settings_dir = work / "settings"
    settings_dir.mkdir()
    (settings_dir / "upgrade_settings.py").write_text(SETTINGS_MODULE)
    media_root = work / "media"
    shutil.copytree(MEDIA, media_root)
    fixture_files = {
        path.relative_to(MEDIA).as_posix(): sha256(path)
        for path in sorted(MEDIA.rglob("*"))
        if path.is_file()
    }
    script = gzip.decompress(DUMP.read_bytes()).decode()

    with scratch_database("path") as database:
        # pg_dump's plain SQL (its \\restrict lines removed) runs as one simple-protocol query.
        with connect(database) as conn:
            conn.execute(script)
        with connect(database) as conn:  # a new session: the dump emptied the search_path
            before = snapshot(conn, RENAMED)
            before_migrations = conn.execute(
                "SELECT id, app, name FROM django_migrations ORDER BY id"
            ).fetchall()
            before_content_types = {
                pk: (label, model)
                for pk, label, model in conn.execute(
                    "SELECT id, app_label, model FROM django_content_type"
                )
            }
            before_notifications = [
                list(row)
                for row in conn.execute(
                    "SELECT id, kind, key, email, language, status, recipient_id, path"
                    " FROM organisations_notification ORDER BY id"
                )
            ]
            before_jobs = [
                list(row)
                for row in conn.execute(
                    "SELECT id, job, is_enabled, run_at::text, time_zone"
                    " FROM organisations_scheduledjob ORDER BY id"
                )
            ]
            before_permissions = [
                list(row)
                for row in conn.execute(
                    "SELECT p.id, ct.app_label, ct.model, p.codename FROM auth_group g"
                    " JOIN auth_group_permissions gp ON gp.group_id = g.id"
                    " JOIN auth_permission p ON p.id = gp.permission_id"
                    " JOIN django_content_type ct ON ct.id = p.content_type_id"
                    " WHERE g.name = 'Secretariat' AND ct.model = ANY(%s) ORDER BY 1, 2, 3, 4",
                    [list(MOVED_MODELS)],
                )
            ]

        manage(
            "migrate",
            "--noinput",
            database=database,
            settings_dir=settings_dir,
            media_root=media_root,
        )

        with connect(database) as conn:
            after = snapshot(conn, {})
            after_migrations = conn.execute(
                "SELECT id, app, name FROM django_migrations ORDER BY id"
            ).fetchall()
            after_content_types = {
                pk: (label, model)
                for pk, label, model in conn.execute(
                    "SELECT id, app_label, model FROM django_content_type"
                )
            }
            sequences = []
            for table, column in conn.execute(
                "SELECT table_name, column_name FROM information_schema.columns"
                " WHERE table_schema = 'public' AND is_identity = 'YES' ORDER BY 1"
            ).fetchall():
                (sequence,) = conn.execute(
                    "SELECT pg_get_serial_sequence(%s, %s)", [f'public."{table}"', column]
                ).fetchone()
                last, called = conn.execute(
                    sql.SQL("SELECT last_value, is_called FROM {}").format(
                        sql.Identifier(*sequence.split("."))
                    )
                ).fetchone()
                (highest,) = conn.execute(
                    sql.SQL("SELECT max({}) FROM {}").format(
                        sql.Identifier(column), sql.Identifier(table)
                    )
                ).fetchone()
                sequences.append((table, column, last + 1 if called else last, highest))
            upgraded_schema = schema(conn)

        output = manage(
            "shell",
            "-c",
            SHELL_CHECK,
            database=database,
            settings_dir=settings_dir,
            media_root=media_root,
        )
        lines = [line for line in output.splitlines() if line.startswith(MARKER)]
        assert len(lines) == 1, output
        models = json.loads(lines[0].removeprefix(MARKER))

        yield Upgrade(
            dump_tables=re.findall(r"^CREATE TABLE public\.(\w+) \(", script, re.MULTILINE),
            before=before,
            after=after,
            before_migrations=before_migrations,
            after_migrations=after_migrations,
            before_content_types=before_content_types,
            after_content_types=after_content_types,
            before_notifications=before_notifications,
            before_jobs=before_jobs,
            before_secretariat_permissions=before_permissions,
            sequences=sequences,
            schema=upgraded_schema,
            models=models,
            fixture_files=fixture_files,
            media_root=media_root,
            settings_dir=settings_dir,
            database=database,
        )
