"""The back office: every model reachable by the secretariat, history read-only, no status input,
missing translations shown, reviewers kept out, and changelists that do not grow in queries."""

import datetime
import importlib
import re
from decimal import Decimal

import pytest
from django.apps import apps as global_apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.admin import missing_translation_languages
from grants.models import (
    Activity,
    Application,
    ApplicationAttachment,
    ApplicationStatusChange,
    BudgetLine,
    Disbursement,
    DisbursementStatusChange,
    Indicator,
    Initiative,
    InitiativeStatusChange,
    LineOfAction,
    Review,
    ReviewAssignment,
    ReviewScore,
)
from notifications.models import Notification
from organisations.models import (
    Invitation,
    Membership,
    Organisation,
    OrganisationChange,
    OrganisationRelation,
    User,
)
from programme.models import (
    Edition,
    EditionFunder,
    EditionStatusChange,
    EligibilityQuestion,
    Funder,
    Programme,
    ReportingDeadline,
    ReviewCriterion,
    Theme,
)
from reports.models import (
    ActivityProgress,
    Attachment,
    IndicatorValue,
    Narrative,
    Reminder,
    Report,
    ReportStatusChange,
    ReportVersion,
    ReviewComment,
    Spending,
)

pytestmark = pytest.mark.django_db

# Rows the application writes and nobody edits: read-only in the back office.
HISTORY_MODELS = {
    EditionStatusChange,
    ApplicationStatusChange,
    InitiativeStatusChange,
    DisbursementStatusChange,
    ReportStatusChange,
    ReportVersion,
    Reminder,
    Notification,
    OrganisationChange,
    ReviewComment,
}

TODAY = datetime.date(2024, 6, 1)


# --- fixtures -----------------------------------------------------------------------------------


def staff_group(name: str) -> Group:
    """The group made by organisations/0002_groups, remade if a transactional test flushed it."""
    if not Group.objects.filter(name=name).exists():
        migration = importlib.import_module("organisations.migrations.0002_groups")
        migration.create_groups(global_apps, None)
    return Group.objects.get(name=name)


def staff_user(email: str, group: str) -> User:
    user = User.objects.create_user(email=email, password="a-long-test-password", is_staff=True)
    user.groups.add(staff_group(group))
    return user


@pytest.fixture
def secretary() -> User:
    return staff_user("secretary@example.org", "Secretariat")


@pytest.fixture
def reviewer() -> User:
    return staff_user("reviewer@example.org", "Reviewer")


@pytest.fixture
def secretariat_client(client, secretary):
    client.force_login(secretary)
    return client


@pytest.fixture
def reviewer_client(client, reviewer):
    client.force_login(reviewer)
    return client


def make_edition(number: int = 1, **texts) -> Edition:
    programme, _ = Programme.objects.get_or_create(
        slug="initiatives", defaults={"name_en": "Initiatives Programme"}
    )
    texts.setdefault("title_en", f"Initiatives Programme {2020 + number}")
    return Edition.objects.create(
        programme=programme,
        number=number,
        year=2020 + number,
        slug=str(2020 + number),
        period_start=datetime.date(2020 + number, 1, 1),
        period_end=datetime.date(2020 + number, 12, 31),
        **texts,
    )


def make_initiative(
    edition: Edition, organisation: Organisation, n: int = 1, **extra
) -> Initiative:
    return Initiative.objects.create(
        edition=edition,
        lead_organisation=organisation,
        title_en=f"Initiative {n}",
        slug=f"initiative-{n}",
        countries=["FR", "SN"],
        amount_awarded=Decimal("5000.00"),
        period_start=edition.period_start,
        period_end=edition.period_end,
        **extra,
    )


def build_dataset(n: int, reviewer: User) -> dict:
    """One row of every model, linked the way the application links them; ``n`` keeps it apart."""
    edition = make_edition(number=n, introduction_en="An edition.")
    theme = Theme.objects.create(name_en=f"Theme {n}", slug=f"theme-{n}")
    edition.themes.add(theme)
    funder = Funder.objects.create(name=f"Foundation {n}")
    EditionFunder.objects.create(edition=edition, funder=funder, acknowledgement_en="Thanks.")
    criterion = ReviewCriterion.objects.create(edition=edition, name_en="Relevance")
    EligibilityQuestion.objects.create(edition=edition, text_en="Are you a registered group?")
    ReportingDeadline.objects.create(
        edition=edition,
        kind="interim",
        period_start=TODAY,
        period_end=TODAY,
        due_on=TODAY + datetime.timedelta(days=30),
    )
    EditionStatusChange.objects.create(
        edition=edition, workflow="edition", from_status="draft", to_status="call_open"
    )

    organisation = Organisation.objects.create(
        name=f"Acción Andina {n}", slug=f"accion-andina-{n}", country="PE", description_en="Hi."
    )
    sister = Organisation.objects.create(name=f"Sister {n}", slug=f"sister-{n}", country="BO")
    OrganisationRelation.objects.create(organisation=organisation, related=sister, kind="sister")
    member = User.objects.create_user(email=f"member{n}@example.org", full_name="Ana Member")
    Membership.objects.create(user=member, organisation=organisation, role="admin")
    Invitation.objects.create(
        organisation=organisation,
        email=f"new{n}@example.org",
        expires_at=timezone.now() + datetime.timedelta(days=7),
    )

    application = Application.objects.create(
        edition=edition, organisation=organisation, title=f"Rights in the Andes {n}"
    )
    ApplicationStatusChange.objects.create(
        application=application, workflow="application", from_status="draft", to_status="submitted"
    )
    ApplicationAttachment.objects.create(
        application=application,
        file=f"private/applications/{application.pk}/budget.pdf",
        original_name="budget.pdf",
        content_type="application/pdf",
        size=1234,
    )
    assignment = ReviewAssignment.objects.create(
        application=application, reviewer=reviewer, conflict=ReviewAssignment.Conflict.NONE
    )
    review = Review.objects.create(assignment=assignment, recommendation="yes")
    ReviewScore.objects.create(review=review, criterion=criterion, score=4)

    initiative = make_initiative(edition, organisation, n=n, application=application)
    InitiativeStatusChange.objects.create(
        initiative=initiative, workflow="workplan", from_status="draft", to_status="submitted"
    )
    line = LineOfAction.objects.create(initiative=initiative, title_en=f"Training {n}")
    activity = Activity.objects.create(initiative=initiative, line_of_action=line, title="Workshop")
    indicator = Indicator.objects.create(
        initiative=initiative, line_of_action=line, name="People trained", target=20
    )
    budget_line = BudgetLine.objects.create(
        initiative=initiative, line_of_action=line, category="Venue", amount=Decimal("1000")
    )
    disbursement = Disbursement.objects.create(
        initiative=initiative, tranche=1, amount=Decimal("2500")
    )
    DisbursementStatusChange.objects.create(
        disbursement=disbursement,
        workflow="disbursement",
        from_status="planned",
        to_status="payable",
    )

    report = Report.objects.create(
        initiative=initiative,
        kind="interim",
        period_start=TODAY,
        period_end=TODAY,
        due_on=TODAY + datetime.timedelta(days=30),
    )
    ReportStatusChange.objects.create(
        report=report, workflow="report", from_status="scheduled", to_status="draft"
    )
    Narrative.objects.create(report=report, line_of_action=line, text="We trained people.")
    ActivityProgress.objects.create(report=report, activity=activity, percent_complete=50)
    IndicatorValue.objects.create(report=report, indicator=indicator, value=Decimal("12"))
    Spending.objects.create(report=report, budget_line=budget_line, amount=Decimal("400"))
    Attachment.objects.create(
        report=report,
        file=f"private/reports/{report.pk}/photo.jpg",
        original_name="photo.jpg",
        content_type="image/jpeg",
        size=1234,
        uploaded_by=member,
    )
    version = ReportVersion.objects.create(
        report=report, number=1, content={}, status="draft", created_by=member
    )
    ReviewComment.objects.create(
        report=report, version=version, section="challenges", text="Say more.", author=member
    )
    OrganisationChange.objects.create(
        organisation=organisation, actor=member, field="website", new_value="https://a.example"
    )
    Reminder.objects.create(report=report, recipient=member, kind="due_14")
    Notification.objects.create(
        kind="invitation", key="invitation:admin-test", recipient=member, email=member.email
    )
    return {
        "edition": edition,
        "initiative": initiative,
        "application": application,
        "report": report,
        "member": member,
    }


@pytest.fixture
def dataset(reviewer) -> dict:
    return build_dataset(1, reviewer)


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def request_as(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


# --- the secretariat reaches every model ------------------------------------------------------


def test_every_model_of_the_domain_apps_is_registered():
    registered = set(admin.site._registry)
    for label in ("programme", "organisations", "grants", "reports"):
        for model in global_apps.get_app_config(label).get_models():
            assert model in registered, model


@pytest.mark.parametrize("with_data", [False, True], ids=["empty", "with-data"])
def test_secretariat_opens_every_changelist(request, secretariat_client, with_data):
    if with_data:
        request.getfixturevalue("dataset")
    failures = {
        model.__name__: response.status_code
        for model in admin.site._registry
        if (response := secretariat_client.get(admin_url(model, "changelist"))).status_code != 200
    }
    assert failures == {}


def test_secretariat_opens_every_add_page_but_not_history(secretariat_client, secretary):
    request = request_as(secretary)
    not_addable = set()
    failures = {}
    for model, model_admin in admin.site._registry.items():
        if not model_admin.has_add_permission(request):
            not_addable.add(model)
            assert secretariat_client.get(admin_url(model, "add")).status_code == 403, model
            continue
        response = secretariat_client.get(admin_url(model, "add"))
        if response.status_code != 200:
            failures[model.__name__] = response.status_code
    assert failures == {}
    # Users arrive through invitations and groups are set up by migrations: the secretariat
    # manages both but creates neither.
    assert not_addable == HISTORY_MODELS | {User, Group}


def test_only_history_is_read_only_for_everyone():
    superuser = User.objects.create_superuser(email="root@example.org", password="x-long-password")
    request = request_as(superuser)
    read_only = {
        model
        for model, model_admin in admin.site._registry.items()
        if not model_admin.has_add_permission(request)
    }
    assert read_only == HISTORY_MODELS
    for model in HISTORY_MODELS:
        model_admin = admin.site._registry[model]
        assert not model_admin.has_change_permission(request)
        assert not model_admin.has_delete_permission(request)


def test_secretariat_opens_every_change_page(secretariat_client, dataset):
    failures = {}
    for model in admin.site._registry:
        obj = model._default_manager.first()
        assert obj is not None, f"the data set has no {model.__name__}"
        response = secretariat_client.get(admin_url(model, "change", obj.pk))
        if response.status_code != 200:
            failures[model.__name__] = response.status_code
    assert failures == {}


def test_edition_page_lists_its_inlines(secretariat_client, dataset):
    response = secretariat_client.get(admin_url(Edition, "change", dataset["edition"].pk))
    content = response.content.decode()
    for prefix in ("funders", "criteria", "reporting_deadlines", "history"):
        assert f'id="{prefix}-group"' in content, prefix
    # The funder's acknowledgement is translatable, one input per language.
    for language in ("en", "fr", "es", "pt", "ru"):
        assert f'name="funders-0-acknowledgement_{language}"' in content


def test_translation_tabs_use_the_local_jquery_ui(secretariat_client, dataset):
    response = secretariat_client.get(admin_url(Initiative, "change", dataset["initiative"].pk))
    content = response.content.decode()
    assert "vendor/jquery-ui/jquery-ui.min.js" in content
    assert "tabbed_translation_fields.js" in content
    assert not re.search(r'src="(https?:)?//', content)


# --- statuses belong to the workflow services ------------------------------------------------


def test_initiative_status_is_shown_but_not_editable(secretariat_client, secretary, dataset):
    initiative = dataset["initiative"]
    response = secretariat_client.get(admin_url(Initiative, "change", initiative.pk))
    content = response.content.decode()
    assert response.status_code == 200
    assert 'name="status"' not in content
    assert 'name="workplan_status"' not in content
    assert "Awarded" in content

    model_admin = admin.site._registry[Initiative]
    form = model_admin.get_form(request_as(secretary), initiative)
    assert "status" not in form.base_fields
    assert "workplan_status" not in form.base_fields


def test_no_admin_form_edits_a_status(secretary, dataset):
    """No model admin or inline offers an input for a field named status."""
    request = request_as(secretary)
    for model, model_admin in admin.site._registry.items():
        obj = model._default_manager.first()
        if model_admin.has_change_permission(request, obj):
            form = model_admin.get_form(request, obj)
            assert "status" not in form.base_fields, model
        for inline in model_admin.get_inline_instances(request, obj):
            formset = inline.get_formset(request, obj)
            assert "status" not in formset.form.base_fields, (model, inline)


def test_workplan_inlines_offer_only_the_initiatives_own_lines(
    secretariat_client, reviewer, dataset
):
    build_dataset(2, reviewer)
    page = secretariat_client.get(admin_url(Initiative, "change", dataset["initiative"].pk))
    content = page.content.decode()
    assert 'name="activities-0-line_of_action"' in content
    assert "Training 1" in content
    assert "Training 2" not in content


def test_versioned_rows_carry_their_version_in_the_form(secretariat_client, dataset):
    page = secretariat_client.get(admin_url(Application, "change", dataset["application"].pk))
    assert re.search(r'<input type="hidden" name="read_version" value="1"', page.content.decode())


def test_history_inline_under_initiative_is_read_only(secretariat_client, dataset):
    response = secretariat_client.get(admin_url(Initiative, "change", dataset["initiative"].pk))
    content = response.content.decode()
    assert 'id="history-group"' in content
    assert 'name="history-0-comment"' not in content
    assert "Submitted" in content  # the workplan's status label, not its code


# --- missing translations --------------------------------------------------------------------


def test_missing_translations_column_on_edition_changelist(secretariat_client):
    make_edition(title_en="Initiatives Programme 2021")
    response = secretariat_client.get(admin_url(Edition, "changelist"))
    cell = re.search(
        r'<td class="field-missing_translations">(.*?)</td>', response.content.decode()
    )
    assert cell is not None
    assert cell.group(1) == "fr, es, pt, ru"


def test_missing_translations_counts_only_fields_written_in_the_original_language():
    edition = make_edition(
        title_en="Programme 2021",
        title_fr="Programme 2021",
        title_es="Programa 2021",
        introduction_en="",
    )
    assert missing_translation_languages(edition) == ["pt", "ru"]

    edition.introduction_en = "An introduction."
    edition.introduction_es = "Una introducción."
    assert missing_translation_languages(edition) == ["fr", "pt", "ru"]

    edition.original_language = "es"
    edition.title_pt = edition.title_ru = "x"
    edition.introduction_pt = edition.introduction_ru = edition.introduction_fr = "x"
    assert missing_translation_languages(edition) == []


def test_missing_translations_on_the_other_changelists(secretariat_client, dataset):
    for model in (Initiative, Organisation, Theme):
        response = secretariat_client.get(admin_url(model, "changelist"))
        assert '<td class="field-missing_translations">fr, es, pt, ru</td>' in (
            response.content.decode()
        ), model


# --- reviewers ---------------------------------------------------------------------------------


def test_reviewer_cannot_open_initiatives(reviewer_client):
    assert reviewer_client.get(reverse("admin:index")).status_code == 200
    assert reviewer_client.get(admin_url(Initiative, "changelist")).status_code == 403


def test_secretariat_index_lists_the_domain_apps(secretariat_client):
    content = secretariat_client.get(reverse("admin:index")).content.decode()
    for label in ("programme", "organisations", "grants", "reports"):
        assert f'class="app-{label} module' in content, label


def test_reviewer_sees_only_assigned_applications(reviewer_client, dataset):
    other = Application.objects.create(
        edition=dataset["edition"],
        organisation=dataset["application"].organisation,
        title="Not for this reviewer",
    )
    content = reviewer_client.get(admin_url(Application, "changelist")).content.decode()
    assert "Rights in the Andes 1" in content
    assert "Not for this reviewer" not in content
    assert reviewer_client.get(admin_url(Application, "change", other.pk)).status_code == 302


def test_reviewer_sees_nothing_of_an_application_before_declaring_no_conflict(
    reviewer_client, dataset
):
    ReviewAssignment.objects.filter(application=dataset["application"]).update(
        conflict=ReviewAssignment.Conflict.UNDECLARED
    )
    content = reviewer_client.get(admin_url(Application, "changelist")).content.decode()
    assert "Rights in the Andes 1" not in content
    change = reviewer_client.get(admin_url(Application, "change", dataset["application"].pk))
    assert change.status_code == 302


def test_groups_have_the_permissions_of_their_role():
    secretariat = {
        f"{p.content_type.app_label}.{p.codename}"
        for p in staff_group("Secretariat").permissions.select_related("content_type")
    }
    assert {
        "grants.change_initiative",
        "reports.delete_report",
        "programme.add_edition",
        "organisations.view_organisation",
        "organisations.change_user",
        "auth.view_group",
    } <= secretariat
    assert "organisations.add_user" not in secretariat
    assert "auth.change_group" not in secretariat

    reviewer = {
        f"{p.content_type.app_label}.{p.codename}"
        for p in staff_group("Reviewer").permissions.select_related("content_type")
    }
    assert reviewer == {
        "grants.view_application",
        "grants.view_reviewassignment",
        "grants.add_review",
        "grants.change_review",
        "grants.view_review",
        "grants.add_reviewscore",
        "grants.change_reviewscore",
        "grants.view_reviewscore",
    }


# --- users -------------------------------------------------------------------------------------


def test_superuser_adds_a_user_by_email(client):
    client.force_login(User.objects.create_superuser(email="root@example.org", password="pw-long"))
    response = client.post(
        admin_url(User, "add"),
        {
            "email": "New.Person@Example.org",
            "full_name": "New Person",
            "language": "fr",
            "usable_password": "true",
            "password1": "a-long-test-password",
            "password2": "a-long-test-password",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(email="new.person@example.org")
    assert user.full_name == "New Person"
    assert user.check_password("a-long-test-password")


def test_secretariat_cannot_grant_superuser_or_edit_a_superuser(secretariat_client, dataset):
    member = dataset["member"]
    content = secretariat_client.get(admin_url(User, "change", member.pk)).content.decode()
    assert 'name="email"' in content
    assert 'name="is_superuser"' not in content
    assert 'name="user_permissions"' not in content

    root = User.objects.create_superuser(email="root@example.org", password="x-long-password")
    content = secretariat_client.get(admin_url(User, "change", root.pk)).content.decode()
    assert 'name="email"' not in content
    assert (
        secretariat_client.get(
            admin_url(User, "change", root.pk).replace("/change/", "/password/")
        ).status_code
        == 403
    )


# --- reports -----------------------------------------------------------------------------------


def test_attachment_pages_never_link_to_the_private_file(secretariat_client, dataset):
    attachment = Attachment.objects.get()
    for url in (
        admin_url(Attachment, "change", attachment.pk),
        admin_url(Report, "change", dataset["report"].pk),
    ):
        content = secretariat_client.get(url).content.decode()
        assert "photo.jpg" in content
        assert attachment.file.name not in content, url


def management_forms(html: str) -> dict[str, str]:
    return dict(
        re.findall(
            r'name="([\w-]+-(?:TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS)"[^>]*value="(\d*)"', html
        )
    )


def test_report_admin_refuses_a_stale_save(secretariat_client, secretary, dataset):
    report = Report.objects.create(
        initiative=dataset["initiative"],
        kind="final",
        period_start=TODAY,
        period_end=TODAY,
        due_on=TODAY,
    )
    url = admin_url(Report, "change", report.pk)
    page = secretariat_client.get(url).content.decode()
    assert re.search(r'<input type="hidden" name="read_version" value="0"', page)
    data = {
        **management_forms(page),
        "initiative": report.initiative_id,
        "kind": "final",
        "period_start": TODAY,
        "period_end": TODAY,
        "due_on": TODAY,
        "language": "en",
        "highlights": "Changed by the secretariat.",
        "read_version": "0",
    }
    response = secretariat_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    report.refresh_from_db()
    assert report.highlights == "Changed by the secretariat."
    assert report.version == 1
    assert report.updated_by == secretary

    # A second save from the same (now stale) page is refused and changes nothing.
    response = secretariat_client.post(url, {**data, "highlights": "Overwritten?"})
    assert response.status_code == 200
    assert "Someone else changed this report" in response.content.decode()
    report.refresh_from_db()
    assert report.highlights == "Changed by the secretariat."


# --- queries -----------------------------------------------------------------------------------


def changelist_queries(client, model) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(admin_url(model, "changelist"))
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("app_label", "model_name", "field_name"),
    [
        ("grants", "initiative", "application"),
        ("grants", "review", "assignment"),
        ("grants", "reviewscore", "review"),
        ("grants", "activity", "line_of_action"),
        ("reports", "narrative", "report"),
        ("organisations", "membership", "user"),
    ],
)
def test_autocomplete_does_not_grow_with_the_data(
    secretariat_client, reviewer, dataset, app_label, model_name, field_name
):
    url = reverse("admin:autocomplete")
    params = {"app_label": app_label, "model_name": model_name, "field_name": field_name}

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = secretariat_client.get(url, params)
        assert response.status_code == 200
        assert response.json()["results"]
        return len(captured)

    once = queries()
    build_dataset(2, reviewer)
    assert queries() == once


def test_initiative_changelist_queries_do_not_grow(secretariat_client):
    def add_initiatives(first: int, count: int) -> None:
        for n in range(first, first + count):
            organisation = Organisation.objects.create(name=f"Org {n}", slug=f"org-{n}")
            make_initiative(make_edition(number=n), organisation, n=n)

    add_initiatives(1, 1)
    one = changelist_queries(secretariat_client, Initiative)
    add_initiatives(2, 9)
    ten = changelist_queries(secretariat_client, Initiative)
    assert ten == one


def test_no_changelist_grows_with_the_data(secretariat_client, reviewer, dataset):
    """Every changelist costs the same number of queries with one or with two of everything."""
    once = {model: changelist_queries(secretariat_client, model) for model in admin.site._registry}
    build_dataset(2, reviewer)
    twice = {model: changelist_queries(secretariat_client, model) for model in admin.site._registry}
    assert {m.__name__: n for m, n in twice.items() if n != once[m]} == {}
