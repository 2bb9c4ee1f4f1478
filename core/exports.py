"""Exports of the back office's lists as CSV and XLSX: one code path for every list.

A list's admin class (``ExportMixin``) names its columns (``export_columns``); the rows are
those of the list as the person sees it, with its filters and search (the admin's own
``ChangeList`` builds the query, in the request or in the worker). Headers and choice labels
are in the person's language (their ``language``, else the page's).

Small exports are sent in the response: CSV streamed, XLSX written by openpyxl's write-only
workbook (rows stream to a temporary file, memory stays flat). Over
``EXPORT_ASYNC_THRESHOLD`` rows, the export is handed to the runner a higher app registers
(``register_async_runner``: the secretariat app's Celery task writes the file to private
storage and notifies the person with a link only they can open).
"""

from __future__ import annotations

import csv
import datetime
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import models
from django.http import FileResponse, HttpResponseRedirect, StreamingHttpResponse
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext
from django_countries.fields import Country, CountryField

from .errors import DomainError

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
CHUNK = 2000  # rows read from the database at a time


@dataclass(frozen=True)
class Column:
    """One column: a dotted path from the row (``initiative.lead_organisation.name``) or a
    callable taking the row; its header is the field's verbose name unless given. A callable
    with ``reads`` (ORM paths, ``initiative__edition_id``) takes those values instead of the
    row, which lets the export read plain rows (see ``rows_of``)."""

    source: str | Callable[..., Any]
    header: Any = None  # a (lazy) translated text
    reads: tuple[str, ...] = ()


def person_language(user, fallback: str | None = None) -> str:
    return getattr(user, "language", "") or fallback or settings.LANGUAGE_CODE


def _field(model, dotted: str):
    """The model field at the end of ``dotted`` (or None for a property or method)."""
    *relations, last = dotted.split(".")
    for name in relations:
        try:
            model = model._meta.get_field(name).related_model
        except FieldDoesNotExist:
            return None
    try:
        return model._meta.get_field(last)
    except FieldDoesNotExist:
        return None


def header_of(model, column: Column) -> str:
    if column.header is not None:
        return str(column.header)
    field = _field(model, column.source) if isinstance(column.source, str) else None
    name = field.verbose_name if field is not None else str(column.source).split(".")[-1]
    return str(name)[:1].upper() + str(name)[1:]


def value_of(row, column: Column):
    """The cell: a choice's label, a country list's names, a related row's text."""
    return getter(type(row), column)(row)


def getter(model, column: Column) -> Callable[[Any], Any]:
    """How to read ``column`` from a row of ``model``, worked out once for all the rows (a
    choice's labels are read once, in the active language)."""
    if callable(column.source) and column.reads:
        read, paths = column.source, [path.split("__") for path in column.reads]

        def follow(row, names):
            for name in names:
                row = getattr(row, name, None) if row is not None else None
            return row

        return lambda row: read(*(follow(row, names) for names in paths))
    if callable(column.source):
        return column.source
    *relations, last = column.source.split(".")
    field = _field(model, column.source)
    labels = None
    if field is not None and field.choices and not isinstance(field, CountryField):
        labels = {value: str(label) for value, label in field.flatchoices}

    def read(row):
        target = row
        for name in relations:
            target = getattr(target, name, None)
            if target is None:
                return None
        value = getattr(target, last, None)
        if labels is not None:
            return labels.get(value, value)
        return value() if callable(value) else value

    return read


def cell_text(value) -> str:
    """A value as CSV text (XLSX keeps numbers and dates as such, see ``xlsx_value``)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value.tzinfo else str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ", ".join(cell_text(item) for item in value)
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, Country):
        return str(value.name)
    return str(value)


def xlsx_value(value):
    if value is None:
        return None
    if isinstance(value, bool):
        return cell_text(value)
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, int | float | Decimal | datetime.date):
        return value
    return cell_text(value)


def _value_reader(model, column: Column, fields: list[str]) -> Callable[[tuple], Any] | None:
    """How to read ``column`` from a plain row (``values_list``), adding the ORM paths it needs
    to ``fields``; None when it needs the model instance (a property, a method, a related
    row's text, a callable without ``reads``, a country list).

    A translated text reads its columns in every language and the row's original language and
    follows the same reading order as the model's field (``core.translation``), worked out once
    per original language."""
    from modeltranslation import settings as mt_settings
    from modeltranslation.utils import build_localized_fieldname

    from .translation import OriginalLanguageDescriptor, active_language, reading_order

    def position(path: str) -> int:
        fields.append(path)
        return len(fields) - 1

    if callable(column.source):
        if not column.reads:
            return None
        read, places = column.source, [position(path) for path in column.reads]
        return lambda row: read(*(row[place] for place in places))
    *relations, last = column.source.split(".")
    for name in relations:
        try:
            relation = model._meta.get_field(name)
        except FieldDoesNotExist:
            return None
        if not (relation.many_to_one or relation.one_to_one) or not relation.concrete:
            return None
        model = relation.related_model
    prefix = "".join(f"{name}__" for name in relations)
    if last == "pk":
        last = model._meta.pk.name
    if isinstance(getattr(model, last, None), OriginalLanguageDescriptor):
        try:
            original_field = model._meta.get_field("original_language")
        except FieldDoesNotExist:
            return None  # the original language is read from elsewhere: the instance knows
        if not original_field.concrete:
            return None
        languages = list(mt_settings.AVAILABLE_LANGUAGES)
        places = {
            code: position(prefix + build_localized_fieldname(last, code)) for code in languages
        }
        original_place = position(prefix + "original_language")
        current, orders = active_language(), {}

        def translated(row):
            original = row[original_place]
            order = orders.get(original)
            if order is None:
                order = orders[original] = [
                    places[code] for code in reading_order(current, original) if code in places
                ]
            for place in order:
                value = row[place]
                if value not in (None, ""):
                    return value
            return ""

        return translated
    try:
        field = model._meta.get_field(last)
    except FieldDoesNotExist:
        return None
    if not field.concrete or field.is_relation or isinstance(field, CountryField):
        return None
    place = position(prefix + field.attname)
    if field.choices:
        labels = {value: str(label) for value, label in field.flatchoices}
        return lambda row: labels.get(row[place], row[place])
    return lambda row: row[place]


def rows_of(queryset, columns: list[Column]) -> Iterator[list]:
    """The cells of each row, reading the database ``CHUNK`` rows at a time.

    When every column can be read from plain values (model fields along forward relations,
    translated texts, callables with ``reads``), the rows are read with ``values_list``: no
    model instance per row, which is most of the time of a large export. Otherwise each row is
    a model instance (``select_related`` from ``get_export_queryset``)."""
    fields: list[str] = [queryset.model._meta.pk.name]  # the row's identity (a distinct list)
    readers = [_value_reader(queryset.model, column, fields) for column in columns]
    if all(reader is not None for reader in readers):
        for row in queryset.values_list(*fields).iterator(chunk_size=CHUNK):
            yield [read(row) for read in readers]
        return
    getters = [getter(queryset.model, column) for column in columns]
    for row in queryset.iterator(chunk_size=CHUNK):
        yield [read(row) for read in getters]


class _Echo:
    def write(self, value):
        return value


def csv_lines(headers: list[str], rows: Iterable[list]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # a BOM, so spreadsheet programs read the text as UTF-8
    yield writer.writerow(headers)
    for row in rows:
        yield writer.writerow([cell_text(value) for value in row])


def write_csv(target: IO[bytes], headers: list[str], rows: Iterable[list]) -> int:
    lines = 0
    for line in csv_lines(headers, rows):
        target.write(line.encode())
        lines += 1
    return lines - 2  # the BOM and the headers


def write_xlsx(target: IO[bytes], headers: list[str], rows: Iterable[list], title: str) -> int:
    """Rows written one at a time (openpyxl's write-only mode): memory does not grow with
    the number of rows."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31] or "Export")
    sheet.append(headers)
    count = 0
    for row in rows:
        sheet.append([xlsx_value(value) for value in row])
        count += 1
    workbook.save(target)
    return count


def write_export(target: IO[bytes], fmt: str, model_admin, queryset, title: str) -> int:
    """Write the rows of ``queryset`` as ``fmt`` to ``target``; returns the number of rows.
    Run with the person's language active (headers, labels)."""
    columns = model_admin.get_export_columns()
    headers = [header_of(model_admin.model, column) for column in columns]
    rows = rows_of(model_admin.get_export_queryset(queryset), columns)
    if fmt == "csv":
        return write_csv(target, headers, rows)
    return write_xlsx(target, headers, rows, title)


def export_filename(model, fmt: str) -> str:
    name = slugify(str(model._meta.verbose_name_plural)) or model._meta.model_name
    return f"{name}-{timezone.localdate().isoformat()}.{fmt}"


# --- running large exports elsewhere --------------------------------------------------------

# Set by a higher app when it loads: runner(user=, model_admin=, query=, fmt=) -> None; it
# raises DomainError when it cannot take the export.
_async_runner: Callable[..., None] | None = None


def register_async_runner(runner: Callable[..., None]) -> None:
    global _async_runner
    _async_runner = runner


def changelist_queryset(model_admin, request):
    """The rows of the list as ``request`` shows it (filters, search, order; every page)."""
    changelist = model_admin.get_changelist_instance(request)
    return changelist.get_queryset(request)


class ExportMixin:
    """ "Export CSV" and "Export XLSX" on a changelist: the rows it shows, every page of them.

    ``export_columns``: a list of ``Column`` (or dotted paths); ``get_export_queryset`` may add
    ``select_related`` or annotations (it must keep the rows as they are)."""

    change_list_template = "admin/export_change_list.html"
    export_columns: tuple = ()
    export_select_related: tuple = ()

    def get_export_columns(self) -> list[Column]:
        return [c if isinstance(c, Column) else Column(c) for c in self.export_columns]

    def get_export_queryset(self, queryset):
        if self.export_select_related:
            queryset = queryset.select_related(*self.export_select_related)
        return queryset

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "export/<str:fmt>/",
                self.admin_site.admin_view(self.export_view),
                name=f"{opts.app_label}_{opts.model_name}_export",
            ),
            *super().get_urls(),
        ]

    def export_view(self, request, fmt: str):
        if fmt not in FORMATS:
            raise PermissionDenied
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        opts = self.model._meta
        back = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        if request.GET:
            back += f"?{request.GET.urlencode()}"
        try:
            queryset = changelist_queryset(self, request)
        except IncorrectLookupParameters:
            messages.error(request, gettext("The list's filters are not valid: nothing exported."))
            return HttpResponseRedirect(back.split("?")[0])
        with translation.override(person_language(request.user, translation.get_language())):
            if _async_runner is not None and queryset.count() > settings.EXPORT_ASYNC_THRESHOLD:
                try:
                    _async_runner(
                        user=request.user, model_admin=self, query=request.GET.urlencode(), fmt=fmt
                    )
                except DomainError as error:
                    messages.error(request, error.message)
                else:
                    messages.success(
                        request,
                        gettext(
                            "The export is being prepared. You will receive an email and a "
                            "notification with a link to download it."
                        ),
                    )
                return HttpResponseRedirect(back)
            filename = export_filename(self.model, fmt)
            title = str(opts.verbose_name_plural)
            if fmt == "csv":
                response = StreamingHttpResponse(
                    self._csv_stream(request, queryset), content_type=FORMATS["csv"]
                )
            else:
                handle = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
                write_export(handle, fmt, self, queryset, title)
                handle.seek(0)
                response = FileResponse(handle, content_type=FORMATS[fmt])
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "private, no-store"
        return response

    def _csv_stream(self, request, queryset):
        # The response is streamed after the view returns: the language is set again here.
        language = person_language(request.user, translation.get_language())
        with translation.override(language):
            columns = self.get_export_columns()
            headers = [header_of(self.model, column) for column in columns]
            rows = rows_of(self.get_export_queryset(queryset), columns)
            yield from csv_lines(headers, rows)


def export_admin(model) -> ExportMixin:
    """The registered admin of ``model`` that exports (for the worker)."""
    model_admin = admin.site._registry.get(model)
    if not isinstance(model_admin, ExportMixin):
        raise LookupError(f"{model._meta.label} has no export.")
    return model_admin
