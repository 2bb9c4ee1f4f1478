"""Back office for programmes, funders, themes and editions (with their call, criteria,
eligibility questions, reporting schedule, tranche plan and grant agreement template), and the
edition filters the other apps' back office uses.

An edition's status moves only through the actions of the list of editions (one per step of
its table, each calling its service); its call's window is set by those actions too, and can be
edited on the edition's page only while the call is open (to move the deadline)."""

from __future__ import annotations

import zoneinfo

from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationStackedInline

from core.admin import (
    STATUS_FIELDS,
    HistoryAdmin,
    HistoryInline,
    MissingTranslationFilter,
    MissingTranslationsMixin,
    SelectRelatedMixin,
    TabbedTranslationAdmin,
    form_action,
    run_for_each,
    translated,
)
from core.admin_filters import SharedChoicesFilter, share_filter_choices

from .models import (
    AgreementTemplate,
    CallState,
    Edition,
    EditionFunder,
    EditionStatusChange,
    EligibilityQuestion,
    Funder,
    Programme,
    ReportingDeadline,
    ReviewCriterion,
    Theme,
    ThemeSector,
    TranchePlanLine,
    tranche_plan_problem,
)
from .services import (
    edition_close,
    edition_close_call,
    edition_open_call,
    edition_reopen_call,
    edition_start_running,
)
from .workflow import EditionStatus

# The names the back office's filters show: an edition's reads its programme's.
share_filter_choices(Edition, Programme, Theme)


# What an edition's name reads (``Edition.__str__``): its years and its programme's name (in
# every language, for the fallback), not the long texts of either (issue 14).
EDITION_NAME_COLUMNS = (
    "year",
    "period_end",
    "programme__original_language",
    *(f"programme__{column}" for column in translated("name")),
)


class EditionListFilter(SharedChoicesFilter):
    """Filter by edition without one query per edition (an edition's name shows its programme);
    the names are kept for everyone (``core.admin_filters``)."""

    def read_choices(self, field, request, model_admin):
        ordering = self.field_admin_ordering(field, request, model_admin) or ("-year", "-number")
        editions = (
            Edition.objects.select_related("programme")
            .only(*EDITION_NAME_COLUMNS)
            .order_by(*ordering)
        )
        return [(edition.pk, str(edition)) for edition in editions]


class EditionChoicesMixin:
    """Edition drop-downs name the programme: load it with the editions, not once per option."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.remote_field.model is Edition and "queryset" not in kwargs:
            kwargs["queryset"] = Edition.objects.select_related("programme")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


# --- programme ------------------------------------------------------------------------------


@admin.register(Programme)
class ProgrammeAdmin(TabbedTranslationAdmin):
    list_display = ("name", "slug", "contact_email", "original_language", "created_at")
    list_filter = ("original_language",)
    search_fields = ("slug", *translated("name"))
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("created_at",)
    fieldsets = (
        (
            None,
            {"fields": ("name", "slug", "short_description", "description", "original_language")},
        ),
        (_("Branding"), {"fields": ("logo", "primary_colour", "tint_colour")}),
        (_("Emails"), {"fields": ("sender_name", "contact_email")}),
        (None, {"fields": ("created_at",)}),
    )


@admin.register(Funder)
class FunderAdmin(admin.ModelAdmin):
    list_display = ("name", "website", "identifier")
    search_fields = ("name", "identifier")


class ThemeSectorInline(admin.TabularInline):
    model = ThemeSector
    fields = ("vocabulary", "code")
    extra = 0


@admin.register(ThemeSector)
class ThemeSectorAdmin(admin.ModelAdmin):
    list_display = ("theme", "vocabulary", "code")
    list_filter = ("vocabulary",)
    list_select_related = ("theme",)
    search_fields = ("code",)


@admin.register(Theme)
class ThemeAdmin(MissingTranslationsMixin, TabbedTranslationAdmin):
    list_display = ("name", "slug", "order", "missing_translations")
    search_fields = ("slug", *translated("name"))
    prepopulated_fields = {"slug": ("name",)}
    inlines = (ThemeSectorInline,)


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


class TranchePlanFormSet(forms.BaseInlineFormSet):
    """The edition's tranche plan is saved only when its lines add up to 100 % (an empty plan
    keeps the default: 70 % on signature, 30 % when the final report is accepted)."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [
            form.cleaned_data.get("percent")
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        if kept and (problem := tranche_plan_problem(kept)):
            raise forms.ValidationError(problem, code="tranche_plan_total")


class TranchePlanInline(admin.TabularInline):
    model = TranchePlanLine
    formset = TranchePlanFormSet
    fields = ("order", "percent", "condition")
    extra = 0


class AgreementTemplateInline(TranslationStackedInline):
    """The edition's grant agreement: its texts around the particulars each grant fills in."""

    model = AgreementTemplate
    fields = ("title", "preamble", "clauses")
    extra = 0
    max_num = 1
    can_delete = True


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
        self._check_open_call(cleaned)
        return cleaned

    def _check_open_call(self, cleaned) -> None:
        """While the call is open its window can move, but not away: closing it is a step of
        its own (the action), which records who closed it and when."""
        if self.instance.status != EditionStatus.CALL_OPEN or "application_closes_at" not in (
            self.fields
        ):
            return
        for field in self.WINDOW:
            if field in self.fields and cleaned.get(field) is None and field not in self.errors:
                self.add_error(field, _("An open call needs its opening and its closing."))
        closes = cleaned.get("application_closes_at")
        if closes is not None and closes <= timezone.now():
            self.add_error(
                "application_closes_at",
                _("To close the call now, use the action “Close the call” of the list."),
            )


# --- the edition's lifecycle: one action per step of its table -------------------------------


def typed_in_call_zone(edition: Edition, value):
    """A moment typed on an action's page, read as wall-clock time where the edition's call is."""
    if value is None:
        return None
    return timezone.make_aware(timezone.make_naive(value), edition.call_time_zone)


class LifecycleForm(forms.Form):
    """What a step of the edition's lifecycle asks for (the comment kept in its history)."""

    comment = forms.CharField(
        label=_("Comment kept in the edition's history"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, objects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.objects = objects


def moment_field(label, *, required: bool = True, help_text=""):
    return forms.DateTimeField(
        label=label,
        required=required,
        help_text=help_text or _("In the time zone of each edition's call."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class OpenCallForm(LifecycleForm):
    opens_at = moment_field(
        _("Applications open at"),
        required=False,
        help_text=_("Empty: now. In the time zone of each edition's call."),
    )
    closes_at = moment_field(_("Applications close at"))
    field_order = ("opens_at", "closes_at", "comment")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["comment"]  # opening is what the dates say


class ReopenCallForm(LifecycleForm):
    closes_at = moment_field(_("Applications now close at"))
    field_order = ("closes_at", "comment")


@admin.action(description=_("Open the call of the selected editions"))
def open_call(modeladmin, request, queryset):
    return form_action(
        modeladmin,
        request,
        queryset,
        action="open_call",
        form_class=OpenCallForm,
        texts={
            "title": gettext("Open the call"),
            "intro": gettext(
                "The call of each edition below opens (now, or at the moment given) and takes "
                "applications until it closes. The edition must be published."
            ),
            "button": gettext("Open the call"),
            "done": gettext("%(count)s calls opened."),
        },
        step=lambda edition, data: edition_open_call(
            edition=edition,
            actor=request.user,
            opens_at=typed_in_call_zone(edition, data["opens_at"]),
            closes_at=typed_in_call_zone(edition, data["closes_at"]),
        ),
    )


@admin.action(description=_("Close the call of the selected editions now (before its deadline)"))
def close_call(modeladmin, request, queryset):
    return form_action(
        modeladmin,
        request,
        queryset,
        action="close_call",
        form_class=LifecycleForm,
        texts={
            "title": gettext("Close the call"),
            "intro": gettext(
                "The call of each edition below closes now and the edition moves to review: "
                "its deadline becomes this moment, and drafts can no longer be submitted. "
                "(At its deadline a call closes on its own.)"
            ),
            "button": gettext("Close the call now"),
            "done": gettext("%(count)s calls closed."),
        },
        step=lambda edition, data: edition_close_call(
            edition=edition, actor=request.user, comment=data["comment"]
        ),
    )


@admin.action(description=_("Reopen the call of the selected editions (a new closing date)"))
def reopen_call(modeladmin, request, queryset):
    return form_action(
        modeladmin,
        request,
        queryset,
        action="reopen_call",
        form_class=ReopenCallForm,
        texts={
            "title": gettext("Reopen the call"),
            "intro": gettext(
                "The call of each edition below, in review, takes applications again until "
                "the new closing date."
            ),
            "button": gettext("Reopen the call"),
            "done": gettext("%(count)s calls reopened."),
        },
        step=lambda edition, data: edition_reopen_call(
            edition=edition,
            actor=request.user,
            closes_at=typed_in_call_zone(edition, data["closes_at"]),
            comment=data["comment"],
        ),
    )


@admin.action(description=_("Mark the selected editions as running (decisions taken)"))
def start_running(modeladmin, request, queryset):
    run_for_each(
        modeladmin,
        request,
        queryset,
        lambda edition: edition_start_running(edition=edition, actor=request.user),
        gettext("%(count)s editions are now running."),
    )


@admin.action(description=_("Close the selected editions (every initiative finished)"))
def close_editions(modeladmin, request, queryset):
    run_for_each(
        modeladmin,
        request,
        queryset,
        lambda edition: edition_close(edition=edition, actor=request.user),
        gettext("%(count)s editions closed."),
    )


@admin.register(Edition)
class EditionAdmin(MissingTranslationsMixin, TabbedTranslationAdmin):
    form = EditionAdminForm
    list_display = (
        "title",
        "name",
        "status",
        "call",
        "is_published",
        "missing_translations",
    )
    public_help_texts = {
        "title": _(
            "The heading of the edition's public page and its name in the list of editions."
        ),
        "introduction": _(
            "The opening text of the edition's public page; its first lines also on the home "
            "page and in search engines."
        ),
    }
    list_filter = (
        "programme",
        "track",
        "status",
        "is_published",
        "year",
        "original_language",
        MissingTranslationFilter,
    )
    actions = (open_call, close_call, reopen_call, start_running, close_editions)
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
                    "track",
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
        TranchePlanInline,
        AgreementTemplateInline,
        EditionHistoryInline,
    )

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if obj is None or obj.status != EditionStatus.CALL_OPEN:
            # The actions open and close the call; only an open call's window is edited here.
            readonly = (*readonly, *EditionAdminForm.WINDOW)
        return readonly

    @admin.display(description=_("edition"), ordering="year")
    def name(self, obj: Edition) -> str:
        return obj.name

    @admin.display(description=_("call"))
    def call(self, obj: Edition) -> str:
        return CallState(obj.call_state()).label


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


@admin.register(TranchePlanLine)
class TranchePlanLineAdmin(EditionChoicesMixin, admin.ModelAdmin):
    """The lines one by one; the edition's page checks that they add up to 100 %, and so does
    the award (a plan changed here that does not is refused when a grant is awarded)."""

    list_display = ("edition", "order", "percent", "condition")
    list_filter = (("edition", EditionListFilter), "condition")
    list_select_related = ("edition__programme",)


@admin.register(AgreementTemplate)
class AgreementTemplateAdmin(
    SelectRelatedMixin, EditionChoicesMixin, MissingTranslationsMixin, TabbedTranslationAdmin
):
    list_display = ("__str__", "edition", "updated_at", "missing_translations")
    list_filter = (("edition", EditionListFilter),)
    list_select_related = ("edition__programme",)
    search_fields = translated("title", "clauses")
    fields = ("edition", "title", "preamble", "clauses", "updated_at")
    readonly_fields = ("updated_at",)


@admin.register(EditionStatusChange)
class EditionStatusChangeAdmin(HistoryAdmin):
    parent = "edition"
    status_choices = {"edition": EditionStatus}
    list_select_related = ("edition__programme", "actor")
    list_filter = (("edition", EditionListFilter), "role")
