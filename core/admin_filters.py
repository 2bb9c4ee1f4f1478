"""Back-office list filters whose choices are shared by everyone who opens a list (issue 14).

A filter by a related model (editions, programmes, themes) lists every row of that model by
name: a query and a model instance per row at each opening of a list, although the names are
the same for every member of the staff and change a few times a year. For the models given to
``share_filter_choices``, the names are kept in each process, per language and ordering, with
a version kept in the shared cache: saving or deleting a row of any of those models (in any
process, the admin's or a worker's) gives a new version, so every process reads the names
again (once the change is committed, and at once as well). A kept list also expires after
``KEPT_SECONDS``, as a bound for writes that send no signal (a ``QuerySet.update``). What a
person may see is not in these names: the filter shows them to whoever may open the list, as
before, and the list's rows are still read for each request.
"""

from __future__ import annotations

import time
import uuid
from collections import OrderedDict

from django.contrib import admin
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import get_language

VERSION_KEY = "backoffice:filter-choices-version"
KEPT_SECONDS = 600
KEPT = 256  # lists of names (models × languages × orderings), at most

SHARED_CHOICES_MODELS: set[type] = set()
_kept: OrderedDict[tuple, tuple[float, list]] = OrderedDict()


def share_filter_choices(*models: type) -> None:
    """Filters by these models keep their names (see the module). Give every model a name
    reads: an edition's name shows its programme's."""
    SHARED_CHOICES_MODELS.update(models)


def new_version() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


@receiver(post_save, dispatch_uid="backoffice_filter_choices_save")
@receiver(post_delete, dispatch_uid="backoffice_filter_choices_delete")
def _names_changed(sender, **kwargs) -> None:
    if sender in SHARED_CHOICES_MODELS:
        new_version()
        # Again once committed: a process that read the old names in between forgets them.
        transaction.on_commit(new_version)


def _version(request) -> str | None:
    """The shared version, read once per request; None without a working cache."""
    if not hasattr(request, "_filter_choices_version"):
        version = cache.get(VERSION_KEY)
        if version is None:
            cache.add(VERSION_KEY, uuid.uuid4().hex, None)
            version = cache.get(VERSION_KEY)
        request._filter_choices_version = version
    return request._filter_choices_version


class SharedChoicesFilter(admin.RelatedFieldListFilter):
    """Django's filter by a related model, its names kept (see the module) where the model
    was given to ``share_filter_choices``."""

    def field_choices(self, field, request, model_admin):
        model = field.related_model
        version = _version(request) if model in SHARED_CHOICES_MODELS else None
        if version is None:
            return self.read_choices(field, request, model_admin)
        ordering = self.field_admin_ordering(field, request, model_admin)
        key = (
            version,
            type(self),
            field.model._meta.label,
            field.name,
            get_language(),
            tuple(str(part) for part in ordering or ()),
        )
        found = _kept.get(key)
        now = time.monotonic()
        if found is None or now - found[0] > KEPT_SECONDS:
            found = _kept[key] = (now, list(self.read_choices(field, request, model_admin)))
            while len(_kept) > KEPT:
                _kept.popitem(last=False)
        return found[1]

    def read_choices(self, field, request, model_admin):
        return super().field_choices(field, request, model_admin)


# Every filter by a field that leads to one of those models (``"edition__programme"``,
# ``"themes"``), not only those that name this class.
admin.FieldListFilter.register(
    lambda field: bool(field.remote_field) and field.related_model in SHARED_CHOICES_MODELS,
    SharedChoicesFilter,
    take_priority=True,
)
