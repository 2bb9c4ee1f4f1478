"""Everything held about a person or an organisation: exported (a ZIP of JSON per model and
their files) or erased on request.

What is held is found from the models' own relations (``held_rows``), so a model added later
cannot be missed: every row whose foreign key (or many-to-many link) points at the subject,
then the rows that belong to those (for an organisation, every row hanging from it: its
applications and their reviews, its grants and their reports, payments and agreements; for a
person, the parts deleted with what points at them: a review's scores).

Erasure keeps the records of money and decisions and takes the name out of them:

- the rows that would be deleted with the subject (its memberships, notifications,
  second-factor devices, reminders; an organisation's invitations, relations and profile
  changes) are deleted;
- every other row found keeps its place, with the subject's name (and email, or acronym)
  replaced wherever a text holds it by "Erased person 123" / "Erased organisation 45"; a
  person's full name and email, and an organisation's name, are also looked for in every
  text of the database (a grant's description naming its coordinator, the emails the
  secretariat was sent about an organisation) and replaced there, as whole words; an
  acronym only in the rows held about its organisation;
- the subject itself keeps its row under that name, emptied of everything else (a person can
  no longer log in);
- a ``PersonalDataRequest`` records who erased whom, when, and how many rows of each model.

Files (application documents, report attachments, agreements' PDFs) are kept: they are the
grant's records. The PDFs of agreements signed before an erasure still show the name.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections import Counter
from pathlib import PurePosixPath

from django.apps import apps
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from core.errors import DomainError
from organisations.models import Organisation, User

from ..models import PersonalDataRequest

# Values never written to an export: secrets of the account, not data about the person.
WITHHELD = {"password", "key", "token", "secret"}
WITHHELD_TEXT = "(withheld)"
# Names shorter than this are not replaced inside texts (an acronym like "AA" is in words).
SHORTEST_NAME = 3


class PersonalDataError(DomainError):
    pass


def subject_kind(subject) -> str:
    if isinstance(subject, Organisation):
        return PersonalDataRequest.Subject.ORGANISATION
    return PersonalDataRequest.Subject.PERSON


def erased_label(subject) -> str:
    """The name that replaces the subject's: stored, so in one language for everyone."""
    if isinstance(subject, Organisation):
        return f"Erased organisation {subject.pk}"
    return f"Erased person {subject.pk}"


def references_to(model: type[models.Model]) -> list[models.ForeignKey]:
    """Every foreign key (one-to-one included) of every model, the tables behind
    many-to-many fields included, that points at ``model``."""
    found = []
    for candidate in apps.get_models(include_auto_created=True):
        for field in candidate._meta.concrete_fields:
            if field.is_relation and field.related_model is model:
                found.append(field)
    return found


def held_rows(subject) -> dict[type[models.Model], set[int]]:
    """The rows held about ``subject`` (a person or an organisation), by model, the subject's
    own row included (see the module)."""
    whole_tree = isinstance(subject, Organisation)
    found: dict[type[models.Model], set[int]] = {type(subject): {subject.pk}}
    frontier = [(type(subject), {subject.pk}, True)]
    while frontier:
        model, pks, direct = frontier.pop()
        for field in references_to(model):
            if not (direct or whole_tree) and field.remote_field.on_delete is not models.CASCADE:
                continue
            referencing = field.model
            if referencing is type(subject):
                continue
            pks_found = set(
                referencing._base_manager.filter(**{f"{field.name}__in": pks}).values_list(
                    "pk", flat=True
                )
            )
            new = pks_found - found.get(referencing, set())
            if new:
                found.setdefault(referencing, set()).update(new)
                frontier.append((referencing, new, False))
    return found


def _label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def _withhold(values: dict) -> dict:
    return {
        name: (WITHHELD_TEXT if name in WITHHELD and value else value)
        for name, value in values.items()
    }


def export_archive(*, subject, actor) -> tuple[bytes, PersonalDataRequest]:
    """The ZIP of everything held about ``subject``: one JSON file per model
    (``<app>.<model>.json``: each row's primary key and fields; secrets withheld) and every
    file the rows hold (``files/<app>.<model>/<pk>/<name>``). The export is recorded (who,
    when, rows per model). Returns (the archive's bytes, the record)."""
    rows = held_rows(subject)
    buffer = io.BytesIO()
    counts = {}
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for model, pks in sorted(rows.items(), key=lambda item: _label(item[0])):
            objects = list(model._base_manager.filter(pk__in=pks).order_by("pk"))
            data = [
                {"model": item["model"], "pk": item["pk"], "fields": _withhold(item["fields"])}
                for item in serializers.serialize("python", objects)
            ]
            archive.writestr(
                f"{_label(model)}.json",
                json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
            )
            counts[_label(model)] = len(objects)
            for obj in objects:
                for field in model._meta.concrete_fields:
                    if isinstance(field, models.FileField):
                        _add_file(archive, obj, field)
    record = PersonalDataRequest.objects.create(
        kind=PersonalDataRequest.Kind.EXPORT,
        subject_type=subject_kind(subject),
        subject_id=subject.pk,
        subject_label=str(subject)[:200],
        actor=actor,
        counts=counts,
    )
    return buffer.getvalue(), record


def _add_file(archive: zipfile.ZipFile, obj, field) -> None:
    stored = getattr(obj, field.attname)
    if not stored:
        return
    name = PurePosixPath(str(stored)).name
    try:
        with field.storage.open(str(stored), "rb") as handle:
            content = handle.read()
    except OSError:  # a file missing from the storage: the JSON still names it
        return
    archive.writestr(f"files/{_label(type(obj))}/{obj.pk}/{field.name}/{name}", content)


# --- erasure ------------------------------------------------------------------------------


def _names(subject) -> tuple[list[str], list[str]]:
    """(names searched in the whole database, names searched only in the rows held about the
    subject): a full name, an email, an organisation's name are distinctive; an acronym ("RED",
    "ONG") is a word elsewhere."""
    if isinstance(subject, Organisation):
        everywhere, held = [subject.name], [subject.acronym]
    else:
        everywhere, held = [subject.full_name, subject.email], []

    def kept(names):
        found = {name.strip() for name in names if name and len(name.strip()) >= SHORTEST_NAME}
        return sorted(found, key=len, reverse=True)

    return kept(everywhere), kept(held + everywhere)


def _pattern(names: list[str]) -> re.Pattern:
    """The names as whole words, whatever their case."""
    return re.compile("|".join(rf"(?<!\w){re.escape(name)}(?!\w)" for name in names), re.IGNORECASE)


def _text_fields(model: type[models.Model]) -> list:
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField | models.JSONField)
        and not isinstance(field, models.FileField)
    ]


def rows_naming(names: list[str]) -> dict[type[models.Model], set[int]]:
    """Every row of every model whose texts contain one of ``names`` (one query per model)."""
    found = {}
    for model in apps.get_models():
        fields = _text_fields(model)
        if not fields or not names:
            continue
        condition = Q()
        queryset = model._base_manager.all()
        for field in fields:
            column = field.attname
            if isinstance(field, models.JSONField):
                column = f"_text_{field.attname}"
                queryset = queryset.annotate(**{column: Cast(field.attname, models.TextField())})
            for name in names:
                condition |= Q(**{f"{column}__icontains": name})
        pks = set(queryset.filter(condition).values_list("pk", flat=True))
        if pks:
            found[model] = pks
    return found


def _replace(value, pattern: re.Pattern, label: str):
    if isinstance(value, str):
        return pattern.sub(label, value)
    if isinstance(value, list):
        return [_replace(item, pattern, label) for item in value]
    if isinstance(value, dict):
        return {key: _replace(item, pattern, label) for key, item in value.items()}
    return value


def _scrub(obj, pattern: re.Pattern, label: str) -> bool:
    """Replace the subject's names in every text of ``obj``; save the fields changed."""
    changed = []
    for field in _text_fields(type(obj)):
        value = getattr(obj, field.attname)
        replaced = _replace(value, pattern, label)
        if replaced != value:
            setattr(obj, field.attname, replaced)
            changed.append(field.attname)
    if changed:
        # A plain save: the signals that clear the public pages' cache run.
        obj.save(update_fields=changed)
    return bool(changed)


@transaction.atomic
def personal_data_erase(*, subject, actor) -> PersonalDataRequest:
    """Erase ``subject`` (a person or an organisation) as the module says, in one transaction,
    and record it. Refuses (``PersonalDataError``, nothing changed) one's own account and a
    subject already erased."""
    if isinstance(subject, User) and actor is not None and subject.pk == actor.pk:
        raise PersonalDataError(_("You cannot erase your own account."))
    label = erased_label(subject)
    already = PersonalDataRequest.objects.filter(
        kind=PersonalDataRequest.Kind.ERASURE,
        subject_type=subject_kind(subject),
        subject_id=subject.pk,
    ).exists()
    if already:
        raise PersonalDataError(_("%(label)s is already erased.") % {"label": label})
    subject = type(subject)._base_manager.select_for_update().get(pk=subject.pk)
    everywhere, names = _names(subject)
    rows = held_rows(subject)
    # Rows elsewhere that name the subject (a grant's text naming its coordinator, the emails
    # the secretariat was sent about an organisation) are found by their texts.
    for model, pks in rows_naming(everywhere).items():
        rows.setdefault(model, set()).update(pks)
    counts: Counter = Counter()
    # Rows deleted with the subject: they served only it.
    for field in references_to(type(subject)):
        if field.remote_field.on_delete is models.CASCADE and not field.model._meta.auto_created:
            deleted, _detail = field.model._base_manager.filter(**{field.name: subject}).delete()
            if deleted:
                counts[f"deleted {_label(field.model)}"] += deleted
    if names:
        pattern = _pattern(names)
        for model, pks in rows.items():
            if model is type(subject) or model._meta.auto_created:
                continue
            for obj in model._base_manager.filter(pk__in=pks).iterator():
                if _scrub(obj, pattern, label):
                    counts[f"changed {_label(model)}"] += 1
    _empty(subject, label)
    # The exports recorded before named the subject: they show the new name too.
    PersonalDataRequest.objects.filter(
        subject_type=subject_kind(subject), subject_id=subject.pk
    ).update(subject_label=label)
    return PersonalDataRequest.objects.create(
        kind=PersonalDataRequest.Kind.ERASURE,
        subject_type=subject_kind(subject),
        subject_id=subject.pk,
        subject_label=label,
        actor=actor,
        counts=dict(counts),
    )


def _empty(subject, label: str) -> None:
    """The subject's own row: its name replaced, everything else about it emptied."""
    if isinstance(subject, Organisation):
        subject.name = label
        subject.slug = f"erased-organisation-{subject.pk}"
        for name in ("acronym", "city", "website", "email", "phone", "identifier"):
            setattr(subject, name, "")
        for field in subject._meta.concrete_fields:
            if field.name.startswith("description"):
                setattr(subject, field.attname, "")
        subject.founded_year = None
        subject.version += 1
        subject.save()
        return
    subject.full_name = label
    subject.email = f"erased-person-{subject.pk}@erased.invalid"
    subject.set_unusable_password()
    subject.is_active = subject.is_staff = subject.is_superuser = False
    subject.save()
    subject.groups.clear()
    subject.user_permissions.clear()
