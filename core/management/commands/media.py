"""The uploaded files held on an object store (``MEDIA_STORAGE=s3``), for scripts/backup and
scripts/restore, which handle a local ``MEDIA_ROOT`` with tar and sha256sum directly:

    manage.py media archive     a tar.gz of every file on standard output (the same layout as
                                a tar of MEDIA_ROOT: the storage names, private/ and the rest)
    manage.py media count       how many files there are
    manage.py media checksums   "<sha256>  <name>" per file, as scripts/backup's media.sha256
    manage.py media extract     put the files of a tar.gz read on standard input in storage
"""

from __future__ import annotations

import hashlib
import shutil
import sys
import tarfile
import tempfile
from collections.abc import Iterator

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError

from core.storage import PRIVATE_PREFIX, is_local


def objects() -> Iterator[tuple[str, object]]:
    """(storage name, S3 object summary) of every file, the private bucket first."""
    for prefix, bucket in default_storage.buckets():
        for summary in bucket.objects.all():
            # The public bucket holds no private/ name; were one put there by hand, it is
            # not one of the app's files.
            if bool(prefix) == summary.key.startswith(PRIVATE_PREFIX):
                yield summary.key, summary


class Command(BaseCommand):
    help = "Archive, count, checksum or restore the files of the object store (MEDIA_STORAGE=s3)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["archive", "count", "checksums", "extract"])

    def handle(self, *args, action: str, **options):
        if is_local():
            raise CommandError(
                "The files are in the local folder MEDIA_ROOT: back it up with tar "
                "(scripts/backup does)."
            )
        getattr(self, action)()

    def archive(self) -> None:
        with tarfile.open(fileobj=sys.stdout.buffer, mode="w|gz") as archive:
            for name, summary in objects():
                info = tarfile.TarInfo(f"./{name}")
                info.size = summary.size
                info.mtime = int(summary.last_modified.timestamp())
                info.mode = 0o644
                archive.addfile(info, summary.get()["Body"])

    def count(self) -> None:
        self.stdout.write(str(sum(1 for _ in objects())))

    def checksums(self) -> None:
        for name, summary in objects():
            digest = hashlib.sha256()
            for block in summary.get()["Body"].iter_chunks(1 << 20):
                digest.update(block)
            self.stdout.write(f"{digest.hexdigest()}  {name}")

    def extract(self) -> None:
        with tarfile.open(fileobj=sys.stdin.buffer, mode="r|gz") as archive:
            for member in archive:
                if not member.isfile():
                    continue
                name = member.name.removeprefix("./")
                if name.startswith("/") or ".." in name.split("/"):
                    raise CommandError(f"Refused a file outside the media folder: {member.name}")
                # An archive read as a stream cannot seek; the upload wants to: a spooled copy.
                with tempfile.SpooledTemporaryFile(max_size=16 << 20) as copy:
                    shutil.copyfileobj(archive.extractfile(member), copy, 1 << 20)
                    copy.seek(0)
                    default_storage.backend(name).bucket.upload_fileobj(copy, name)
