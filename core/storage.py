"""Where uploaded files live: the local folder ``MEDIA_ROOT`` (the default, for the quick
start and one-machine installs), or two buckets of an S3-compatible service when
``MEDIA_STORAGE=s3`` (several web and worker machines share them).

The storage names already say who may read a file (``core.files.PrivatePath``): names under
``private/`` (application and report files, signed agreements, exports) go to the private
bucket, which only the app's credentials can read — pages never link to it, the checking
views stream the file after their permission check (``core.files.private_file_response``).
Every other name (``public/`` covers, photos and thumbnails, ``opendata/`` files) goes to the
public bucket, which the service lets anyone read, so pages link straight to it.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.utils.deconstruct import deconstructible

PRIVATE_PREFIX = "private/"


@deconstructible
class MediaS3Storage(Storage):
    """One storage over two buckets, chosen by the name's first folder (see the module)."""

    def __init__(
        self,
        *,
        public_bucket: str,
        private_bucket: str,
        endpoint_url: str | None = None,
        region_name: str | None = None,
        access_key: str | None = None,
        secret_key: str | None = None,
        public_url: str | None = None,
        addressing_style: str | None = None,
        private_url_expire: int = 60,
    ) -> None:
        from storages.backends.s3 import S3Storage

        common = {
            "endpoint_url": endpoint_url or None,
            "region_name": region_name or None,
            "access_key": access_key or None,
            "secret_key": secret_key or None,
            "addressing_style": addressing_style or None,
            "signature_version": "s3v4",
            # Uploads never replace another file of the same name: the storage picks a free
            # name, as the local folder does.
            "file_overwrite": False,
        }
        protocol, _, domain = (public_url or "").rstrip("/").partition("://")
        self.public = S3Storage(
            bucket_name=public_bucket,
            querystring_auth=False,
            custom_domain=domain or None,
            url_protocol=f"{protocol}:" if domain else "https:",
            **common,
        )
        # Links to private objects are never put in pages; should code ask for one, it is
        # signed and short-lived.
        self.private = S3Storage(
            bucket_name=private_bucket,
            querystring_auth=True,
            querystring_expire=private_url_expire,
            **common,
        )

    def backend(self, name: str):
        return self.private if str(name).startswith(PRIVATE_PREFIX) else self.public

    def _open(self, name, mode="rb"):
        return self.backend(name)._open(name, mode)

    def _save(self, name, content):
        return self.backend(name)._save(name, content)

    def get_available_name(self, name, max_length=None):
        return self.backend(name).get_available_name(name, max_length=max_length)

    def delete(self, name):
        self.backend(name).delete(name)

    def exists(self, name):
        return self.backend(name).exists(name)

    def size(self, name):
        return self.backend(name).size(name)

    def url(self, name):
        return self.backend(name).url(name)

    def get_modified_time(self, name):
        return self.backend(name).get_modified_time(name)

    def listdir(self, path):
        return self.backend(path).listdir(path)

    def replace(self, name: str, content) -> None:
        """Write ``content`` under exactly ``name``, over what is there (an object store
        swaps the object whole: a reader gets the old one or the new one)."""
        self.backend(name)._save(name, content)

    def buckets(self) -> list[tuple[str, object]]:
        """(the names' prefix it holds or "", the underlying bucket) for a backup."""
        return [(PRIVATE_PREFIX, self.private.bucket), ("", self.public.bucket)]


def is_local(storage: Storage = default_storage) -> bool:
    """True when files are plain files on this machine (``MEDIA_ROOT``)."""
    try:
        storage.path("")
    except NotImplementedError:
        return False
    return True


def replace_file(name: str, source: Path, storage: Storage = default_storage) -> None:
    """Put the local file ``source`` in storage under exactly ``name``, replacing what is
    there in one step: a rename in the local folder (``source`` must be on the same disk:
    beside the target), one upload on an object store. ``source`` is gone afterwards."""
    if is_local(storage):
        target = Path(storage.path(name))
        target.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(source, 0o644)
        os.replace(source, target)
        return
    with source.open("rb") as handle:
        storage.replace(name, File(handle, name=source.name))
    source.unlink(missing_ok=True)
