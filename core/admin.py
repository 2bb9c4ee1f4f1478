"""Admin base classes every app's back office shares.

One language tab strip per form, the searchable countries selector, the missing-translations column,
read-only status history, read-only logs, the optimistic lock on versioned rows, and the
action helpers that run a service over the selected rows (directly, after asking a comment, or
after asking what a form holds: dates...) and report what it refused (a ``DomainError``'s
message) row by row.
"""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from django.forms.models import BaseInlineFormSet
from django.template.response import TemplateResponse
from django.utils.choices import BaseChoiceIterator
from django.utils.formats import date_format
from django.utils.html import conditional_escape, escape
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from django_countries.filters import CountryFilter
from modeltranslation import settings as mt_settings
from modeltranslation.admin import TranslationAdmin
from modeltranslation.translator import translator
from modeltranslation.utils import build_localized_fieldname, get_translation_fields

from .countries import country_name, distinct_codes
from .errors import DomainError
from .forms import CommentForm
from .money import format_money


class TabbedTranslationAdmin(TranslationAdmin):
    """modeltranslation's admin with one language tab strip per form (issue 12).

    modeltranslation's own tabs sit on every translated field, each opening on the default
    language: typing a page in two languages took a click per field and per row. Our strip
    (``static/admin/translation-strip.js``, no jQuery UI, nothing from a CDN) shows the whole
    form, inline rows included, in one language at a time, the original language first, and
    marks the languages still missing a text; without JavaScript every language shows.
    Fields listed in ``public_help_texts`` say where their text appears on the public site.
    """

    public_help_texts: dict[str, str] = {}

    class Media:
        js = ("admin/translation-strip.js",)
        css = {"all": ("admin/translation-strip.css",)}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        name = getattr(db_field, "translated_field", db_field).name
        if formfield is not None and name in self.public_help_texts:
            formfield.help_text = self.public_help_texts[name]
        return formfield

    def render_change_form(self, request, context, *args, **kwargs):
        context["has_translation_strip"] = True
        return super().render_change_form(request, context, *args, **kwargs)


class CarryOverMixin:
    """ "Save and add another" opens the next form with ``carry_over`` fields as the row just
    saved had them (the edition, the period, the currency...): rows entered one after another
    mostly share them, and typing them again was most of the cost of a batch (issue 12)."""

    carry_over: tuple[str, ...] = ()

    def response_add(self, request, obj, post_url_continue=None):
        response = super().response_add(request, obj, post_url_continue)
        if "_addanother" not in request.POST or not self.carry_over or "_popup" in request.POST:
            return response
        values = {}
        for name in self.carry_over:
            value = getattr(obj, obj._meta.get_field(name).attname)
            if value not in (None, ""):
                values[name] = value.isoformat() if hasattr(value, "isoformat") else value
        separator = "&" if "?" in response["Location"] else "?"
        response["Location"] += separator + urlencode(values)
        return response


class SearchableCountriesMixin:
    """A field of several countries as Django's two-list selector with a search box: typing
    a name filters some 250 countries, and choosing one never drops the others (in a plain
    list a click without Ctrl wiped the earlier choices). Without JavaScript it stays a list."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, CountryField) and db_field.multiple:
            kwargs["widget"] = FilteredSelectMultiple(db_field.verbose_name, is_stacked=False)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class ChoicesOnce(BaseChoiceIterator):
    """A model select's choices, read from the database once for all the forms of a form class.

    Django reads a ``ModelChoiceField``'s choices again each time its select is drawn, through
    a server-side cursor: an inline's select cost a query in every row and in the empty row kept
    for "Add another" (issue 14). Set as ``formfield.choices`` on a field built for one request
    (``formfield_for_foreignkey``) whose queryset no form changes afterwards; validation still
    reads the field's queryset."""

    def __init__(self, field):
        self.field = field
        self.choices = None

    def _choices(self) -> list:
        if self.choices is None:
            field = self.field
            iterator = field.iterator(field)
            blank = [("", field.empty_label)] if field.empty_label is not None else []
            self.choices = blank + [iterator.choice(obj) for obj in field.queryset]
        return self.choices

    def __iter__(self):
        return iter(self._choices())

    def __len__(self) -> int:
        return len(self._choices())

    def __deepcopy__(self, memo):
        return self  # each form's copy of the field shares the choices read once


class ParentKnownFormSet(BaseInlineFormSet):
    """An inline's formset whose rows know their parent: the page names each row, and a row
    named after its parent ("Initiative X – tranche 2") read the parent again, one query per
    row (issue 14)."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        if self.instance.pk is not None:
            setattr(form.instance, self.fk.name, self.instance)
        return form


# Fields only a workflow service may write (DESIGN.md: nothing else assigns a status).
STATUS_FIELDS = ("status",)


def translated(*names: str) -> tuple[str, ...]:
    """Every language's column of translated fields, for ``search_fields``."""
    return tuple(column for name in names for column in get_translation_fields(name))


def missing_translation_languages(obj) -> list[str]:
    """Languages lacking text for some translated field that has text in the original language.

    Reads only the row's own columns, so a changelist pays no extra query per row.
    """
    fields = translator.get_options_for_model(type(obj)).fields
    original = getattr(obj, "original_language", None) or mt_settings.DEFAULT_LANGUAGE
    written = [
        name for name in fields if getattr(obj, build_localized_fieldname(name, original), None)
    ]
    return [
        language
        for language in mt_settings.AVAILABLE_LANGUAGES
        if language != original
        and any(
            not getattr(obj, build_localized_fieldname(name, language), None) for name in written
        )
    ]


def missing_translation_q(model, language: str) -> RawSQL:
    """The rows of ``model`` that ``missing_translation_languages`` says lack ``language``, as a
    database condition (a boolean expression for ``filter()`` and an aggregate's ``filter``):
    some translated field has text in the row's original language and none in ``language`` (a
    row written in ``language`` lacks nothing). The back office's filter and the dashboard's
    counts both use it, so a count and the list behind it agree.

    Written as SQL over the model's own columns: the same condition as ``Q`` objects (an OR of
    every original language and field) cost the ORM more to compile than the database to run."""
    sql, params = _missing_translation_sql(model, language)
    return RawSQL(sql, params, output_field=BooleanField())  # noqa: S611 (columns from models)


def _missing_translation_sql(model, language: str) -> tuple[str, list[str]]:
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)

    def column(name: str) -> str:
        return f"{table}.{quote(model._meta.get_field(name).column)}"

    def written(name: str) -> str:
        return f"COALESCE({column(name)}, '') <> ''"

    def empty(name: str) -> str:
        return f"COALESCE({column(name)}, '') = ''"

    fields = translator.get_options_for_model(model).fields
    has_original = any(f.name == "original_language" for f in model._meta.get_fields())
    parts, params = [], []
    for original in mt_settings.AVAILABLE_LANGUAGES:
        if original == language:
            continue
        gap = " OR ".join(
            f"({written(build_localized_fieldname(name, original))}"
            f" AND {empty(build_localized_fieldname(name, language))})"
            for name in fields
        )
        if has_original:
            # No original language recorded: the default one.
            default = original == mt_settings.DEFAULT_LANGUAGE
            parts.append(
                f"(COALESCE({column('original_language')}, '') IN (%s{', %s' if default else ''})"
                f" AND ({gap}))"
            )
            params += [original, ""] if default else [original]
        elif original == mt_settings.DEFAULT_LANGUAGE:
            parts.append(f"({gap})")
    return f"({' OR '.join(parts) or 'FALSE'})", params


class MissingTranslationFilter(admin.SimpleListFilter):
    """Rows lacking a translation into the chosen language (the dashboard's figures lead here)."""

    title = _("missing translation")
    parameter_name = "missing_translation"

    def lookups(self, request, model_admin):
        return [(code, name) for code, name in settings.LANGUAGES]

    def queryset(self, request, queryset):
        if self.value() in dict(settings.LANGUAGES):
            return queryset.filter(missing_translation_q(queryset.model, self.value()))
        return queryset


class MissingTranslationsMixin:
    """Adds the ``missing_translations`` column to a changelist of translatable content."""

    @admin.display(description=_("missing translations"))
    def missing_translations(self, obj) -> str:
        return ", ".join(missing_translation_languages(obj))


def money_column(amount: str, currency: str, description) -> Callable:
    """A list column showing an amount with its currency ("5,000 USD") where two columns stood:
    lists must fit a 1280 px screen (issue 12)."""

    @admin.display(description=description, ordering=amount)
    def column(self, obj) -> str | None:
        value = getattr(obj, amount)
        # None: the list shows its "empty" mark, as for any other empty column.
        return None if value is None else format_money(value, getattr(obj, currency))

    return column


def country_column(field: str, description) -> Callable:
    """A list column naming a single country as Django's own column of a ``CountryField`` does:
    that one looked the name up in the field's whole list of choices (some 250 countries,
    translated) at every row, a millisecond a row (issue 14); ``country_name`` keeps the names.
    An empty or unknown code shows the list's "empty" mark, as before."""

    @admin.display(description=description, ordering=field)
    def column(self, obj) -> str | None:
        code = getattr(obj, field).code
        return (country_name(code) or None) if code else None

    return column


def period_column(start: str, end: str, description) -> Callable:
    """A list column "1 Jan 2024 – 30 Jun 2025" where two date columns stood (see above)."""

    @admin.display(description=description, ordering=start)
    def column(self, obj) -> str | None:
        first, last = getattr(obj, start), getattr(obj, end)
        if first is None or last is None:
            return None
        short = "SHORT_DATE_FORMAT"
        return f"{date_format(first, short)} – {date_format(last, short)}"

    return column


# Django's own message (its catalogue translates it): named here, not written in a gettext call,
# so that it does not become one of ours.
SELECT_ROW_LABEL = "Select this object for an action - {}"
ACTION_CHECKBOX = conditional_escape(helpers.ACTION_CHECKBOX_NAME)


class LongListMixin:
    """The back office's long lists (applications, initiatives, organisations, reports,
    disbursements, reviews): 50 rows a page, and each row's selection box written directly.

    Issue 14: rendering rows is most of such a page's cost. Django's box goes through the form
    renderer (two templates per row, a fifth of a 100-row list's time); the HTML here is the
    same, character for character (``tests/admin/test_long_lists.py``). 50 rows a page, not
    Django's 100: two screens of a 1280 px window still, half the rows to render and send
    (about 60 KB less per page); the count, filters, search and export still cover every row.
    """

    list_per_page = 50

    def action_checkbox(self, obj):
        # format_html's work, done by hand: the label's format is a translation (not escaped),
        # the row's name and key are escaped.
        label = gettext(SELECT_ROW_LABEL).format(conditional_escape(str(obj)))
        return mark_safe(  # noqa: S308 (escaped above and below)
            f'<input type="checkbox" name="{ACTION_CHECKBOX}" value="{escape(str(obj.pk))}"'
            f' class="action-select" aria-label="{label}">'
        )


class SelectRelatedMixin:
    """Loads ``list_select_related`` in ``get_queryset``, for every page, not only the changelist.

    The autocomplete of other pages goes through ``get_queryset`` and names each result; where
    the name reads a related row, that row must come along. (The changelist applies
    ``list_select_related`` only to a queryset that selects nothing yet, so the list is given
    here in full.)
    """

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.list_select_related)


class CountriesFilter(CountryFilter):
    """django-countries' filter for a field of several countries, whose choices (the countries
    in use) are found in the database instead of by reading every row's list."""

    def lookup_choices(self, changelist):
        codes = set(distinct_codes(changelist.model._default_manager.all(), self.field_path))
        for code, name in self.field.get_choices(include_blank=False):
            if code in codes:
                yield code, name


def status_label(choices: dict[str, dict[str, str]], workflow: str, value: str) -> str:
    return str(choices.get(workflow, {}).get(value, value))


class HistoryDisplayMixin:
    """Shows history rows' statuses by their label; ``status_choices`` maps workflow → choices."""

    status_choices: dict[str, type] = {}

    def _choices(self) -> dict[str, dict[str, str]]:
        return {name: dict(status.choices) for name, status in self.status_choices.items()}

    @admin.display(description=_("from"), ordering="from_status")
    def from_label(self, obj) -> str:
        return status_label(self._choices(), obj.workflow, obj.from_status)

    @admin.display(description=_("to"), ordering="to_status")
    def to_label(self, obj) -> str:
        return status_label(self._choices(), obj.workflow, obj.to_status)


class HistoryInline(HistoryDisplayMixin, admin.TabularInline):
    """Status history under its object: written by the workflow services, never by hand."""

    fields = ("created_at", "workflow", "from_label", "to_label", "actor", "role", "comment")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False
    verbose_name = _("status change")
    verbose_name_plural = _("status history")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """A log the application writes: staff may read it, nobody edits it in the back office."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class HistoryAdmin(HistoryDisplayMixin, ReadOnlyAdmin):
    """Read-only registration of a status history model; ``parent`` names its foreign key."""

    parent = ""
    list_filter = ("workflow", "role")
    date_hierarchy = "created_at"
    readonly_fields = ("from_label", "to_label")

    def get_list_display(self, request):
        return (
            "created_at",
            self.parent,
            "workflow",
            "from_label",
            "to_label",
            "actor",
            "role",
        )

    def get_fields(self, request, obj=None):
        return (
            self.parent,
            "workflow",
            "from_label",
            "to_label",
            "actor",
            "role",
            "comment",
            "created_at",
        )

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    def get_search_fields(self, request):
        return ("comment", "actor__email", "actor__full_name")


class VersionedAdminForm(forms.ModelForm):
    """Refuses to save over changes made since the form was opened (optimistic lock).

    The row's ``version`` is carried in a hidden field; saving checks it under a row lock (the
    admin saves inside a transaction) and the admin's ``save_model`` moves it on by one, so a
    portal user holding the older version is refused in turn.
    """

    read_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["read_version"].initial = self.instance.version

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk is not None:
            current = (
                type(self.instance)
                ._default_manager.select_for_update()
                .filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )
            if current != cleaned_data.get("read_version"):
                raise ValidationError(
                    _(
                        "Someone else changed this %(object)s since you opened it. "
                        "Open it again to see their changes, then make yours."
                    ),
                    code="stale",
                    params={"object": self.instance._meta.verbose_name},
                )
        return cleaned_data


class VersionedAdminMixin:
    form = VersionedAdminForm

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        # The hidden version travels with the first fieldset, or the page would not send it.
        (name, options), *others = fieldsets
        return [(name, {**options, "fields": (*options["fields"], "read_version")}), *others]

    def save_model(self, request, obj, form, change):
        if change:
            obj.version = form.cleaned_data["read_version"] + 1
        super().save_model(request, obj, form, change)


def run_for_each(modeladmin, request, queryset, step: Callable, done_message: str) -> None:
    """Take ``step`` for every selected row; report the rows it refused, with the reason."""
    done = 0
    for obj in queryset:
        try:
            step(obj)
        except DomainError as error:
            modeladmin.message_user(request, f"{obj}: {error.message}", messages.ERROR)
        else:
            done += 1
    if done:
        modeladmin.message_user(request, done_message % {"count": done}, messages.SUCCESS)


def comment_action(modeladmin, request, queryset, *, action: str, texts: dict, step: Callable):
    """An action that first asks for a comment (an intermediate page), then calls
    ``step(row, comment)`` for each selected row. ``texts`` holds "title", "intro", "button",
    "done" (with ``%(count)s``) and, optionally, "label" for the comment field."""
    form = CommentForm(
        request.POST if "apply" in request.POST else None,
        label=texts.get("label", _("Comment sent to the organisation")),
    )
    if "apply" in request.POST and form.is_valid():
        comment = form.cleaned_data["comment"]
        run_for_each(modeladmin, request, queryset, lambda obj: step(obj, comment), texts["done"])
        return None
    return TemplateResponse(
        request,
        "admin/comment_action.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": texts["title"],
            "intro": texts["intro"],
            "button": texts["button"],
            "label": form.fields["comment"].label,
            "objects": list(queryset),
            "form": form,
            "action": action,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "opts": modeladmin.model._meta,
        },
    )


def form_action(
    modeladmin, request, queryset, *, action: str, form_class, texts: dict, step: Callable
):
    """An action that first asks for what a step needs (dates, a reason: ``form_class``'s
    fields, on an intermediate page), then calls ``step(row, cleaned_data)`` for each selected
    row and reports what it refused. ``form_class`` receives the selected rows as ``objects``.
    ``texts`` holds "title", "intro", "button" and "done" (with ``%(count)s``)."""
    objects = list(queryset)
    form = form_class(request.POST if "apply" in request.POST else None, objects=objects)
    if "apply" in request.POST and form.is_valid():
        run_for_each(
            modeladmin, request, objects, lambda obj: step(obj, form.cleaned_data), texts["done"]
        )
        return None
    return TemplateResponse(
        request,
        "admin/form_action.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": texts["title"],
            "intro": texts["intro"],
            "button": texts["button"],
            "objects": objects,
            "form": form,
            "action": action,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "opts": modeladmin.model._meta,
        },
    )
