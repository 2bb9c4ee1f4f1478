"""The rows of a back-office list, written as Django writes them, with the work done once per
column instead of once per cell (issue 14).

Django's ``items_for_result`` works out, for every cell of a list, what the column is (a model
field? a method of the admin? which CSS classes? a link to the row?), reverses the row's URL,
parses the list's filters to carry them along, builds the choices' dictionary of a field with
choices and formats the cell with ``format_html``: some 50 µs a cell, 500 cells on a page of 50
rows, a third of a list's time. Here each column is looked at once per page; each cell then
costs its value, its formatting (Django's own ``display_for_field`` / ``display_for_value``)
and its escaping. The row's link is reversed once, with a stand-in for the key that each row's
key (quoted as Django quotes it) replaces.

The HTML is Django's, character for character (``tests/admin/test_list_rows.py`` compares the
two for every list of the back office). Editable lists (``list_editable``) and pop-ups keep
Django's own path.
"""

from __future__ import annotations

import contextlib
import datetime

from django.contrib.admin.templatetags.admin_list import (
    ResultList,
    _coerce_field_name,
    results,
)
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import (
    FieldIsAForeignKeyColumnName,
    _get_non_gfk_field,
    display_for_field,
    display_for_value,
    get_fields_from_path,
    lookup_field,
    quote,
)
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.db.models.constants import LOOKUP_SEP
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString
from django.utils.translation import get_language

# Stands for a row's key in the reversed URL of a change page (digits: quoting leaves them).
_KEY = "80512463977"

# How a column finds its value.
FIELD, CALL, OTHER = "field", "call", "other"


class _Column:
    """What ``items_for_result`` works out for one column, the same for every row."""

    __slots__ = (
        "attr",
        "base",
        "boolean",
        "booleans",
        "choices",
        "classes",
        "default_empty",
        "empty",
        "field",
        "kind",
        "link",
        "name",
        "tag",
    )

    def __init__(self, cl, index: int, name, link: bool, tag: str, empty: str):
        self.name = name
        self.link = link
        self.tag = tag
        self.empty = self.default_empty = empty
        self.base = f"field-{_coerce_field_name(name, index)}"
        self.classes = [self.base]
        self.field = self.attr = self.choices = self.booleans = None
        self.boolean = False
        model_admin = cl.model_admin
        try:
            field = _get_non_gfk_field(cl.model._meta, name)
        except (FieldDoesNotExist, FieldIsAForeignKeyColumnName):
            if callable(name):
                self.kind, self.attr = CALL, name
            elif hasattr(model_admin, name) and name != "__str__":
                self.kind, self.attr = CALL, getattr(model_admin, name)
            else:
                self.kind = OTHER  # a model's attribute or a path: Django's way, each row
                return
            self.empty = getattr(self.attr, "empty_value_display", empty)
            if name == "action_checkbox":
                self.classes = ["action-checkbox"]
            self.boolean = getattr(self.attr, "boolean", False)
            return
        self.kind, self.field = FIELD, field
        if field.auto_created:
            return
        if isinstance(field, (models.DateField, models.TimeField, models.ForeignKey)):
            self.classes.append("nowrap")
        if isinstance(field, models.BooleanField) and not getattr(field, "flatchoices", None):
            self.booleans = {}  # its three icons, each written once per page
        if (
            not isinstance(field.remote_field, models.ManyToOneRel)
            and field.name != "password"
            and getattr(field, "flatchoices", None)
        ):
            try:
                self.choices = dict(field.flatchoices)
            except TypeError:
                self.choices = None  # list-like choices: Django's way

    def cell(self, cl, obj, related: dict) -> tuple[object, list[str]]:
        """The cell's value as ``items_for_result`` shows it, and its classes."""
        try:
            return self._cell(cl, obj, related)
        except ObjectDoesNotExist:
            return self.default_empty, [self.base]

    def _cell(self, cl, obj, related: dict) -> tuple[object, list[str]]:
        if self.kind == CALL:
            return self._shown(self.attr(obj), self.empty, self.boolean)
        if self.kind == OTHER:
            return self._djangos(cl, obj)
        field = self.field
        if field.auto_created:
            return self._shown(getattr(obj, self.name), self.empty, False)
        value = getattr(obj, self.name)
        if isinstance(field.remote_field, models.ManyToOneRel):
            if value is None:
                return self.empty, self.classes
            # The same related row's name once per page (an edition on every row).
            key = (type(value), value.pk)
            name = related.get(key)
            if name is None:
                name = related[key] = conditional_escape(value)
            return name, self.classes
        if self.choices is not None:
            try:
                return self.choices.get(value, self.empty), self.classes
            except TypeError:
                pass
        if self.booleans is not None and (value is None or type(value) is bool):
            shown = self.booleans.get(value)
            if shown is None:
                shown = self.booleans[value] = display_for_field(value, field, self.empty)
            return shown, self.classes
        return display_for_field(value, field, self.empty, avoid_link=self.link), self.classes

    def _shown(self, value, empty, boolean) -> tuple[object, list[str]]:
        shown = display_for_value(value, empty, boolean)
        if isinstance(value, (datetime.date, datetime.time)):
            return shown, [*self.classes, "nowrap"]
        return shown, self.classes

    def _djangos(self, cl, obj) -> tuple[object, list[str]]:
        """``items_for_result`` for a column that is not a field nor a method of the admin."""
        field, attr, value = lookup_field(self.name, obj, cl.model_admin)
        empty = getattr(attr, "empty_value_display", self.default_empty)
        if field is None and isinstance(self.name, str) and LOOKUP_SEP in self.name:
            with contextlib.suppress(FieldDoesNotExist):
                field = get_fields_from_path(cl.model, self.name)[-1]
        classes = [self.base]
        if field is None or field.auto_created:
            boolean = getattr(attr, "boolean", False)
            if isinstance(attr, property) and hasattr(attr, "fget"):
                boolean = getattr(attr.fget, "boolean", False)
            if isinstance(value, (datetime.date, datetime.time)):
                classes.append("nowrap")
            return display_for_value(value, empty, boolean), classes
        if isinstance(field, (models.DateField, models.TimeField, models.ForeignKey)):
            classes.append("nowrap")
        if isinstance(field.remote_field, models.ManyToOneRel):
            return (empty if value is None else value), classes
        return display_for_field(value, field, empty, avoid_link=self.link), classes


_url_parts: dict[tuple, tuple[str, str] | None] = {}


def reverse_row(viewname: str, pk: int, kwarg: str = "pk") -> str:
    """``reverse(viewname, kwargs={kwarg: pk})`` for a view taking an integer key, as a list's
    column links each of its rows: the URL is worked out once per language and address
    prefix, then each row's key put in it."""
    key = (viewname, kwarg, get_language(), get_script_prefix(), get_urlconf())
    parts = _url_parts.get(key, False)
    if parts is False:
        url = reverse(viewname, kwargs={kwarg: int(_KEY)})
        parts = _url_parts[key] = tuple(url.split(_KEY)) if url.count(_KEY) == 1 else None
    if parts is None:
        return reverse(viewname, kwargs={kwarg: pk})
    return f"{parts[0]}{int(pk)}{parts[1]}"


def _row_url(cl):
    """``obj → its change page's URL with the list's filters``, as ``items_for_result`` makes
    it, or None where there is no such page."""
    opts = cl.opts
    context = {"preserved_filters": cl.preserved_filters, "opts": opts}
    try:
        url = reverse(
            f"admin:{opts.app_label}_{opts.model_name}_change",
            args=(_KEY,),
            current_app=cl.model_admin.admin_site.name,
        )
    except NoReverseMatch:
        return None
    full = add_preserved_filters(context, url)
    if url.count(_KEY) != 1 or not full.startswith(url):
        return lambda obj: add_preserved_filters(context, cl.url_for_result(obj))
    before, after = url.split(_KEY)
    after += full[len(url) :]
    pk_attname = cl.pk_attname
    return lambda obj: f"{before}{quote(getattr(obj, pk_attname))}{after}"


def _columns(cl) -> list[_Column]:
    empty = cl.model_admin.get_empty_value_display()
    columns, first = [], True
    for index, name in enumerate(cl.list_display):
        if cl.list_display_links is None:
            link = False
        elif first and not cl.list_display_links:
            link = True
        else:
            link = name in cl.list_display_links
        tag = "td"
        if link:
            tag = "th" if first else "td"
            first = False
        columns.append(_Column(cl, index, name, link, tag, empty))
    return columns


def rows(cl) -> list[ResultList]:
    """The list's rows as ``admin_list.results`` gives them to ``change_list_results.html``,
    each row here holding one item: its cells, written together."""
    if cl.formset or cl.is_popup:
        return list(results(cl))
    columns = _columns(cl)
    url_of = _row_url(cl) if any(column.link for column in columns) else None
    related: dict = {}
    found = []
    for obj in cl.result_list:
        cells = []
        for column in columns:
            shown, classes = column.cell(cl, obj, related)
            text = conditional_escape(shown)
            if column.link and url_of is not None:
                text = f'<a href="{escape(url_of(obj))}">{text}</a>'
            tag = column.tag
            cells.append(f'<{tag} class="{" ".join(classes)}">{text}</{tag}>')
        found.append(ResultList(None, [SafeString("".join(cells))]))
    return found
