"""At-risk mode for the public files: a recipient newly marked at risk loses the addresses of
its photos.

Pages stop showing a hidden grant's photos at once (``grants.selectors.disclosure``), but the
photos themselves are files under ``public/`` (a cover, its thumbnails, a published result
photo, a small grant's photo on the map of the day), served to anyone who has their address —
and anyone who saw the page before has it. So when an initiative, its lead organisation or a
small grant is marked at risk, each of those files is moved to a new random name that no page
gives (``conceal``): the old address answers 404, the secretariat keeps the photo, and the pages
show it again under its new name if the mark is ever taken off.

Run after the transaction that set the mark commits (``public.signals``), whatever wrote it: the
back office, an award from an application that asked for it, a script.
"""

from __future__ import annotations

import logging
import secrets
from pathlib import PurePosixPath

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import models

from core.images import WIDTHS, page_thumbnails_key, thumbnail_name
from grants.models import Initiative, LightApplication, LightPhoto
from organisations.models import Organisation
from reports.models import PublicResult

log = logging.getLogger(__name__)


def random_name(name: str) -> str:
    """A new name for the file ``name`` in the same folder, which tells nothing about it."""
    path = PurePosixPath(name)
    suffix = path.suffix.lower()[:10] or ".jpg"
    return str(path.parent / f"{secrets.token_urlsafe(16)}{suffix}")


def conceal(row: models.Model, field_name: str) -> str | None:
    """Move ``row``'s file in ``field_name`` to a new random name and forget the old one (and
    its thumbnails). Returns the new name, or None when there is no file. The row is updated
    without a save: its own signals have run already."""
    field_file = getattr(row, field_name)
    if not field_file:
        return None
    old = field_file.name
    storage = field_file.storage
    if not storage.exists(old):
        log.warning("at-risk file to conceal is missing: %s", old)
        return None
    with storage.open(old, "rb") as handle:
        new = storage.save(random_name(old), ContentFile(handle.read()))
    type(row).objects.filter(pk=row.pk).update(**{field_name: new})
    setattr(row, field_name, new)
    storage.delete(old)
    for width in WIDTHS:
        storage.delete(thumbnail_name(old, width))
    cache.delete(page_thumbnails_key(old))
    return new


def conceal_initiative(initiative: Initiative) -> list[str]:
    """Conceal the cover photo of ``initiative`` and the photos of its published results."""
    moved = [conceal(initiative, "cover_photo")]
    for result in PublicResult.objects.filter(initiative=initiative).exclude(photo=""):
        moved.append(conceal(result, "photo"))
    return [name for name in moved if name]


def conceal_organisation(organisation: Organisation) -> list[str]:
    """Conceal the photos of every grant ``organisation`` leads."""
    moved: list[str] = []
    for initiative in Initiative.objects.filter(lead_organisation=organisation):
        moved += conceal_initiative(initiative)
    return moved


def conceal_small_grant(application: LightApplication) -> list[str]:
    """Conceal the public copies of a small grant's photos."""
    moved = [
        conceal(photo, "public_copy")
        for photo in LightPhoto.objects.filter(application=application).exclude(public_copy="")
    ]
    return [name for name in moved if name]


CONCEAL = {
    Initiative: conceal_initiative,
    Organisation: conceal_organisation,
    LightApplication: conceal_small_grant,
}
