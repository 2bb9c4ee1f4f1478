"""Back office for programmes and editions, and the admin pieces the other apps share.

The shared pieces live here because every other app may import ``programme`` (imports run
``reports → grants → organisations, programme``): the missing-translations column, read-only
status history, the edition filter and the optimistic lock on versioned rows.
"""

from __future__ import annotations

import zoneinfo

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modeltranslation import settings as mt_settings
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline
from modeltranslation.translator import translator
from modeltranslation.utils import build_localized_fieldname, get_translation_fields

from .models import (
    Edition,
    EditionFunder,
    EditionStatus,
    EditionStatusChange,
    EligibilityQuestion,
    Funder,
    Programme,
    ReportingDeadline,
    ReviewCriterion,
    Theme,
)


class TabbedTranslationAdmin(TranslationAdmin):
    """modeltranslation's ``TabbedTranslationAdmin``, with jQuery UI from our own static files.

    modeltranslation reads the jQuery UI address from a setting named ``JQUERY_UI_URL`` and
    otherwise loads it from a CDN; the project names it ``MODELTRANSLATION_JQUERY_UI_URL``.
    Subclassing modeltranslation's class would inherit its ``Media`` (the CDN address) too, so
    this repeats its media list with the local file: the back office makes no third-party request.
    """

    class Media:
        js = (
            "admin/js/jquery.init.js",
            "modeltranslation/js/force_jquery.js",
            getattr(settings, "MODELTRANSLATION_JQUERY_UI_URL", mt_settings.JQUERY_UI_URL),
            "modeltranslation/js/tabbed_translation_fields.js",
        )
        css = {"all": ("modeltranslation/css/tabbed_translation_fields.css",)}


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


class MissingTranslationsMixin:
    """Adds the ``missing_translations`` column to a changelist of translatable content."""

    @admin.display(description=_("missing translations"))
    def missing_translations(self, obj) -> str:
        return ", ".join(missing_translation_languages(obj))


class EditionListFilter(admin.RelatedFieldListFilter):
    """Filter by edition without one query per edition (an edition's name shows its programme)."""

    def field_choices(self, field, request, model_admin):
        ordering = self.field_admin_ordering(field, request, model_admin) or ("-year", "-number")
        editions = Edition.objects.select_related("programme").order_by(*ordering)
        return [(edition.pk, str(edition)) for edition in editions]


class EditionChoicesMixin:
    """Edition drop-downs name the programme: load it with the editions, not once per option."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.remote_field.model is Edition and "queryset" not in kwargs:
            kwargs["queryset"] = Edition.objects.select_related("programme")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class SelectRelatedMixin:
    """Loads ``list_select_related`` in ``get_queryset``, for every page, not only the changelist.

    The autocomplete of other pages goes through ``get_queryset`` and names each result; where
    the name reads a related row, that row must come along. (The changelist applies
    ``list_select_related`` only to a queryset that selects nothing yet, so the list is given
    here in full.)
    """

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.list_select_related)


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


# --- programme ------------------------------------------------------------------------------


@admin.register(Programme)
class ProgrammeAdmin(TabbedTranslationAdmin):
    list_display = ("name", "slug", "original_language", "created_at")
    list_filter = ("original_language",)
    search_fields = ("slug", *translated("name"))
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("created_at",)


@admin.register(Funder)
class FunderAdmin(admin.ModelAdmin):
    list_display = ("name", "website", "identifier")
    search_fields = ("name", "identifier")


@admin.register(Theme)
class ThemeAdmin(MissingTranslationsMixin, TabbedTranslationAdmin):
    list_display = ("name", "slug", "order", "missing_translations")
    search_fields = ("slug", *translated("name"))
    prepopulated_fields = {"slug": ("name",)}


class EditionFunderInline(TranslationStackedInline):
    model = EditionFunder
    fields = ("funder", "amount", "currency", "order", "acknowledgement")
    extra = 0


class ReviewCriterionInline(TranslationStackedInline):
    model = ReviewCriterion
    fields = ("name", "description", "weight", "max_score", "order")
    extra = 0


class EligibilityQuestionInline(TranslationStackedInline):
    model = EligibilityQuestion
    fields = ("text", "required_answer", "failure_reason", "order")
    extra = 0


class ReportingDeadlineInline(admin.TabularInline):
    model = ReportingDeadline
    fields = ("kind", "period_start", "period_end", "due_on")
    extra = 0


class EditionHistoryInline(HistoryInline):
    model = EditionStatusChange
    status_choices = {"edition": EditionStatus}


class EditionAdminForm(forms.ModelForm):
    """The application window is typed and shown in the call's own time zone.

    Django reads and shows datetimes in the site's time zone; applicants are told the deadline
    in the call's. The form shows the stored moments in the call's zone and reads what is typed
    in the zone chosen on the same form, so "23:59" means 23:59 where the call says.
    """

    WINDOW = ("application_opens_at", "application_closes_at")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        zone = self.instance.call_time_zone
        for name in self.WINDOW:
            value = getattr(self.instance, name, None)
            if name in self.fields and value is not None:
                # A naive value is shown as it is, not converted to the site's zone.
                self.initial[name] = timezone.make_naive(value, zone)
            if name in self.fields:
                self.fields[name].help_text = _("In the time zone of the call, below.")

    def clean(self):
        cleaned = super().clean()
        name = cleaned.get("application_time_zone") or "UTC"
        try:
            zone = zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return cleaned  # the field's own validator reports it
        for field in self.WINDOW:
            value = cleaned.get(field)
            if value is not None:
                # Read in the site's zone by the form field: take the wall-clock time typed and
                # place it in the call's zone instead.
                cleaned[field] = timezone.make_aware(timezone.make_naive(value), zone)
                setattr(self.instance, field, cleaned[field])
        return cleaned


@admin.register(Edition)
class EditionAdmin(MissingTranslationsMixin, TabbedTranslationAdmin):
    form = EditionAdminForm
    list_display = (
        "title",
        "programme",
        "year",
        "number",
        "status",
        "is_published",
        "missing_translations",
    )
    list_filter = ("programme", "status", "is_published", "year", "original_language")
    list_select_related = ("programme",)
    search_fields = ("slug", *translated("title"))
    prepopulated_fields = {"slug": ("year",)}
    readonly_fields = (*STATUS_FIELDS, "created_at", "updated_at")
    filter_horizontal = ("themes",)
    fieldsets = (
        (None, {"fields": ("programme", "number", "year", "slug", "original_language")}),
        (_("Texts"), {"fields": ("title", "introduction")}),
        (
            _("Call"),
            {
                "fields": (
                    ("period_start", "period_end"),
                    ("application_opens_at", "application_closes_at"),
                    "application_time_zone",
                    ("grant_minimum", "grant_maximum", "currency"),
                    "max_grants",
                    "themes",
                    "eligibility_rules",
                    "application_guidance",
                    "allow_multiple_applications",
                )
            },
        ),
        (
            _("Review and award"),
            {
                "fields": (
                    "min_reviewers_per_application",
                    "hide_applicant_identity",
                    "first_tranche_percent",
                )
            },
        ),
        (
            _("Status and publication"),
            {"fields": ("status", "is_published", "published_at", "created_at", "updated_at")},
        ),
    )
    inlines = (
        EditionFunderInline,
        EligibilityQuestionInline,
        ReviewCriterionInline,
        ReportingDeadlineInline,
        EditionHistoryInline,
    )


@admin.register(EditionFunder)
class EditionFunderAdmin(EditionChoicesMixin, TabbedTranslationAdmin):
    list_display = ("funder", "edition", "amount", "currency", "order")
    list_filter = (("edition", EditionListFilter), "funder")
    list_select_related = ("funder", "edition__programme")
    search_fields = ("funder__name", *translated("acknowledgement"))


@admin.register(ReviewCriterion)
class ReviewCriterionAdmin(SelectRelatedMixin, EditionChoicesMixin, TabbedTranslationAdmin):
    list_display = ("name", "edition", "weight", "max_score", "order")
    list_filter = (("edition", EditionListFilter),)
    list_select_related = ("edition__programme",)
    search_fields = translated("name")


@admin.register(EligibilityQuestion)
class EligibilityQuestionAdmin(SelectRelatedMixin, EditionChoicesMixin, TabbedTranslationAdmin):
    list_display = ("text", "edition", "required_answer", "order")
    list_filter = (("edition", EditionListFilter),)
    list_select_related = ("edition__programme",)
    search_fields = translated("text")


@admin.register(ReportingDeadline)
class ReportingDeadlineAdmin(EditionChoicesMixin, admin.ModelAdmin):
    list_display = ("edition", "kind", "period_start", "period_end", "due_on")
    list_filter = (("edition", EditionListFilter), "kind")
    list_select_related = ("edition__programme",)
    date_hierarchy = "due_on"


@admin.register(EditionStatusChange)
class EditionStatusChangeAdmin(HistoryAdmin):
    parent = "edition"
    status_choices = {"edition": EditionStatus}
    list_select_related = ("edition__programme", "actor")
    list_filter = (("edition", EditionListFilter), "role")
