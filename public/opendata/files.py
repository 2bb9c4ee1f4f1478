"""Where the open-data files live, how they are built and what the data page says of them.

The files live in the media storage under ``opendata/`` (shared by the web app and the worker:
``MEDIA_ROOT/opendata/``, or the public bucket with ``MEDIA_STORAGE=s3``). Each is written under
a temporary name and then renamed over the old one (uploaded whole to a bucket), so a download
never reads a half written file; ``index.json`` beside them records each file's size, SHA-256
(its ETag) and when it was built. One build at a time (a PostgreSQL advisory lock): a second
one started meanwhile waits, then builds from the data as it is then; the same data gives the
same bytes.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import io
import json
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.storage import is_local, replace_file
from notifications.services import schedule_record_result

from ..cache import invalidate_public_pages
from . import iati, threesixty

# The daily job's key (notifications.ScheduledJob).
JOB = "open_data"
# Any number, the same in every process: the advisory lock of the build.
LOCK_ID = 360_2003


@dataclass(frozen=True)
class DataFile:
    name: str
    label: str
    content_type: str
    standard: str


FILES = {
    item.name: item
    for item in (
        DataFile(
            "grants-360giving.json",
            _("Grants, 360Giving JSON"),
            "application/json",
            "360Giving 1.4",
        ),
        DataFile(
            "grants-360giving-csv.zip",
            _("Grants, 360Giving CSV (a ZIP of sheets)"),
            "application/zip",
            "360Giving 1.4",
        ),
        DataFile(
            "grants-360giving.xlsx",
            _("Grants, 360Giving spreadsheet (XLSX)"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "360Giving 1.4",
        ),
        DataFile(
            "activities-iati.xml",
            _("Activities, IATI XML"),
            "application/xml",
            "IATI 2.03",
        ),
    )
}
INDEX = "index.json"
FOLDER = "opendata"


def storage_name(name: str) -> str:
    return f"{FOLDER}/{name}"


def folder() -> Path:
    """The files' folder on this machine (local media storage only)."""
    return Path(default_storage.path(FOLDER))


def path_of(name: str) -> Path:
    """A file's path on this machine (local media storage only)."""
    return folder() / FILES[name].name


def open_file(name: str):
    """One built file, opened for reading from the media storage (FileNotFoundError if absent)."""
    return default_storage.open(storage_name(FILES[name].name), "rb")


def read_index() -> dict:
    """What the last build recorded, per file: size, sha256, records, built_at (the last
    build) and changed_at (the last build that changed its bytes); {} before any build."""
    try:
        with default_storage.open(storage_name(INDEX), "rb") as handle:
            return json.loads(handle.read())
    except (FileNotFoundError, ValueError):
        return {}


@dataclass(frozen=True)
class Download:
    file: DataFile
    size: int
    sha256: str
    built_at: datetime.datetime
    changed_at: datetime.datetime
    records: int


def downloads() -> list[Download]:
    """The files that exist, in the order of ``FILES``, as the data page lists them."""
    index = read_index()
    found = []
    for name, item in FILES.items():
        entry = index.get(name)
        if entry and default_storage.exists(storage_name(name)):
            found.append(
                Download(
                    file=item,
                    size=entry["size"],
                    sha256=entry["sha256"],
                    built_at=datetime.datetime.fromisoformat(entry["built_at"]),
                    changed_at=datetime.datetime.fromisoformat(entry["changed_at"]),
                    records=entry["records"],
                )
            )
    return found


class HashingWriter(io.RawIOBase):
    """A binary file that also counts and hashes what goes through it."""

    def __init__(self, target) -> None:
        self.target = target
        self.digest = hashlib.sha256()
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.target.write(data)
        self.digest.update(data)
        self.size += len(data)
        return len(data)


@contextlib.contextmanager
def replacing(target: Path) -> Iterator[Path]:
    """A temporary path beside ``target``, renamed over it when the block ends well."""
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def file_digest(path: Path) -> tuple[int, str]:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        for block in iter(lambda: source.read(1 << 20), b""):
            digest.update(block)
    return path.stat().st_size, digest.hexdigest()


@contextlib.contextmanager
def build_lock(*, wait: bool) -> Iterator[bool]:
    """Yield True when this process holds the build's lock: with ``wait``, once the build
    running (if any) has finished; without, at once or never (False). On SQLite (the quick
    start, one process) always True."""
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        if wait:
            cursor.execute("SELECT pg_advisory_lock(%s), true", [LOCK_ID])
        else:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_ID])
        acquired = cursor.fetchone()[-1]
    try:
        yield acquired
    finally:
        if acquired:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_ID])


def build_files(*, wait: bool = True) -> dict | None:
    """Build every open-data file from the published data and return the new index. One
    build at a time: a build started while another runs waits for it, then reads the data
    again (a change saved during the first is in the second); with ``wait=False`` it returns
    None at once instead."""
    with build_lock(wait=wait) as acquired:
        if not acquired:
            return None
        return _build()


def _build() -> dict:
    """Build in the storage's own folder when it is local (each file renamed into place);
    otherwise in a temporary folder, then upload the files, the index last."""
    if is_local():
        folder().mkdir(parents=True, exist_ok=True)
        return _build_in(folder(), upload=False)
    with tempfile.TemporaryDirectory(prefix="opendata-") as work:
        return _build_in(Path(work), upload=True)


def _build_in(work: Path, *, upload: bool) -> dict:
    index = {}
    now = timezone.now().isoformat(timespec="seconds")

    json_name = "grants-360giving.json"
    with replacing(work / json_name) as temporary:
        with temporary.open("wb") as raw:
            hashing = HashingWriter(raw)
            with io.TextIOWrapper(
                io.BufferedWriter(hashing, 1 << 16), encoding="utf-8", newline="\n"
            ) as text:
                grants = threesixty.write_package(text)
        index[json_name] = {
            "size": hashing.size,
            "sha256": hashing.digest.hexdigest(),
            "built_at": now,
            "records": grants,
        }
    # flattentool reads the JSON just written (a whole package in memory: it has no streaming
    # mode for JSON input), so the CSV and XLSX follow it.
    csv_name, xlsx_name = "grants-360giving-csv.zip", "grants-360giving.xlsx"
    if grants:
        with replacing(work / csv_name) as csv_zip, replacing(work / xlsx_name) as xlsx:
            threesixty.write_flattened(work / json_name, csv_zip=csv_zip, xlsx=xlsx)
            for name, temporary in ((csv_name, csv_zip), (xlsx_name, xlsx)):
                size, sha256 = file_digest(temporary)
                index[name] = {"size": size, "sha256": sha256, "built_at": now, "records": grants}
    else:
        # 360Giving has no empty package: no flattened files until a grant is published.
        for name in (csv_name, xlsx_name):
            default_storage.delete(storage_name(name))

    xml_name = "activities-iati.xml"
    with replacing(work / xml_name) as temporary:
        with temporary.open("wb") as raw:
            hashing = HashingWriter(raw)
            with io.BufferedWriter(hashing, 1 << 16) as buffered:
                activities = iati.write_activities(buffered)
        index[xml_name] = {
            "size": hashing.size,
            "sha256": hashing.digest.hexdigest(),
            "built_at": now,
            "records": activities,
        }

    # Last-Modified moves only when a file's bytes do.
    previous = read_index()
    for name, entry in index.items():
        old = previous.get(name) or {}
        same = old.get("sha256") == entry["sha256"]
        entry["changed_at"] = old.get("changed_at", old.get("built_at")) if same else now
        entry["changed_at"] = entry["changed_at"] or now
    with replacing(work / INDEX) as temporary:
        temporary.write_text(json.dumps(index, indent=1))
    if upload:
        for name in [*index, INDEX]:
            replace_file(storage_name(name), work / name)
    return index


def open_data_build() -> str:
    """Rebuild the open-data files from what is published now, note the result on the daily
    job's row and make cached pages stale (the data page shows the files' sizes and dates).
    Safe to run twice, or twice at once (see ``build_files``)."""
    index = build_files()
    result = f"{index['grants-360giving.json']['records']} grants written"
    invalidate_public_pages()
    schedule_record_result(job=JOB, result=result)
    return result
