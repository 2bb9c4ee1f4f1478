"""Back office for people and organisations."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import linebreaksbr
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_countries.filters import CountryFilter

from core.admin import (
    CarryOverMixin,
    HistoryAdmin,
    HistoryInline,
    LongListMixin,
    MissingTranslationFilter,
    MissingTranslationsMixin,
    ReadOnlyAdmin,
    TabbedTranslationAdmin,
    VersionedAdminMixin,
    comment_action,
    country_column,
    run_for_each,
)
from core.errors import DomainError
from core.exports import Column, ExportMixin

from . import services, twofactor
from .forms import InvitationAdminForm
from .models import (
    Invitation,
    Membership,
    Organisation,
    OrganisationChange,
    OrganisationRelation,
    PayeeDetails,
    PayeeDetailsVersion,
    PublicProfileChange,
    PublicProfileChangeStatusChange,
    User,
)
from .selectors import is_secretariat
from .workflow import PublicChangeStatus


class EmailUserCreationForm(AdminUserCreationForm):
    """The admin's add-user form with the email address in place of a username."""

    class Meta:
        model = User
        fields = ("email", "full_name", "language")

    def clean_email(self) -> str:
        email = User.objects.normalize_email(self.cleaned_data["email"]).lower()
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError(
                _("A user with this email address already exists."), code="unique"
            )
        return email


class EmailUserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"

    def clean_email(self) -> str:
        email = User.objects.normalize_email(self.cleaned_data["email"]).lower()
        others = User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk)
        if others.exists():
            raise ValidationError(
                _("A user with this email address already exists."), code="unique"
            )
        return email


class UserMembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    fields = ("organisation", "role", "created_at")
    readonly_fields = ("created_at",)
    autocomplete_fields = ("organisation",)
    extra = 0
    verbose_name_plural = _("organisations")


# django-otp lists its devices in the back office, where one could read a device's key or add a
# device with a key of one's choosing to someone else's account. Two factors are managed
# through the person instead: their page shows the status, the "Reset two-factor
# authentication" action removes a lost device, and each person sets up their own app.
for device_model in twofactor.DEVICE_MODELS:
    if admin.site.is_registered(device_model):
        admin.site.unregister(device_model)


def personal_data_action(kind: str):
    """The action leading to the secretariat's page of one person's or organisation's
    personal data (export, erasure), which reads across the apps."""

    @admin.action(description=_("Export or erase personal data"), permissions=["change"])
    def personal_data(modeladmin, request, queryset):
        selected = list(queryset.values_list("pk", flat=True)[:2])
        if len(selected) != 1:
            modeladmin.message_user(
                request, gettext("Select one at a time for its personal data."), messages.ERROR
            )
            return None
        return redirect(reverse("secretariat:personal_data", args=[kind, selected[0]]))

    return personal_data


@admin.register(User)
class UserAdmin(ExportMixin, DjangoUserAdmin):
    form = EmailUserChangeForm
    add_form = EmailUserCreationForm
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("full_name", "language")}),
        (
            _("Permissions"),
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                )
            },
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
        (_("Two-factor authentication"), {"fields": ("two_factor",)}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "email",
                    "full_name",
                    "language",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    list_display = ("email", "full_name", "language", "is_staff", "is_active", "last_login")
    export_columns = (
        Column("pk", _("ID")),
        "email",
        "full_name",
        "language",
        "is_staff",
        "is_active",
        Column(lambda u: ", ".join(g.name for g in u.groups.all()), _("groups")),
        Column(
            lambda u: "; ".join(
                f"{m.organisation.name} ({m.get_role_display()})" for m in u.memberships.all()
            ),
            _("organisations"),
        ),
        "date_joined",
        "last_login",
    )

    def get_export_queryset(self, queryset):
        return queryset.prefetch_related("groups", "memberships__organisation")

    list_filter = ("is_staff", "is_superuser", "is_active", "groups", "language")
    search_fields = ("email", "full_name")
    ordering = ("email",)
    readonly_fields = ("last_login", "date_joined", "two_factor")
    inlines = (UserMembershipInline,)
    actions = ("reset_two_factor", personal_data_action("person"))

    @admin.display(description=_("two-factor authentication"))
    def two_factor(self, obj) -> str:
        status = twofactor.twofactor_status(obj)
        if not status.is_enrolled:
            return _("Not set up.") if status.required else _("Not required (not staff).")
        return _(
            "Set up on %(date)s. Recovery codes left: %(count)s. If the person lost their "
            "phone, another member of the secretariat selects them in the list of users and "
            "chooses “Reset two-factor authentication (lost phone)”."
        ) % {
            "date": formats.date_format(timezone.localtime(status.enrolled_at), "DATE_FORMAT"),
            "count": status.recovery_codes_left,
        }

    @admin.action(
        description=_("Reset two-factor authentication (lost phone)"), permissions=["change"]
    )
    def reset_two_factor(self, request, queryset):
        """The lost-device path: the selected people's app and recovery codes are removed, each
        is told by email and sets up an app again at the next login. Never one's own."""
        done = 0
        for user in queryset:
            try:
                twofactor.twofactor_reset(user=user, actor=request.user)
            except DomainError as error:
                self.message_user(request, error.message, messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(
                request,
                ngettext(
                    "Two-factor authentication reset for %(count)d person: they were told by "
                    "email and will set it up again at their next login.",
                    "Two-factor authentication reset for %(count)d people: they were told by "
                    "email and will set it up again at their next login.",
                    done,
                )
                % {"count": done},
                messages.SUCCESS,
            )

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        if request.user.is_superuser:
            return fields
        # Staff who may change users must not be able to raise anyone (themselves included)
        # above their own powers: only superusers grant superuser status or single permissions.
        return (*fields, "is_superuser", "user_permissions")

    def has_change_permission(self, request, obj=None) -> bool:
        # A staff member who could edit a superuser could reset their password and take over
        # the account.
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "organisation"
    fields = ("user", "role", "created_at")
    readonly_fields = ("created_at",)
    autocomplete_fields = ("user",)
    extra = 0
    verbose_name_plural = _("members")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


class OrganisationChangeInline(admin.TabularInline):
    """What members changed of the profile in the portal: read-only, newest first."""

    model = OrganisationChange
    fields = ("created_at", "actor", "field_label", "old_value", "new_value")
    readonly_fields = fields
    extra = 0
    can_delete = False
    max_num = 0
    verbose_name_plural = _("changes made in the portal")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("field"))
    def field_label(self, obj) -> str:
        return obj.field_label


class OrganisationRelationInline(admin.TabularInline):
    model = OrganisationRelation
    fk_name = "organisation"
    fields = ("kind", "related")
    autocomplete_fields = ("related",)
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("related")


class OnPublicSiteFilter(admin.SimpleListFilter):
    """Organisations with a public page: they lead a published initiative of a published
    edition (the grants app's ``published_organisations_q``, named here by the reverse
    relation, as organisations cannot import grants)."""

    title = _("on the public site")
    parameter_name = "public"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        public = Organisation.objects.filter(
            initiatives__is_published=True, initiatives__edition__is_published=True
        ).values("pk")
        if self.value() == "yes":
            return queryset.filter(pk__in=public)
        if self.value() == "no":
            return queryset.exclude(pk__in=public)
        return queryset


@admin.register(Organisation)
class OrganisationAdmin(
    LongListMixin,
    ExportMixin,
    VersionedAdminMixin,
    MissingTranslationsMixin,
    CarryOverMixin,
    TabbedTranslationAdmin,
):
    carry_over = ("kind", "original_language")
    public_help_texts = {
        "description": _(
            "The organisation's presentation on its public page and under each initiative it "
            "leads on the edition's page."
        ),
    }
    list_display = (
        "name",
        "acronym",
        "kind",
        "country_name",
        "city",
        "original_language",
        "missing_translations",
    )
    country_name = country_column("country", Organisation._meta.get_field("country").verbose_name)
    list_filter = (
        "kind",
        ("country", CountryFilter),
        "original_language",
        "is_at_risk",
        OnPublicSiteFilter,
        MissingTranslationFilter,
    )
    search_fields = ("name", "acronym", "slug", "city", "email", "identifier")
    export_columns = (
        Column("pk", _("ID")),
        "name",
        "acronym",
        "kind",
        "country",
        "city",
        "founded_year",
        "website",
        "email",
        "identifier",
        "original_language",
        "is_at_risk",
    )
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("created_at", "updated_at", "invite")
    fieldsets = (
        (None, {"fields": ("name", "acronym", "slug", "kind", "identifier")}),
        (_("Where"), {"fields": ("country", "city", "founded_year")}),
        (_("Contact"), {"fields": ("website", "email", "phone")}),
        (_("Presentation"), {"fields": ("original_language", "description")}),
        (_("Protection"), {"fields": ("is_at_risk",)}),
        (_("People"), {"fields": ("invite",)}),
        (_("Record"), {"fields": ("created_at", "updated_at")}),
    )
    inlines = (MembershipInline, OrganisationRelationInline, OrganisationChangeInline)
    actions = (personal_data_action("organisation"),)

    @admin.display(description=_("invite a person"))
    def invite(self, obj) -> str:
        if obj is None or obj.pk is None:
            return _("Save the organisation first, then invite its people.")
        # The invitation's add page sends the email through invitation_create.
        url = reverse("admin:organisations_invitation_add")
        return format_html(
            '<a class="button" href="{}?organisation={}">{}</a>',
            url,
            obj.pk,
            _("Invite a person to this organisation"),
        )


@admin.register(OrganisationRelation)
class OrganisationRelationAdmin(admin.ModelAdmin):
    list_display = ("organisation", "kind", "related")
    list_filter = ("kind",)
    list_select_related = ("organisation", "related")
    search_fields = ("organisation__name", "related__name")
    autocomplete_fields = ("organisation", "related")


@admin.register(Membership)
class MembershipAdmin(ExportMixin, admin.ModelAdmin):
    list_display = ("user", "organisation", "role", "created_at")
    export_columns = (
        Column("pk", _("ID")),
        Column("user.email", _("email address")),
        Column("user.full_name", _("full name")),
        Column("organisation.name", _("organisation")),
        "role",
        "created_at",
    )
    list_filter = ("role",)
    list_select_related = ("user", "organisation")
    search_fields = (
        "user__email",
        "user__full_name",
        "organisation__name",
        "organisation__acronym",
    )
    autocomplete_fields = ("user", "organisation")
    date_hierarchy = "created_at"


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = (
        "email",
        "organisation",
        "role",
        "language",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
    )
    list_filter = ("role", "language")
    list_select_related = ("organisation", "invited_by")
    search_fields = ("email", "organisation__name", "organisation__acronym")
    autocomplete_fields = ("organisation", "invited_by")
    date_hierarchy = "created_at"
    # Accepting is the invitee's act; the token is a secret and never shown.
    readonly_fields = ("accepted_at", "accepted_by")
    add_form = InvitationAdminForm

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            # A new invitation is made by invitation_create, which sets the token and the
            # dates and sends the email; the secretariat says who and where.
            kwargs["form"] = self.add_form
            kwargs["fields"] = self.add_form._meta.fields
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        return self.add_form._meta.fields if obj is None else super().get_fields(request, obj)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("language", "en")
        return initial

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        invitation = services.invitation_create(
            organisation=form.cleaned_data["organisation"],
            email=form.cleaned_data["email"],
            invited_by=request.user,
            role=form.cleaned_data["role"],
            language=form.cleaned_data["language"],
        )
        # The admin goes on with ``obj`` (its log entry, the next page): make it the row made.
        obj.__dict__.update(
            {key: value for key, value in invitation.__dict__.items() if key != "_state"}
        )
        obj._state.adding = False

    fields = (
        "organisation",
        "email",
        "role",
        "language",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "accepted_by",
    )


@admin.register(OrganisationChange)
class OrganisationChangeAdmin(ReadOnlyAdmin):
    """Every change members made to their organisation's profile, and who joined or left."""

    list_display = ("created_at", "organisation", "field_label", "actor")
    list_filter = ("field",)
    list_select_related = ("organisation", "actor")
    search_fields = ("organisation__name", "actor__email", "old_value", "new_value")
    date_hierarchy = "created_at"
    fields = ("organisation", "actor", "field_label", "old_value", "new_value", "created_at")
    readonly_fields = fields

    @admin.display(description=_("field"))
    def field_label(self, obj) -> str:
        return obj.field_label


class PublicChangeHistoryInline(HistoryInline):
    model = PublicProfileChangeStatusChange
    status_choices = {"public_change": PublicChangeStatus}


class PendingFirst(admin.SimpleListFilter):
    """The queue: pending proposals unless another status is chosen."""

    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return PublicChangeStatus.choices + [("all", _("All"))]

    def choices(self, changelist):
        for value, label in self.lookup_choices:
            selected = self.value() == value or (
                self.value() is None and value == PublicChangeStatus.PENDING
            )
            yield {
                "selected": selected,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request, queryset):
        value = self.value() or PublicChangeStatus.PENDING
        return queryset if value == "all" else queryset.filter(status=value)


@admin.action(description=_("Approve the selected changes (the public pages show them)"))
def approve_public_changes(modeladmin, request, queryset):
    run_for_each(
        modeladmin,
        request,
        queryset.select_related("organisation"),
        lambda change: services.public_change_approve(change=change, actor=request.user),
        gettext("Changes approved: %(count)s."),
    )


@admin.action(description=_("Reject the selected changes, saying why"))
def reject_public_changes(modeladmin, request, queryset):
    return comment_action(
        modeladmin,
        request,
        queryset.select_related("organisation"),
        action="reject_public_changes",
        texts={
            "title": gettext("Reject changes to public profiles"),
            "intro": gettext(
                "The public pages keep the approved text. The organisation is told, with your "
                "reason, and keeps what it typed."
            ),
            "button": gettext("Reject the changes"),
            "done": gettext("Changes rejected: %(count)s."),
            "label": gettext("Reason sent to the organisation"),
        },
        step=lambda change, reason: services.public_change_reject(
            change=change, actor=request.user, comment=reason
        ),
    )


@admin.register(PublicProfileChange)
class PublicProfileChangeAdmin(admin.ModelAdmin):
    """The queue of changes members proposed to what the public reads of their organisation:
    what the public reads now beside what is proposed, approved or rejected with the actions."""

    list_display = ("organisation", "comparison_table", "proposed_by", "updated_at", "status")
    list_filter = (PendingFirst,)
    list_select_related = ("organisation", "proposed_by")
    search_fields = ("organisation__name", "organisation__acronym")
    date_hierarchy = "updated_at"
    fields = (
        "organisation",
        "status",
        "comparison_table",
        "proposed_by",
        "created_at",
        "updated_at",
    )
    readonly_fields = fields
    inlines = (PublicChangeHistoryInline,)
    actions = (approve_public_changes, reject_public_changes)

    def has_add_permission(self, request) -> bool:
        return False  # proposals come from the portal

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("public now → proposed"))
    def comparison_table(self, obj) -> str:
        rows = format_html_join(
            "",
            '<tr><th scope="row">{}</th><td>{}</td><td>{}</td></tr>',
            (
                (label, linebreaksbr(now) or "—", linebreaksbr(proposed) or "—")
                for label, now, proposed in obj.comparison()
            ),
        )
        return format_html(
            '<table class="public-change"><thead><tr><th scope="col">{}</th>'
            '<th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>{}</tbody></table>',
            _("field"),
            _("public now"),
            _("proposed"),
            rows,
        )


@admin.register(PublicProfileChangeStatusChange)
class PublicProfileChangeStatusChangeAdmin(HistoryAdmin):
    parent = "change"
    status_choices = {"public_change": PublicChangeStatus}
    list_select_related = ("change__organisation", "actor")


def _shown(version, name: str) -> str:
    """A value of a version of bank details as people read it (the country by its name)."""
    if version is None:
        return ""
    value = getattr(version, name)
    return str(value.name) if name == "country" else str(value)


@admin.register(PayeeDetails)
class PayeeDetailsAdmin(ReadOnlyAdmin):
    """Bank details, entered by the organisations in the portal: the list shows them masked;
    the full details are on the verification page, where a member of the secretariat who did
    not enter them verifies them (four eyes)."""

    list_display = (
        "organisation",
        "account_holder",
        "bank",
        "account",
        "account_currency",
        "verification",
        "saved_at",
    )
    list_select_related = ("organisation", "current")
    list_filter = (("current__verified_at", admin.EmptyFieldListFilter),)
    search_fields = ("organisation__name", "organisation__acronym", "current__account_holder")
    fields = (
        "organisation",
        "account_holder",
        "bank",
        "account",
        "account_currency",
        "verification",
    )
    readonly_fields = fields

    @admin.display(description=_("account holder"))
    def account_holder(self, obj) -> str:
        return obj.current.account_holder if obj.current else "—"

    @admin.display(description=_("bank"))
    def bank(self, obj) -> str:
        return obj.current.bank_name if obj.current else "—"

    @admin.display(description=_("IBAN or account number"))
    def account(self, obj) -> str:
        return obj.current.masked_account_number if obj.current else "—"

    @admin.display(description=_("currency"))
    def account_currency(self, obj) -> str:
        return obj.current.currency if obj.current else "—"

    @admin.display(description=_("saved at"), ordering="current__created_at")
    def saved_at(self, obj):
        return obj.current.created_at if obj.current else None

    @admin.display(description=_("verification"))
    def verification(self, obj) -> str:
        """Verified (by whom is on the page), or a link to the page that verifies them."""
        if obj.current is None:
            return "—"
        if obj.current.is_verified:
            return _("Verified")
        return format_html(
            '<a class="button" href="{}">{}</a>',
            reverse("admin:organisations_payeedetails_verify", args=[obj.pk]),
            _("Verify the bank details"),
        )

    def get_urls(self):
        return [
            path(
                "<path:object_id>/verify/",
                self.admin_site.admin_view(self.verify_view),
                name="organisations_payeedetails_verify",
            ),
            *super().get_urls(),
        ]

    def verify_view(self, request, object_id):
        """The full bank details, beside the last verified version, and the button that
        verifies them (``payee_details_verify``: never by someone who entered them)."""
        if not is_secretariat(request.user):
            raise PermissionDenied
        payee = get_object_or_404(
            PayeeDetails.objects.select_related("organisation", "current__created_by"),
            pk=object_id,
        )
        if request.method == "POST":
            version = request.POST.get("version", "")
            try:
                services.payee_details_verify(
                    payee=payee,
                    actor=request.user,
                    version=int(version) if version.isdigit() else -1,
                )
            except DomainError as error:
                self.message_user(request, error.message, messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("The bank details of %(organisation)s are verified.")
                    % {"organisation": payee.organisation.name},
                    messages.SUCCESS,
                )
                return redirect("admin:organisations_payeedetails_changelist")
            return redirect("admin:organisations_payeedetails_verify", object_id=payee.pk)
        versions = list(payee.versions.select_related("created_by", "verified_by"))
        previous = next((v for v in versions if v.is_verified and v.pk != payee.current_id), None)
        return TemplateResponse(
            request,
            "admin/organisations/payeedetails/verify.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Verify the bank details of %(organisation)s")
                % {"organisation": payee.organisation.name},
                "opts": self.model._meta,
                "payee": payee,
                "current": payee.current,
                "previous": previous,
                "versions": versions,
                "rows": [
                    {
                        "name": name,
                        "label": PayeeDetailsVersion._meta.get_field(name).verbose_name,
                        "value": _shown(payee.current, name),
                        "previous": _shown(previous, name),
                    }
                    for name in services.PAYEE_FIELDS
                ],
            },
        )


@admin.register(PayeeDetailsVersion)
class PayeeDetailsVersionAdmin(ReadOnlyAdmin):
    """Every version of every organisation's bank details (account numbers masked)."""

    list_display = (
        "payee",
        "number",
        "account",
        "currency",
        "created_by",
        "created_at",
        "verified_by",
    )
    list_select_related = ("payee__organisation", "created_by", "verified_by")
    list_filter = (("verified_at", admin.EmptyFieldListFilter),)
    search_fields = ("payee__organisation__name", "account_holder", "bank_name")
    date_hierarchy = "created_at"
    fields = (
        "payee",
        "number",
        "account_holder",
        "bank_name",
        "account",
        "swift_bic",
        "country",
        "currency",
        "created_by",
        "created_at",
        "verified_by",
        "verified_at",
    )
    readonly_fields = fields

    @admin.display(description=_("IBAN or account number"))
    def account(self, obj) -> str:
        return obj.masked_account_number
