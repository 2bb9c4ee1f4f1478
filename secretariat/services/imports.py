"""Past editions, their organisations and their initiatives, imported from a spreadsheet.

One row per initiative (XLSX or CSV), with the columns of ``COLUMNS`` (documented in
docs/import.md, downloadable as a template): the edition's columns start with ``edition_``,
the organisation's with ``organisation_``, the initiative's have no prefix; each translated
text has a column per language (``title_fr``, ``edition_introduction_es``...).

``import_plan`` is the dry run: it reads the file, finds each edition, organisation and
initiative by its slug (an organisation also by its identifier), and says row by row what
would be created or changed, with every error (row, column, message in the reader's language);
it writes nothing. ``import_apply`` runs the same plan and, only when it finds no error,
applies it in one transaction: the rows are saved as the back office saves them, an edition
reaches "closed" through the programme's services (its history says who and when), a new
grant is recorded as it ended through ``grants.services.initiative_record_past``. What is
already as the file says is left untouched, so importing a file twice changes nothing.

Why not django-import-export: its resources map one row to one model, while a row here is
three (found by their own keys, shared by several rows) and a status that only services
write; its dry run also saves and rolls back. A small reader over tablib (which
django-import-export uses too) plans without writing and reports in our own words.
"""

from __future__ import annotations

import datetime
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import tablib
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries as all_countries

from core.errors import DomainError
from grants.models import Initiative
from grants.services import PAST_STATUSES, initiative_record_past
from grants.workflow import InitiativeStatus
from organisations.models import Organisation, OrganisationChange, OrganisationKind
from programme.models import Edition, Programme, Theme
from programme.services import edition_close, edition_start_running
from programme.workflow import EditionStatus

LANGUAGES = [code for code, _name in settings.LANGUAGES]
# Largest file read (bytes): a programme's history is a few hundred rows.
MAX_BYTES = 5 * 1024 * 1024

EDITION, ORGANISATION, INITIATIVE = "edition", "organisation", "initiative"


class ImportRefused(DomainError):
    """The file cannot be imported: unreadable, or some row has an error (nothing written)."""


@dataclass(frozen=True)
class Column:
    name: str  # the header in the file
    target: str  # EDITION, ORGANISATION or INITIATIVE
    field: str  # the model's field (translated: with its language), or a special name
    kind: str = "text"  # text, int, date, decimal, bool, language, country, countries, slugs


def _translated(prefix: str, target: str, *names: str) -> list[Column]:
    return [
        Column(f"{prefix}{name}_{language}", target, f"{name}_{language}")
        for name in names
        for language in LANGUAGES
    ]


COLUMNS: list[Column] = [
    Column("edition_slug", EDITION, "slug"),
    Column("programme", EDITION, "programme", "slugs"),
    Column("edition_number", EDITION, "number", "int"),
    Column("edition_year", EDITION, "year", "int"),
    Column("edition_original_language", EDITION, "original_language", "language"),
    *_translated("edition_", EDITION, "title", "introduction"),
    Column("edition_period_start", EDITION, "period_start", "date"),
    Column("edition_period_end", EDITION, "period_end", "date"),
    Column("edition_currency", EDITION, "currency"),
    Column("edition_published", EDITION, "is_published", "bool"),
    Column("organisation_slug", ORGANISATION, "slug"),
    Column("organisation_identifier", ORGANISATION, "identifier"),
    Column("organisation_name", ORGANISATION, "name"),
    Column("organisation_acronym", ORGANISATION, "acronym"),
    Column("organisation_kind", ORGANISATION, "kind"),
    Column("organisation_country", ORGANISATION, "country", "country"),
    Column("organisation_city", ORGANISATION, "city"),
    Column("organisation_website", ORGANISATION, "website"),
    Column("organisation_founded_year", ORGANISATION, "founded_year", "int"),
    Column("organisation_original_language", ORGANISATION, "original_language", "language"),
    *_translated("organisation_", ORGANISATION, "description"),
    Column("slug", INITIATIVE, "slug"),
    Column("original_language", INITIATIVE, "original_language", "language"),
    *_translated("", INITIATIVE, "title", "summary", "description", "expected_results"),
    *_translated("", INITIATIVE, "coverage_label"),
    Column("countries", INITIATIVE, "countries", "countries"),
    Column("places", INITIATIVE, "places"),
    Column("themes", INITIATIVE, "themes", "slugs"),
    Column("amount_awarded", INITIATIVE, "amount_awarded", "decimal"),
    Column("currency", INITIATIVE, "currency"),
    Column("awarded_on", INITIATIVE, "awarded_on", "date"),
    Column("period_start", INITIATIVE, "period_start", "date"),
    Column("period_end", INITIATIVE, "period_end", "date"),
    Column("status", INITIATIVE, "status"),
    Column("published", INITIATIVE, "is_published", "bool"),
    Column("order", INITIATIVE, "order", "int"),
]
BY_NAME = {column.name: column for column in COLUMNS}
KEYS = {EDITION: "edition_slug", ORGANISATION: "organisation_slug", INITIATIVE: "slug"}
# Translated fields whose original-language text a new row needs.
TITLES = {EDITION: "edition_title", INITIATIVE: "title"}
TRUE, FALSE = (
    {"yes", "y", "true", "1", "x", "oui", "sí", "si", "sim", "да"},
    {
        "no",
        "n",
        "false",
        "0",
        "non",
        "não",
        "нет",
    },
)


def template_dataset() -> tablib.Dataset:
    """The template the back office offers: the headers, in the order of ``COLUMNS``."""
    return tablib.Dataset(headers=[column.name for column in COLUMNS])


@dataclass
class RowError:
    row: int  # as the spreadsheet numbers it: the headers are row 1
    column: str
    message: str


@dataclass
class Action:
    """What the import does to one edition, organisation or initiative."""

    verb: str  # "create", "update" or "unchanged"
    label: str
    changes: list[str] = field(default_factory=list)  # the columns that change

    @property
    def verb_display(self) -> str:
        return {
            "create": _("create"),
            "update": _("update"),
            "unchanged": _("unchanged"),
        }[self.verb]


@dataclass
class RowPlan:
    number: int
    edition: Action | None = None
    organisation: Action | None = None
    initiative: Action | None = None


@dataclass
class _Target:
    """One edition or organisation the file names, with the values its rows agree on."""

    obj: object
    first_row: int
    values: dict = field(default_factory=dict)  # column name → cleaned value
    action: Action | None = None


@dataclass
class ImportPlan:
    rows: list[RowPlan] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    editions: dict = field(default_factory=dict)  # slug → _Target
    organisations: dict = field(default_factory=dict)  # slug → _Target
    initiatives: list = field(default_factory=list)  # (row, Initiative, themes, status, action)

    def error(self, row: int, column: str, message: str) -> None:
        # One error per cell: the first says what is wrong (an amount unreadable is not
        # reported again as missing).
        if not any(e.row == row and e.column == column for e in self.errors):
            self.errors.append(RowError(row, column, str(message)))

    def counts(self) -> dict[str, dict[str, int]]:
        """How many editions, organisations and initiatives are created, updated, unchanged."""
        result = {}
        groups = {
            EDITION: [t.action for t in self.editions.values() if t.action],
            ORGANISATION: [t.action for t in self.organisations.values() if t.action],
            INITIATIVE: [item[4] for item in self.initiatives],
        }
        for name, actions in groups.items():
            result[name] = {
                verb: sum(1 for action in actions if action.verb == verb)
                for verb in ("create", "update", "unchanged")
            }
        return result


# --- reading the file ---------------------------------------------------------------------


def read_rows(*, data: bytes, filename: str) -> tuple[list[str], list[list]]:
    """(headers, rows) of an XLSX or CSV file, told apart by its content. Raises
    ``ImportRefused`` for an empty, oversized or unreadable file."""
    if not data:
        raise ImportRefused(_("The file is empty."))
    if len(data) > MAX_BYTES:
        raise ImportRefused(_("The file is too large: import at most 5 MB at a time."))
    try:
        if data.startswith(b"PK\x03\x04"):
            dataset = tablib.Dataset().load(io.BytesIO(data), format="xlsx")
        else:
            text = data.decode("utf-8-sig")
            # Spreadsheets set to French (and others) save CSV with semicolons.
            first = text.split("\n", 1)[0]
            delimiter = ";" if first.count(";") > first.count(",") else ","
            dataset = tablib.Dataset().load(text, format="csv", delimiter=delimiter)
    except UnicodeDecodeError:
        raise ImportRefused(
            _("“%(name)s” is not an Excel (XLSX) file or a CSV file in UTF-8.") % {"name": filename}
        ) from None
    except Exception:  # noqa: BLE001 (tablib and openpyxl raise many kinds for a broken file)
        raise ImportRefused(
            _("“%(name)s” could not be read as a spreadsheet (XLSX or CSV).") % {"name": filename}
        ) from None
    headers = [str(header or "").strip().lower() for header in (dataset.headers or [])]
    return headers, [list(row) for row in dataset]


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _clean(column: Column, raw: str):
    """The cell as the model holds it; raises ValueError with a message for people."""
    kind = column.kind
    if kind == "int":
        if not re.fullmatch(r"\d+", raw):
            raise ValueError(_("Write a whole number, such as 2023."))
        return int(raw)
    if kind == "date":
        try:
            return datetime.date.fromisoformat(raw)
        except ValueError:
            raise ValueError(_("Write the date as YYYY-MM-DD, such as 2023-06-01.")) from None
    if kind == "decimal":
        try:
            amount = Decimal(raw.replace(" ", "").replace("\u00a0", ""))
        except InvalidOperation:
            raise ValueError(
                _("Write the amount with a dot for decimals, such as 5000.00.")
            ) from None
        if not amount.is_finite():
            raise ValueError(_("Write the amount with a dot for decimals, such as 5000.00."))
        return amount.quantize(Decimal("0.01"))
    if kind == "bool":
        if raw.lower() in TRUE:
            return True
        if raw.lower() in FALSE:
            return False
        raise ValueError(_("Write yes or no."))
    if kind == "language":
        if raw.lower() not in LANGUAGES:
            raise ValueError(
                _("Unknown language “%(value)s”: write one of %(choices)s.")
                % {"value": raw, "choices": ", ".join(LANGUAGES)}
            )
        return raw.lower()
    if kind == "country":
        if raw.upper() not in all_countries:
            raise ValueError(_("Unknown country code “%(value)s”.") % {"value": raw})
        return raw.upper()
    if kind == "countries":
        codes = sorted({code.upper() for code in re.split(r"[\s,;]+", raw) if code})
        unknown = [code for code in codes if code not in all_countries]
        if unknown:
            raise ValueError(_("Unknown country code “%(value)s”.") % {"value": unknown[0]})
        return codes
    if kind == "slugs":
        return [slug for slug in re.split(r"[\s,;]+", raw) if slug]
    return raw


# --- planning -----------------------------------------------------------------------------


def import_plan(*, data: bytes, filename: str) -> ImportPlan:
    """The dry run: what importing the file would do, row by row, and every error found.
    Writes nothing. Raises ``ImportRefused`` only when the file cannot be read at all."""
    headers, raw_rows = read_rows(data=data, filename=filename)
    plan = ImportPlan()
    seen = set()
    for header in headers:
        if header and header not in BY_NAME:
            plan.error(1, header, _("Unknown column: see the template for the columns."))
        if header in seen and header:
            plan.error(1, header, _("This column appears twice."))
        seen.add(header)
    for key in KEYS.values():
        if key not in headers:
            plan.error(1, key, _("This column is required."))
    if plan.errors:
        return plan
    rows = []
    for index, raw in enumerate(raw_rows, start=2):
        cells = {
            header: _cell(value) for header, value in zip(headers, raw, strict=False) if header
        }
        if any(cells.values()):
            rows.append((index, cells))
    if not rows:
        plan.error(2, "", _("The file has no rows to import."))
        return plan
    cleaned = [(number, _clean_row(plan, number, cells)) for number, cells in rows]
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    programmes = {programme.slug: programme for programme in Programme.objects.all()}
    for number, values in cleaned:
        _gather(plan, EDITION, number, values, plan.editions)
        _gather(plan, ORGANISATION, number, values, plan.organisations)
    for target in plan.editions.values():
        _plan_edition(plan, target, programmes, present=headers)
    for target in plan.organisations.values():
        _plan_organisation(plan, target, present=headers)
    positions: dict[str, int] = {}
    for number, values in cleaned:
        row = RowPlan(number)
        edition_slug = values.get("edition_slug")
        organisation_slug = values.get("organisation_slug")
        edition = plan.editions.get(edition_slug)
        organisation = plan.organisations.get(organisation_slug)
        row.edition = edition.action if edition else None
        row.organisation = organisation.action if organisation else None
        if edition and organisation and values.get("slug"):
            positions[edition_slug] = positions.get(edition_slug, 0) + 1
            row.initiative = _plan_initiative(
                plan,
                number,
                values,
                edition=edition,
                organisation=organisation,
                themes=themes,
                position=positions[edition_slug],
                present=headers,
            )
        plan.rows.append(row)
    plan.errors.sort(
        key=lambda error: (
            error.row,
            list(BY_NAME).index(error.column) if error.column in BY_NAME else -1,
        )
    )
    return plan


def _clean_row(plan: ImportPlan, number: int, cells: dict) -> dict:
    values = {}
    for name, raw in cells.items():
        if not raw:
            values[name] = None
            continue
        try:
            values[name] = _clean(BY_NAME[name], raw)
        except ValueError as error:
            plan.error(number, name, str(error))
    for key in KEYS.values():
        if not cells.get(key):
            plan.error(number, key, _("This column is required."))
    return values


def _gather(plan: ImportPlan, target: str, number: int, values: dict, into: dict) -> None:
    """Collect an edition's (or organisation's) values from every row naming it: the first
    value given counts, and a later row giving another is an error."""
    slug = values.get(KEYS[target])
    if not slug:
        return
    found = into.setdefault(slug, _Target(obj=None, first_row=number))
    for name, value in values.items():
        if BY_NAME[name].target != target or value is None:
            continue
        if name not in found.values:
            found.values[name] = value
        elif found.values[name] != value:
            plan.error(
                number,
                name,
                _("Row %(row)s gives another value for this %(what)s.")
                % {"row": found.first_row, "what": _target_label(target)},
            )


def _target_label(target: str) -> str:
    return {
        EDITION: _("edition"),
        ORGANISATION: _("organisation"),
        INITIATIVE: _("initiative"),
    }[target]


def _assign(obj, values: dict, present: list[str], target: str) -> list[str]:
    """Set the fields of ``obj`` that the file's columns give (an empty cell empties a text);
    returns the columns whose value changes."""
    changed = []
    for column in COLUMNS:
        if column.target != target or column.name not in present or column.kind == "slugs":
            continue
        if column.name == KEYS[target] and obj.pk is not None:
            continue
        value = values.get(column.name)
        if value is None:
            if column.kind in ("text", "language", "country") and column.field not in (
                "original_language",
                "currency",
                "kind",
                "status",
            ):
                value = ""
            elif column.kind == "int" and column.field in ("founded_year",):
                value = None
            else:
                continue  # not given: the default (new) or what is there (existing) stays
        if column.field == "status":
            continue  # written by the services
        current = getattr(obj, column.field)
        if column.kind == "countries":
            current = sorted(country.code for country in current or [])
        if current != value:
            setattr(obj, column.field, value)
            changed.append(column.name)
    return changed


def _validate(plan: ImportPlan, number: int, obj, target: str, exclude: list[str]) -> None:
    original = getattr(obj, "original_language", None) or "en"
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as error:
        prefix = "" if target == INITIATIVE else f"{target}_"
        for name, messages in error.message_dict.items():
            if name in ("title", "introduction", "description", "summary"):
                column = f"{prefix}{name}_{original}"
            elif name == "__all__":
                column = KEYS[target]
            else:
                column = f"{prefix}{name}"
            for message in messages:
                plan.error(number, column, message)


def _plan_edition(plan: ImportPlan, target: _Target, programmes: dict, present) -> None:
    values = target.values
    slug = values["edition_slug"]
    edition = Edition.objects.filter(slug=slug).first()
    number = target.first_row
    if edition is not None and edition.status not in (EditionStatus.DRAFT, EditionStatus.CLOSED):
        plan.error(
            number,
            "edition_slug",
            _("The edition “%(slug)s” is under way (%(status)s): the import records past editions.")
            % {"slug": slug, "status": edition.get_status_display()},
        )
        return
    creating = edition is None
    if creating:
        edition = Edition(slug=slug, is_published=True)
        programme_slugs = values.get("programme") or []
        if not programme_slugs:
            plan.error(number, "programme", _("A new edition needs its programme (its slug)."))
            return
        programme = programmes.get(programme_slugs[0])
        if programme is None:
            plan.error(
                number,
                "programme",
                _("No programme has the slug “%(slug)s”.") % {"slug": programme_slugs[0]},
            )
            return
        edition.programme = programme
        for name in (
            "edition_number",
            "edition_year",
            "edition_period_start",
            "edition_period_end",
        ):
            if values.get(name) is None:
                plan.error(number, name, _("A new edition needs this column."))
    changed = _assign(edition, values, present, EDITION)
    if values.get("programme") and not creating:
        wanted = programmes.get(values["programme"][0])
        if wanted is None or wanted.pk != edition.programme_id:
            plan.error(number, "programme", _("An edition cannot move to another programme."))
    original = edition.original_language
    if not getattr(edition, f"title_{original}", ""):
        plan.error(
            number,
            f"edition_title_{original}",
            _("The title in the original language is required."),
        )
    _validate(plan, number, edition, EDITION, exclude=["status"])
    target.obj = edition
    verb = "create" if creating else ("update" if changed else "unchanged")
    if edition.status != EditionStatus.CLOSED and not creating and verb == "unchanged":
        verb = "update"  # it will be closed
    target.action = Action(verb, slug, [] if creating else changed)


def _plan_organisation(plan: ImportPlan, target: _Target, present) -> None:
    values = target.values
    slug = values["organisation_slug"]
    number = target.first_row
    organisation = Organisation.objects.filter(slug=slug).first()
    identifier = values.get("organisation_identifier")
    if organisation is None and identifier:
        organisation = Organisation.objects.filter(identifier=identifier).first()
    creating = organisation is None
    if creating:
        organisation = Organisation(slug=slug)
        if not values.get("organisation_name"):
            plan.error(number, "organisation_name", _("A new organisation needs its name."))
    kind = values.get("organisation_kind")
    if kind is not None and kind not in OrganisationKind.values:
        plan.error(
            number,
            "organisation_kind",
            _("Unknown kind “%(value)s”: write one of %(choices)s.")
            % {"value": kind, "choices": ", ".join(OrganisationKind.values)},
        )
        values.pop("organisation_kind")
    changed = _assign(organisation, values, present, ORGANISATION)
    _validate(plan, number, organisation, ORGANISATION, exclude=["version"])
    target.obj = organisation
    verb = "create" if creating else ("update" if changed else "unchanged")
    label = values.get("organisation_name") or organisation.name
    target.action = Action(verb, label, [] if creating else changed)


def _plan_initiative(
    plan: ImportPlan,
    number: int,
    values: dict,
    *,
    edition: _Target,
    organisation: _Target,
    themes: dict,
    position: int,
    present,
) -> Action | None:
    if edition.obj is None or organisation.obj is None:
        return None
    slug = values["slug"]
    initiative = None
    if edition.obj.pk is not None:
        initiative = Initiative.objects.filter(edition=edition.obj, slug=slug).first()
    for earlier in plan.initiatives:
        if earlier[1].slug == slug and earlier[1].edition is edition.obj:
            plan.error(
                number, "slug", _("Row %(row)s has this initiative already.") % {"row": earlier[0]}
            )
            return None
    creating = initiative is None
    status = values.get("status") or InitiativeStatus.COMPLETED
    if status not in PAST_STATUSES:
        plan.error(
            number,
            "status",
            _("Unknown status “%(value)s”: write completed or terminated.") % {"value": status},
        )
        status = InitiativeStatus.COMPLETED
    if creating:
        initiative = Initiative(
            slug=slug,
            edition=edition.obj,
            lead_organisation=organisation.obj,
            is_published=True,
            currency=edition.obj.currency,
            period_start=edition.obj.period_start,
            period_end=edition.obj.period_end,
            order=position,
        )
        for name in ("amount_awarded", "countries"):
            if values.get(name) is None:
                plan.error(number, name, _("A new initiative needs this column."))
    else:
        if initiative.status not in PAST_STATUSES:
            plan.error(
                number, "slug", _("This grant is under way: it is changed in the back office.")
            )
            return None
        if values.get("status") and values["status"] != initiative.status:
            plan.error(number, "status", _("The status of an imported grant cannot change."))
    changed = _assign(initiative, values, present, INITIATIVE)
    order_given = "order" in present and values.get("order") is not None
    if not order_given and initiative.order != position:
        initiative.order = position
        changed.append("order")
    if initiative.lead_organisation_id != organisation.obj.pk or organisation.obj.pk is None:
        if not creating:
            changed.append("organisation_slug")
        initiative.lead_organisation = organisation.obj
    wanted_themes = []
    for theme_slug in values.get("themes") or []:
        if theme_slug not in themes:
            plan.error(
                number, "themes", _("No theme has the slug “%(slug)s”.") % {"slug": theme_slug}
            )
        else:
            wanted_themes.append(themes[theme_slug])
    if "themes" in present:
        if not creating and {t.pk for t in wanted_themes} != set(
            initiative.themes.values_list("pk", flat=True)
        ):
            changed.append("themes")
    elif not creating:
        wanted_themes = list(initiative.themes.all())
    original = initiative.original_language
    if not getattr(initiative, f"title_{original}", ""):
        plan.error(
            number, f"title_{original}", _("The title in the original language is required.")
        )
    exclude = ["status", "workplan_status", "workplan_versions"]
    if edition.obj.pk is None:
        exclude.append("edition")
    if organisation.obj.pk is None:
        exclude.append("lead_organisation")
    _validate(plan, number, initiative, INITIATIVE, exclude=exclude)
    verb = "create" if creating else ("update" if changed else "unchanged")
    label = getattr(initiative, f"title_{original}", "") or slug
    action = Action(verb, label, [] if creating else changed)
    plan.initiatives.append((number, initiative, wanted_themes, status, action))
    return action


# --- applying -----------------------------------------------------------------------------


@transaction.atomic
def import_apply(*, data: bytes, filename: str, actor) -> ImportPlan:
    """Import the file: plan it again (the database may have changed since the dry run) and,
    when no row has an error, write the plan in this one transaction. Raises ``ImportRefused``
    (nothing written) when the plan has errors; a service's refusal (``DomainError``) undoes
    everything too. Returns the plan applied."""
    plan = import_plan(data=data, filename=filename)
    if plan.errors:
        raise ImportRefused(
            _("The file has %(count)s errors: nothing was imported.") % {"count": len(plan.errors)}
        )
    now = timezone.now()
    comment = _("Imported from “%(name)s”.") % {"name": filename}
    for target in plan.editions.values():
        edition = target.obj
        newly_published = edition.is_published and edition.published_at is None
        if newly_published:
            edition.published_at = now
        if target.action.verb == "create" or target.action.changes or newly_published:
            edition.save()
    for target in plan.organisations.values():
        organisation = target.obj
        if target.action.verb == "create":
            organisation.save()
        elif target.action.changes:
            before = Organisation.objects.get(pk=organisation.pk)
            organisation.version += 1
            organisation.save()
            OrganisationChange.objects.bulk_create(
                OrganisationChange(
                    organisation=organisation,
                    actor=actor,
                    field=BY_NAME[name].field,
                    old_value=_text(getattr(before, BY_NAME[name].field)),
                    new_value=_text(getattr(organisation, BY_NAME[name].field)),
                )
                for name in target.action.changes
            )
    for _number, initiative, themes, status, action in plan.initiatives:
        if action.verb == "unchanged":
            continue
        # The edition and the organisation were saved above: saving takes their keys.
        if initiative.is_published and initiative.published_at is None:
            initiative.published_at = now
        initiative_record_past(
            initiative=initiative, themes=themes, status=status, actor=actor, comment=comment
        )
    for target in plan.editions.values():
        edition = target.obj
        if edition.status == EditionStatus.DRAFT:
            edition = edition_start_running(edition=edition, actor=actor, comment=comment)
        if edition.status == EditionStatus.RUNNING:
            edition_close(edition=edition, actor=actor, comment=comment)
    return plan


def _text(value) -> str:
    return "" if value is None else str(value)
