"""scripts/backup and scripts/restore, for real: a database of its own filled with the demo data
and uploaded files, backed up, then restored into a new, empty database and an empty media
folder (exit 0), and every table's rows and every file's bytes compared.

The databases are made and dropped here (whatever happens); `manage.py` runs in subprocesses
with MEDIA_ROOT from the environment, as in tests/upgrade/."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from tests.seaweedfs import SeaweedS3
from tests.upgrade.upgrade import (
    SETTINGS_MODULE,
    checksum,
    connect,
    manage,
    scratch_database,
    server_url,
    sha256,
    tables,
)

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "scripts"

# Run by `manage.py shell` after the demo data: files of every kind the app stores, made the
# way the app makes them (checked and re-encoded by core.files; the cover's thumbnails by the
# task that post_save queues, in-process here).
ADD_FILES = """
import io
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from core.files import check_upload
from grants.models import Application, ApplicationAttachment, Initiative
from reports.models import Attachment, Report

def png(size, colour):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()

pdf = check_upload(SimpleUploadedFile("budget.pdf", b"%PDF-1.4 budget for the backup test"))
for application in Application.objects.all()[:2]:
    document = ApplicationAttachment(
        application=application, original_name=pdf.name, content_type=pdf.content_type,
        size=pdf.size,
    )
    pdf.store(document.file)
    document.save()
photo = check_upload(SimpleUploadedFile("meeting.png", png((120, 80), "teal")))
report = Report.objects.first()
attachment = Attachment(
    report=report, kind="photo", original_name=photo.name, content_type=photo.content_type,
    size=photo.size,
)
photo.store(attachment.file)
attachment.save()
initiative = Initiative.objects.first()
initiative.cover_photo.save("cover.png", ContentFile(png((1600, 900), "orange")), save=True)
"""


def run_script(name: str, *args: str, database: str, media_root: Path, extra_env=None):
    env = {
        **os.environ,
        "DATABASE_URL": server_url(database),
        "MEDIA_ROOT": str(media_root),
        **(extra_env or {}),
    }
    return subprocess.run(
        [str(SCRIPTS / name), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def contents(database: str) -> dict[str, tuple[int, str]]:
    """Every table: its number of rows and a checksum of them."""
    with connect(database) as conn:
        return {table: checksum(conn, table) for table in tables(conn)}


def sequences(database: str) -> dict[str, int | None]:
    """Where each sequence stands (None: never used), which the dump's setval restores."""
    with connect(database) as conn:
        return dict(
            conn.execute(
                "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'"
            ).fetchall()
        )


def files(media_root: Path) -> dict[str, str]:
    return {
        path.relative_to(media_root).as_posix(): sha256(path)
        for path in sorted(media_root.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Iterator[tuple[str, Path, Path]]:
    """A database with the demo data and files: (its name, its media, the settings folder)."""
    work = tmp_path_factory.mktemp("backup")
    settings_dir = work / "settings"
    settings_dir.mkdir()
    (settings_dir / "upgrade_settings.py").write_text(SETTINGS_MODULE)
    media_root = work / "media"
    with scratch_database("source", prefix="backup") as database:
        options = {"database": database, "settings_dir": settings_dir, "media_root": media_root}
        manage("migrate", "--noinput", **options)
        manage("load_demo", "--force", **options)
        manage("shell", "-c", ADD_FILES, **options)
        yield database, media_root, work


def test_a_backup_restores_into_an_empty_database_with_every_row_and_file(source):
    database, media_root, work = source
    before = contents(database)
    before_sequences = sequences(database)
    before_files = files(media_root)
    # What the comparison stands on: the demo data and files of every kind are there.
    assert before["grants_initiative"][0] > 0 and before["reports_attachment"][0] > 0
    assert any(name.startswith("private/applications/") for name in before_files)
    assert any(name.startswith("private/reports/") for name in before_files)
    assert any(name.startswith("public/initiatives/") for name in before_files)
    assert any(name.startswith("public/thumbs/") for name in before_files)

    backups = work / "backups"
    made = run_script("backup", str(backups), database=database, media_root=media_root)
    assert made.returncode == 0, made.stderr
    folder = Path(made.stdout.strip().splitlines()[-1])
    assert folder.parent == backups and folder.name.startswith("grantsprogramme-")
    assert sorted(path.name for path in folder.iterdir()) == [
        "MANIFEST",
        "SHA256SUMS",
        "database.dump",
        "media.sha256",
        "media.tar.gz",
    ]
    assert "snapshot" in (folder / "MANIFEST").read_text()
    assert "postgres@" not in (folder / "MANIFEST").read_text()  # no credentials written

    restored_media = work / "restored-media"
    with scratch_database("target", prefix="backup") as target:
        restored = run_script("restore", str(folder), database=target, media_root=restored_media)
        assert restored.returncode == 0, restored.stdout + restored.stderr
        after = contents(target)
        after_sequences = sequences(target)

        # Restoring again over what is there now is refused, and changes nothing.
        again = run_script("restore", str(folder), database=target, media_root=work / "other")
        assert again.returncode == 1
        assert "the database is not empty" in again.stderr
        assert contents(target) == after

    assert after == before  # every table, its row count and its rows
    assert after_sequences == before_sequences
    assert files(restored_media) == before_files


def test_a_damaged_backup_or_a_used_media_folder_is_refused(source):
    database, media_root, work = source
    made = run_script("backup", str(work / "to-damage"), database=database, media_root=media_root)
    assert made.returncode == 0, made.stderr
    folder = Path(made.stdout.strip().splitlines()[-1])

    with scratch_database("refused", prefix="backup") as target:
        used = work / "used-media"
        (used / "private").mkdir(parents=True)
        (used / "private" / "someone-elses.pdf").write_bytes(b"%PDF-1.4")
        refused = run_script("restore", str(folder), database=target, media_root=used)
        assert refused.returncode == 1
        assert "the media folder is not empty" in refused.stderr

        with (folder / "database.dump").open("r+b") as dump:
            dump.seek(100)
            dump.write(b"\x00damaged\x00")
        refused = run_script("restore", str(folder), database=target, media_root=work / "none")
        assert refused.returncode == 1
        assert "the backup is damaged" in refused.stderr
        with psycopg.connect(server_url(target)) as conn:
            assert tables(conn) == []  # nothing was written


def test_files_restored_into_buckets_and_backed_up_from_them_are_the_same(source):
    """MEDIA_STORAGE=s3 (a real SeaweedFS): a backup of a local media folder restores into two
    empty buckets (the way from one machine to several), and a backup of those buckets holds
    the same files with the same checksums."""
    database, media_root, work = source
    made = run_script("backup", str(work / "to-buckets"), database=database, media_root=media_root)
    assert made.returncode == 0, made.stderr
    local_backup = Path(made.stdout.strip().splitlines()[-1])

    server = SeaweedS3(work / "seaweedfs")
    (work / "seaweedfs").mkdir()
    server.start()
    try:
        env = server.environment()
        with scratch_database("buckets", prefix="backup") as target:
            restored = run_script(
                "restore",
                str(local_backup),
                database=target,
                media_root=work / "unused",
                extra_env=env,
            )
            assert restored.returncode == 0, restored.stdout + restored.stderr
            private = server.keys(server.private_bucket)
            public = server.keys(server.public_bucket)
            assert private and all(name.startswith("private/") for name in private)
            assert public and not any(name.startswith("private/") for name in public)

            again = run_script(
                "restore",
                str(local_backup),
                database=target,
                media_root=work / "unused",
                extra_env=env,
            )
            assert again.returncode == 1  # the database (and the buckets) are not empty

            from_buckets = run_script(
                "backup",
                str(work / "from-buckets"),
                database=target,
                media_root=work / "unused",
                extra_env=env,
            )
            assert from_buckets.returncode == 0, from_buckets.stderr
            bucket_backup = Path(from_buckets.stdout.strip().splitlines()[-1])
            assert "buckets" in (bucket_backup / "MANIFEST").read_text()
    finally:
        server.stop()
    checksums = sorted((local_backup / "media.sha256").read_text().splitlines())
    assert sorted((bucket_backup / "media.sha256").read_text().splitlines()) == checksums
    assert len(checksums) == len(files(media_root))
