"""Every row of every status table has a production caller, or says in ``not_offered`` why not.

The applicants, the secretariat and the grantees take every step the way they do in the app:
through the call pages, the secretariat's screens, the back office's actions and the portal,
with Django's test client. The steps the system takes (the initiative once its first workplan is
approved and once its agreement is countersigned too, a tranche once its report is accepted or
its agreement countersigned) happen inside those same requests. Then the history tables (every
concrete ``StatusChangeBase``) say which (workflow, from, to) happened.

Only content that moves no status is written through the helpers the other tests use (the
workplan's rows, with ``fill_workplan``; a colleague's membership, whose role the
administrator then changes in the portal); no status is reached by calling a service here.
"""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.contrib.messages import get_messages
from django.db import models
from django.urls import reverse
from django.utils.module_loading import autodiscover_modules

from core.models import StatusChangeBase
from core.workflow import REGISTRY
from grants.models import Agreement, Application, Disbursement, Initiative
from grants.workflow import AgreementStatus, DisbursementStatus
from organisations.models import Membership
from programme.models import ReportKind
from tests.factories import OrganisationFactory, UserFactory
from tests.grants.factories import member_of, open_edition, secretariat_user
from tests.portal.factories import fill_workplan
from tests.portal.test_applications import complete_post, start_data
from tests.portal.test_reports import form_data as report_form

pytestmark = pytest.mark.django_db


class Journey:
    """One browser, used by several people in turn; it follows redirects, as a browser does.
    Every request is logged with where it led and what the page said (its messages), so that a
    step a page refused reads as such in the failure message, not as a missing caller."""

    def __init__(self, client):
        self.client = client
        self.who = "anonymous"
        self.log: list[str] = []

    def as_(self, user) -> Journey:
        self.client.force_login(user)
        self.who = user.email
        return self

    def get(self, url: str):
        return self._note("GET", url, self.client.get(url, follow=True))

    def post(self, url: str, data: dict | None = None):
        return self._note("POST", url, self.client.post(url, data or {}, follow=True))

    def _note(self, method: str, url: str, response):
        said = " | ".join(str(m) for m in get_messages(response.wsgi_request))
        landed = response.request["PATH_INFO"]
        self.log.append(f"{self.who} {method} {url} -> {response.status_code} {landed} {said}")
        return response

    def admin_action(self, model: str, action: str, objects, **extra):
        """Tick ``objects`` in the back office's list of ``model`` and run ``action``."""
        return self.post(
            reverse(f"admin:grants_{model}_changelist"),
            {"action": action, "_selected_action": [obj.pk for obj in objects], **extra},
        )


# --- the call: applying, screening, reviewing, deciding, withdrawing ----------------------------

# Each application's path through the table, by the name of its organisation.
PATHS = {
    # draft → submitted → under review → more info → submitted → under review → shortlisted
    # → approved: the grant the workplan and the report below belong to.
    "main": "the grant",
    "draft_withdrawn": "draft → withdrawn",
    "submitted_withdrawn": "submitted → withdrawn",
    "ineligible": "submitted → not eligible",
    "asked_withdrawn": "submitted → more info → withdrawn",
    "approved": "under review → approved",
    "declined": "under review → declined",
    "review_withdrawn": "under review → withdrawn",
    "short_declined": "shortlisted → declined",
    "short_withdrawn": "shortlisted → withdrawn",
}


def comment_page(journey, action: str, applications, comment: str):
    """An action of the back office that leads to a secretariat page asking for a text (the
    reason, the question): there, send the text for the selected applications."""
    page = journey.admin_action("application", action, applications)
    ids = ",".join(str(a.pk) for a in applications)
    journey.post(page.request["PATH_INFO"], {"ids": ids, "comment": comment})


def apply_and_decide(journey, edition, secretary) -> tuple[Initiative | None, object]:
    """Ten organisations apply; the secretariat and the applicants take every application step
    between them. Returns the grant of "main" (None if it was not awarded) and a member of its
    organisation."""
    members, applications = {}, {}
    for name in PATHS:
        organisation = OrganisationFactory(name=name)
        members[name] = member_of(organisation)
        journey.as_(members[name]).post(
            reverse("calls:apply", kwargs={"slug": edition.slug}),
            {**start_data(edition, organisation), "language": "en"},
        )
        applications[name] = Application.objects.filter(organisation=organisation).first()
        assert applications[name] is not None, journey.log[-1]
    by = applications.__getitem__

    def edit_and_submit(name):
        url = reverse("calls:edit", kwargs={"pk": by(name).pk})
        page = journey.as_(members[name]).get(url).content.decode()
        journey.post(url, complete_post(page, edition, action="submit"))

    def withdraw(name):
        url = reverse("calls:withdraw", kwargs={"pk": by(name).pk})
        journey.as_(members[name]).post(url, {"comment": "We found other funding."})

    for name in PATHS:
        if name != "draft_withdrawn":
            edit_and_submit(name)  # draft → submitted

    journey.as_(secretary)
    to_review = [
        "main",
        "approved",
        "declined",
        "review_withdrawn",
        "short_declined",
        "short_withdrawn",
    ]
    journey.admin_action("application", "screen_eligible", [by(n) for n in to_review])
    comment_page(journey, "screen", [by("ineligible")], "Not community-led.")
    # One application asked while submitted, one while under review.
    comment_page(journey, "more_info", [by("asked_withdrawn"), by("main")], "Which cities?")
    edit_and_submit("main")  # more information requested → submitted
    journey.as_(secretary).admin_action("application", "screen_eligible", [by("main")])
    shortlist = ["main", "short_declined", "short_withdrawn"]
    journey.admin_action("application", "shortlist", [by(n) for n in shortlist])

    for name in PATHS:
        if name.endswith("_withdrawn"):
            withdraw(name)

    decisions = {"main": "approve", "approved": "approve"}
    decisions |= {"declined": "decline", "short_declined": "decline"}
    chosen = [by(name) for name in decisions]
    page = journey.as_(secretary).admin_action("application", "decide", chosen)
    data = {"decisions-TOTAL_FORMS": len(chosen), "decisions-INITIAL_FORMS": len(chosen)}
    for n, (name, decision) in enumerate(decisions.items()):
        data |= {
            f"decisions-{n}-application": by(name).pk,
            f"decisions-{n}-decision": decision,
            f"decisions-{n}-amount": "4500",
            f"decisions-{n}-period_start": edition.period_start.isoformat(),
            f"decisions-{n}-period_end": edition.period_end.isoformat(),
            f"decisions-{n}-message": "" if decision == "approve" else "Not this time.",
        }
    journey.post(page.request["PATH_INFO"], data)
    return Initiative.objects.filter(application=by("main")).first(), members["main"]


# --- the grant: its workplan, a report, the payment --------------------------------------------


def write_and_approve_workplan(journey, initiative, member, secretary) -> None:
    """Submitted, sent back, submitted again, approved (the initiative moves with it), reopened
    by the secretariat for a revision, and approved again."""
    fill_workplan(initiative, member)  # its rows: content, no status moves
    submit = reverse("portal:workplan_submit", kwargs={"pk": initiative.pk})
    review = reverse("secretariat:workplan_review", kwargs={"pk": initiative.pk})
    journey.as_(member).post(submit)
    journey.as_(secretary).post(review, {"comment": "Add travel.", "request_changes": "1"})
    journey.as_(member).post(submit)
    journey.as_(secretary).post(review, {"comment": "Good.", "approve": "1"})
    journey.post(review, {"comment": "One more indicator, please.", "request_changes": "1"})
    journey.as_(member).post(submit)
    journey.as_(secretary).post(review, {"comment": "", "approve": "1"})


def sign_the_agreement(journey, initiative, member, secretary) -> None:
    """The organisation's administrator makes a colleague its signatory; the secretariat issues
    the agreement from the list of initiatives, and issues it again (the first version is
    void); the signatory signs in the portal; a third version replaces the signed one, which
    the signatory signs too; the secretariat countersigns it in the back office (the first
    tranche becomes payable and, the workplan being approved, the initiative active)."""
    organisation = initiative.lead_organisation
    colleague = UserFactory(email="signatory@example.org")
    Membership.objects.create(user=colleague, organisation=organisation)  # a member: content
    membership = Membership.objects.get(user=colleague, organisation=organisation)
    journey.as_(member).post(
        reverse("portal:member_role", kwargs={"pk": organisation.pk, "membership": membership.pk}),
        {"role": Membership.Role.SIGNATORY},
    )
    page = reverse("portal:agreement", kwargs={"pk": initiative.pk})

    def sign():
        html = journey.as_(colleague).get(page).content.decode()
        shown = re.search(r'name="sha256" value="([0-9a-f]{64})"', html)
        current = Agreement.objects.filter(initiative=initiative, status=AgreementStatus.ISSUED)
        if shown is None or not current.exists():  # reported below as a missing step
            return
        journey.post(
            reverse("portal:agreement_sign", kwargs={"pk": current.get().pk}),
            {"full_name": "Sam Signatory", "accept": "on", "sha256": shown[1]},
        )

    issue = ("initiative", "issue_agreement", [initiative])
    journey.as_(secretary).admin_action(*issue)
    journey.admin_action(*issue)  # issued → void
    sign()
    journey.as_(secretary).admin_action(*issue)  # signed → void
    sign()
    signed = Agreement.objects.filter(initiative=initiative, status=AgreementStatus.SIGNED)
    journey.as_(secretary).admin_action("agreement", "countersign", signed)


def report_and_pay(journey, initiative, member, secretary) -> None:
    """The final report, from its first save to its acceptance (which makes the last tranche
    payable), then the payment recorded from the back office."""
    report = initiative.reports.get(kind=ReportKind.FINAL)
    edit = reverse("portal:report_edit", kwargs={"pk": report.pk})
    review = reverse("secretariat:report_review", kwargs={"pk": report.pk})

    def filled(**button) -> dict:
        report.refresh_from_db()  # the form carries the version it was opened at
        return {**report_form(report), **button}

    journey.as_(member).post(edit, filled(save="1"))
    journey.post(edit, filled(submit="1"))
    journey.as_(secretary).post(
        review,
        {"comment": "Nearly.", "section_spending": "Receipts?", "request_changes": "1"},
    )
    journey.as_(member).post(edit, filled(submit="1"))
    journey.as_(secretary).post(review, {"comment": "Thank you.", "accept": "1"})
    # The tranches the list shows as payable, ticked and paid (the action asks for the
    # payment reference first).
    payable = Disbursement.objects.filter(status=DisbursementStatus.PAYABLE)
    journey.admin_action("disbursement", "record_payments", payable)
    journey.admin_action("disbursement", "record_payments", payable, apply="1", comment="Wire 7")


# --- the check ----------------------------------------------------------------------------------

# Every app's status tables, the way the admin finds every admin.py: a workflow registers itself
# when its module is imported, and a table no model imports yet must not escape the check.
autodiscover_modules("workflow")


def history_models() -> list[type[StatusChangeBase]]:
    return [m for m in apps.get_models() if issubclass(m, StatusChangeBase)]


def taken_rows() -> set[tuple[str, str, str]]:
    """(workflow, from, to) of every status change recorded, in every history table."""
    return {
        row
        for model in history_models()
        for row in model.objects.values_list("workflow", "from_status", "to_status").distinct()
    }


def table_rows(*, offered: bool) -> set[tuple[str, str, str]]:
    return {
        (name, source, target)
        for name, workflow in REGISTRY.items()
        for source, target in workflow.transitions
        if ((source, target) not in workflow.not_offered) == offered
    }


def listing(rows) -> str:
    return "\n".join(
        f"  {workflow}: {source} → {target}" for workflow, source, target in sorted(rows)
    )


def test_every_row_has_a_caller_or_says_why_not(client):
    journey = Journey(client)
    secretary = secretariat_user()
    initiative, member = apply_and_decide(journey, open_edition(), secretary)
    if initiative is not None:  # else the rows of the grant are reported missing below
        write_and_approve_workplan(journey, initiative, member, secretary)
        sign_the_agreement(journey, initiative, member, secretary)
        report_and_pay(journey, initiative, member, secretary)

    taken = taken_rows()
    missing = table_rows(offered=True) - taken
    assert not missing, (
        "No page or task took these steps: give them a caller, or list them in their workflow's "
        f"not_offered with the reason.\n{listing(missing)}\n\nThe requests made:\n"
        + "\n".join(journey.log)
    )
    stale = table_rows(offered=False) & taken
    assert not stale, f"Listed as not offered, but taken: drop the listing.\n{listing(stale)}"
    unknown = taken - table_rows(offered=True) - table_rows(offered=False)
    assert not unknown, f"Recorded, but in no table:\n{listing(unknown)}"


def test_every_row_not_offered_says_why():
    silent = {
        (name, source, target)
        for name, workflow in REGISTRY.items()
        for (source, target), reason in workflow.not_offered.items()
        if not str(reason or "").strip()
    }
    assert not silent, f"Not offered, without a reason:\n{listing(silent)}"


def status_fields(workflow) -> list[models.Field]:
    """The model fields that hold a status of ``workflow`` (their choices are its statuses)."""
    values = set(workflow.status.values)
    return [
        field
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if {value for value, _label in field.flatchoices or ()} == values
    ]


def test_every_workflow_has_a_history_table():
    """Each workflow's objects have a history table: a ``StatusChangeBase`` pointing at them."""
    recorded = {
        field.related_model for model in history_models() for field in model._meta.concrete_fields
    }
    without = sorted(
        name
        for name, workflow in REGISTRY.items()
        if not any(field.model in recorded for field in status_fields(workflow))
    )
    assert REGISTRY and not without, f"No history table for: {without}"
