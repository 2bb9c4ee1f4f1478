"""An edition's lifecycle: the status is the one source of truth, moved only by its services
(and their actions in the back office), each step recorded; the call's pages, the application
services and the back office agree with it."""

from __future__ import annotations

import datetime
import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from core.workflow import Role, TransitionNotAllowed
from grants import services as grants
from grants.errors import ApplicationError
from notifications.models import ScheduledJob
from programme.errors import EditionError
from programme.models import CallState, Edition
from programme.services import (
    CLOSE_CALLS_JOB,
    edition_close,
    edition_close_call,
    edition_open_call,
    edition_reopen_call,
    edition_start_running,
    editions_close_due_calls,
)
from programme.tasks import close_due_calls
from programme.workflow import EDITION_WORKFLOW, EditionStatus
from tests.factories import EditionFactory, InitiativeFactory, OrganisationFactory
from tests.grants.factories import (
    call_ready_edition,
    eligible_answers,
    member_of,
    open_edition,
    secretariat_user,
    submitted,
)

pytestmark = pytest.mark.django_db

E = EditionStatus
DAY = datetime.timedelta(days=1)


def later(days: float = 10) -> datetime.datetime:
    return timezone.now() + days * DAY


@pytest.fixture
def secretary():
    return secretariat_user()


def reach(status: str, secretary) -> Edition:
    """An edition in ``status``, taken there through the services (running: the call route)."""
    edition = call_ready_edition()
    if status == E.DRAFT:
        return edition
    edition = edition_open_call(edition=edition, actor=secretary, closes_at=later())
    if status == E.CALL_OPEN:
        return edition
    edition = edition_close_call(edition=edition, actor=secretary)
    if status == E.REVIEW:
        return edition
    edition = edition_start_running(edition=edition, actor=secretary)
    if status == E.RUNNING:
        return edition
    return edition_close(edition=edition, actor=secretary)


def take(source: str, target: str, edition: Edition, actor) -> Edition:
    """The service of the step (source → target)."""
    if target == E.CALL_OPEN and source == E.DRAFT:
        return edition_open_call(edition=edition, actor=actor, closes_at=later())
    if target == E.CALL_OPEN:
        return edition_reopen_call(edition=edition, actor=actor, closes_at=later())
    if target == E.REVIEW:
        if actor is None:  # the system closes a call once its deadline has passed
            Edition.objects.filter(pk=edition.pk).update(
                application_opens_at=timezone.now() - DAY,
                application_closes_at=timezone.now() - datetime.timedelta(seconds=1),
            )
        return edition_close_call(edition=edition, actor=actor)
    if target == E.RUNNING:
        return edition_start_running(edition=edition, actor=actor)
    return edition_close(edition=edition, actor=actor)


WHO = {
    Role.SECRETARIAT: lambda: secretariat_user("boss@example.org"),
    Role.MEMBER: lambda: member_of(OrganisationFactory(), email="member@example.org"),
    "anonymous": AnonymousUser,
    Role.SYSTEM: lambda: None,
}


@pytest.mark.parametrize("who", list(WHO))
@pytest.mark.parametrize(("source", "target"), list(EDITION_WORKFLOW.transitions))
def test_every_step_by_whom_the_table_says(source, target, who, secretary):
    edition = reach(source, secretary)
    actor = WHO[who]()
    allowed = who in EDITION_WORKFLOW.roles_for(source, target)
    before = edition.history.count()
    if not allowed:
        with pytest.raises(TransitionNotAllowed):
            take(source, target, edition, actor)
        edition.refresh_from_db()
        assert edition.status == source
        assert edition.history.count() == before
        return
    moved = take(source, target, edition, actor)
    assert moved.status == target
    change = edition.history.first()
    assert (change.from_status, change.to_status, change.workflow) == (source, target, "edition")
    assert change.actor == actor
    assert change.role == who


def test_the_steps_no_table_row_allows_are_refused(secretary):
    edition = reach(E.DRAFT, secretary)
    with pytest.raises(TransitionNotAllowed, match="cannot go from"):
        edition_close(edition=edition, actor=secretary)
    running = reach(E.RUNNING, secretary)
    with pytest.raises(TransitionNotAllowed):
        edition_reopen_call(edition=running, actor=secretary, closes_at=later())


# --- opening, closing and reopening the call ----------------------------------------------------


def test_opening_sets_the_window_and_refuses_bad_dates(secretary):
    edition = call_ready_edition()
    with pytest.raises(EditionError, match="close in the future"):
        edition_open_call(edition=edition, actor=secretary, closes_at=timezone.now() - DAY)
    with pytest.raises(EditionError, match="after it opens"):
        edition_open_call(edition=edition, actor=secretary, opens_at=later(20), closes_at=later(10))
    unpublished = call_ready_edition(is_published=False)
    with pytest.raises(EditionError, match="Publish the edition"):
        edition_open_call(edition=unpublished, actor=secretary, closes_at=later())
    edition.refresh_from_db()
    assert edition.status == E.DRAFT and not edition.has_call and not edition.history.exists()

    closes = later(30)
    edition = edition_open_call(edition=edition, actor=secretary, closes_at=closes)
    assert edition.application_closes_at == closes
    assert edition.application_opens_at <= timezone.now()
    assert edition.call_state() == CallState.OPEN


def test_a_call_opening_later_is_upcoming_then_open(secretary):
    edition = edition_open_call(
        edition=call_ready_edition(), actor=secretary, opens_at=later(2), closes_at=later(9)
    )
    assert edition.status == E.CALL_OPEN
    assert edition.call_state() == CallState.UPCOMING
    assert edition.call_state(later(3)) == CallState.OPEN
    assert edition.call_state(later(10)) == CallState.CLOSED


def test_closing_early_moves_the_deadline_and_stops_applications(secretary):
    edition = open_edition()
    organisation = OrganisationFactory()
    member = member_of(organisation)
    draft = grants.application_start(
        edition=edition,
        organisation=organisation,
        actor=member,
        answers=eligible_answers(edition),
        title="Late",
    )
    edition = edition_close_call(edition=edition, actor=secretary, comment="Budget spent.")
    assert edition.status == E.REVIEW
    assert edition.application_closes_at <= timezone.now()
    assert edition.history.first().comment == "Budget spent."
    assert edition.call_state() == CallState.CLOSED
    with pytest.raises(ApplicationError, match="This call closed on"):
        grants.application_submit(application=draft, actor=member)
    other = OrganisationFactory()
    with pytest.raises(ApplicationError, match="This call closed on"):
        grants.application_start(
            edition=edition,
            organisation=other,
            actor=member_of(other),
            answers=eligible_answers(edition),
            title="Too late",
        )


def test_closing_a_call_that_never_opened_keeps_no_window(secretary):
    edition = edition_open_call(
        edition=call_ready_edition(), actor=secretary, opens_at=later(5), closes_at=later(9)
    )
    edition = edition_close_call(edition=edition, actor=secretary)
    assert (edition.application_opens_at, edition.application_closes_at) == (None, None)
    assert edition.call_state() == CallState.NONE
    edition = edition_reopen_call(edition=edition, actor=secretary, closes_at=later(3))
    assert edition.call_state() == CallState.OPEN


def test_the_status_wins_over_dates_that_say_otherwise(secretary):
    edition = reach(E.REVIEW, secretary)
    # Whatever the dates say (written here by hand, as no service would), review takes nothing.
    Edition.objects.filter(pk=edition.pk).update(application_closes_at=later(5))
    edition.refresh_from_db()
    assert edition.call_state() == CallState.CLOSED
    assert not edition.is_call_open()
    draft = call_ready_edition()
    Edition.objects.filter(pk=draft.pk).update(
        application_opens_at=timezone.now() - DAY, application_closes_at=later(5)
    )
    draft.refresh_from_db()
    assert draft.call_state() == CallState.NONE


def test_reopening_needs_a_new_closing_date_in_the_future(secretary):
    edition = reach(E.REVIEW, secretary)
    with pytest.raises(EditionError, match="close in the future"):
        edition_reopen_call(edition=edition, actor=secretary, closes_at=timezone.now() - DAY)
    edition = edition_reopen_call(edition=edition, actor=secretary, closes_at=later(7))
    assert edition.status == E.CALL_OPEN and edition.is_call_open()


def test_the_system_closes_a_call_only_past_its_deadline(secretary):
    edition = open_edition()
    with pytest.raises(EditionError, match="only once its deadline has passed"):
        edition_close_call(edition=edition, actor=None)
    edition.refresh_from_db()
    assert edition.status == E.CALL_OPEN


# --- the daily job ------------------------------------------------------------------------------


def test_the_daily_job_closes_the_calls_past_their_deadline_once():
    due = open_edition(application_closes_at=timezone.now() - datetime.timedelta(minutes=5))
    deadline = due.application_closes_at
    running = open_edition()
    assert due.status == E.CALL_OPEN and due.call_state() == CallState.CLOSED

    assert close_due_calls() == "1 calls closed"
    due.refresh_from_db()
    running.refresh_from_db()
    assert due.status == E.REVIEW
    assert due.application_closes_at == deadline  # it closed at its deadline
    change = due.history.first()
    assert (change.role, change.actor, change.to_status) == (Role.SYSTEM, None, E.REVIEW)
    assert running.status == E.CALL_OPEN

    # Run again: nothing more happens.
    assert editions_close_due_calls() == []
    assert due.history.count() == 2  # opened, closed
    job = ScheduledJob.objects.get(job=CLOSE_CALLS_JOB)
    assert job.last_result.startswith("0 calls closed")


# --- running and closing ------------------------------------------------------------------------


def test_running_waits_for_every_decision(secretary):
    edition = open_edition()
    application = submitted(edition)
    edition = edition_close_call(edition=edition, actor=secretary)
    with pytest.raises(EditionError, match="1 application still waits for a decision"):
        edition_start_running(edition=edition, actor=secretary)
    edition.refresh_from_db()
    assert edition.status == E.REVIEW
    grants.application_screen(
        application=application, actor=secretary, is_eligible=False, reason="Out of scope."
    )
    assert edition_start_running(edition=edition, actor=secretary).status == E.RUNNING


def test_an_edition_entered_after_the_fact_runs_without_a_call(secretary):
    edition = EditionFactory()
    edition = edition_start_running(edition=edition, actor=secretary)
    assert edition.status == E.RUNNING
    assert edition.call_state() == CallState.NONE


def test_closing_is_refused_while_an_initiative_is_running(secretary):
    edition = edition_start_running(edition=EditionFactory(), actor=secretary)
    InitiativeFactory(edition=edition, title_en="Harm reduction in the Andes")
    with pytest.raises(EditionError) as error:
        edition_close(edition=edition, actor=secretary)
    assert error.value.message == ("1 initiative is still running: “Harm reduction in the Andes”.")
    edition.refresh_from_db()
    assert edition.status == E.RUNNING
    for n in range(6):
        InitiativeFactory(edition=edition, title_en=f"Project {n}")
    with pytest.raises(EditionError, match=r"7 initiatives are still running: .* and 2 more\."):
        edition_close(edition=edition, actor=secretary)


def test_an_edition_without_initiatives_left_running_closes(secretary):
    edition = edition_start_running(edition=EditionFactory(), actor=secretary)
    edition = edition_close(edition=edition, actor=secretary, comment="All done.")
    assert edition.status == E.CLOSED
    assert [c.to_status for c in edition.history.order_by("created_at", "pk")] == [
        E.RUNNING,
        E.CLOSED,
    ]


# --- the pages agree with the status ------------------------------------------------------------


def test_the_call_pages_follow_the_status(client, secretary):
    edition = open_edition()
    call = reverse("public:call", kwargs={"slug": edition.slug})
    apply = reverse("calls:apply", kwargs={"slug": edition.slug})
    assert "Apply until" in client.get(call).content.decode()
    assert edition.title_en in client.get(reverse("public:calls")).content.decode()
    client.force_login(member_of(OrganisationFactory()))
    assert client.get(apply).status_code == 200

    edition_close_call(edition=edition, actor=secretary)
    page = client.get(call).content.decode()
    assert "This call closed on" in page and "Apply until" not in page
    response = client.get(apply, follow=True)
    assert response.request["PATH_INFO"] == call
    assert any("This call closed on" in str(m) for m in get_messages(response.wsgi_request))

    edition_reopen_call(edition=edition, actor=secretary, closes_at=later(3))
    assert "Apply until" in client.get(call).content.decode()
    assert client.get(apply).status_code == 200


def test_an_edition_in_preparation_has_no_call_page(client):
    edition = call_ready_edition()
    Edition.objects.filter(pk=edition.pk).update(
        application_opens_at=timezone.now() - DAY, application_closes_at=later(5)
    )
    assert client.get(reverse("public:call", kwargs={"slug": edition.slug})).status_code == 404
    page = client.get(edition.get_absolute_url()).content.decode()
    assert edition.get_call_url() not in page


# --- the back office ----------------------------------------------------------------------------


def changelist() -> str:
    return reverse("admin:programme_edition_changelist")


def test_the_back_office_opens_a_call_from_a_page_asking_its_dates(client, secretary):
    edition = call_ready_edition(application_time_zone="America/La_Paz")  # UTC−4
    client.force_login(secretary)
    picked = {"action": "open_call", "_selected_action": [edition.pk]}
    page = client.post(changelist(), picked)
    assert page.status_code == 200
    assert 'name="closes_at"' in page.content.decode()

    # A date in the past: refused with the reason, nothing changes.
    response = client.post(
        changelist(), {**picked, "apply": "1", "closes_at": "2001-01-01T10:00"}, follow=True
    )
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("must close in the future" in m for m in said), said
    edition.refresh_from_db()
    assert edition.status == E.DRAFT

    closes = (timezone.now() + 20 * DAY).astimezone(edition.call_time_zone)
    client.post(
        changelist(), {**picked, "apply": "1", "closes_at": closes.strftime("%Y-%m-%dT%H:%M")}
    )
    edition.refresh_from_db()
    assert edition.status == E.CALL_OPEN
    # Typed in the call's own time zone.
    assert edition.call_closes_local.strftime("%Y-%m-%d %H:%M") == closes.strftime("%Y-%m-%d %H:%M")
    assert edition.history.get().actor == secretary

    # The history is shown under the edition; the window is editable while the call is open.
    content = client.get(reverse("admin:programme_edition_change", args=[edition.pk]))
    content = content.content.decode()
    assert "Status history" in content and "Call open" in content
    assert 'name="application_closes_at_0"' in content or 'name="application_closes_at"' in content


def test_the_window_is_read_only_outside_an_open_call(client, secretary):
    edition = reach(E.REVIEW, secretary)
    client.force_login(secretary)
    content = client.get(reverse("admin:programme_edition_change", args=[edition.pk]))
    assert 'name="application_closes_at' not in content.content.decode()


def test_an_open_calls_deadline_cannot_be_moved_into_the_past_on_its_page(secretary):
    from programme.admin import EditionAdminForm

    edition = open_edition()

    class WindowForm(EditionAdminForm):
        class Meta:
            model = Edition
            fields = ["application_opens_at", "application_closes_at", "application_time_zone"]

    form = WindowForm(
        {
            "application_opens_at": "2001-01-01 09:00",
            "application_closes_at": "2001-01-02 09:00",
            "application_time_zone": "UTC",
        },
        instance=edition,
    )
    assert not form.is_valid()
    assert "Close the call" in form.errors["application_closes_at"][0]


def test_a_member_of_staff_who_is_not_secretariat_cannot_move_an_edition(client):
    edition = open_edition()
    reviewer = secretariat_user("not-secretariat@example.org")
    reviewer.groups.clear()
    client.force_login(reviewer)
    client.post(
        changelist(), {"action": "close_call", "_selected_action": [edition.pk], "apply": "1"}
    )
    edition.refresh_from_db()
    assert edition.status == E.CALL_OPEN


# --- existing editions --------------------------------------------------------------------------


def test_the_migration_gives_existing_editions_a_status_their_dates_agree_with():
    reconcile = importlib.import_module(
        "programme.migrations.0004_edition_status_from_dates"
    ).reconcile
    now = timezone.now()

    def legacy(status, opens=None, closes=None, published=True):
        """A row as it was before: a status nothing moved, and the dates deciding."""
        edition = EditionFactory(is_published=published)
        Edition.objects.filter(pk=edition.pk).update(
            status=status, application_opens_at=opens, application_closes_at=closes
        )
        return edition.pk

    rows = {
        "open by its dates": legacy(E.DRAFT, now - DAY, now + DAY),
        "closed by its dates": legacy(E.DRAFT, now - 9 * DAY, now - DAY),
        "never shown": legacy(E.DRAFT, now - DAY, now + DAY, published=False),
        "open while in review": legacy(E.REVIEW, now - DAY, now + DAY),
        "open without a call": legacy(E.CALL_OPEN),
        "running, call ahead": legacy(E.RUNNING, now - DAY, now + DAY),
        "already right": legacy(E.CLOSED, now - 99 * DAY, now - 90 * DAY),
    }
    reconcile(apps, None)
    found = {
        name: Edition.objects.values_list("status", flat=True).get(pk=pk)
        for name, pk in rows.items()
    }
    assert found == {
        "open by its dates": E.CALL_OPEN,
        "closed by its dates": E.REVIEW,
        "never shown": E.DRAFT,
        "open while in review": E.CALL_OPEN,
        "open without a call": E.DRAFT,
        "running, call ahead": E.RUNNING,
        "already right": E.CLOSED,
    }
    # The secretariat's "running" stands, and takes no application whatever the dates say.
    running = Edition.objects.get(pk=rows["running, call ahead"])
    assert running.call_state() == CallState.CLOSED
    assert not running.history.exists()
    assert Edition.objects.get(pk=rows["already right"]).history.count() == 0
    change = Edition.objects.get(pk=rows["open by its dates"]).history.get()
    assert (change.from_status, change.to_status, change.role) == (E.DRAFT, E.CALL_OPEN, "system")
