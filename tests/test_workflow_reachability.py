"""Every row of every status table has a production caller, or says in ``not_offered`` why not.

The applicants, the secretariat and the grantees take every step the way they do in the app:
through the call pages, the secretariat's screens, the back office's actions and the portal,
with Django's test client. The steps the system takes (the initiative once its first workplan is
approved and once its agreement is countersigned too, a tranche once its report is accepted or
its agreement countersigned) happen inside those same requests. Then the history tables (every
concrete ``StatusChangeBase``) say which (workflow, from, to) happened.

The grant's money and its close are taken through the pages too: the organisation enters its
bank details in the portal and a second member of the secretariat verifies them, tranches are
paid (with rate and fees) and one cancelled from the back office, the grantee confirms the
amount received, and two grants are terminated (one awarded, one with its workplan approved).
Completing a grant, and terminating an active one, need an active grant: no page activates one
before the agreement's part of issue #10 is merged, so those rows stay in ``not_offered``.

Only content that moves no status is written through the helpers the other tests use (the
workplan's rows, with ``fill_workplan``; a colleague's membership, whose role the
administrator then changes in the portal); no status is reached by calling a service here.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.apps import apps
from django.contrib.messages import get_messages
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from core.models import StatusChangeBase
from core.workflow import REGISTRY
from grants.models import Agreement, Application, Disbursement, Initiative
from grants.workflow import AgreementStatus, DisbursementStatus
from organisations.models import Membership, PayeeDetails
from programme.models import ReportKind
from tests.factories import EditionFactory, OrganisationFactory, UserFactory
from tests.grants.factories import call_ready_edition, member_of, secretariat_user
from tests.grants.lifecycle import PAYEE, plan
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

    def admin_action(self, model: str, action: str, objects, app: str = "grants", **extra):
        """Tick ``objects`` in the back office's list of ``model`` and run ``action``."""
        return self.post(
            reverse(f"admin:{app}_{model}_changelist"),
            {"action": action, "_selected_action": [obj.pk for obj in objects], **extra},
        )

    def edition_action(self, action: str, editions, **extra):
        return self.admin_action("edition", action, editions, app="programme", **extra)


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
    "approved": "under review → approved (workplan approved, then terminated)",
    "approved_active": "under review → approved (active, then terminated)",
    "approved_awarded": "under review → approved (extended, then terminated)",
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
        "approved_active",
        "approved_awarded",
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

    decisions = {name: "approve" for name in ("main", "approved", "approved_active")}
    decisions |= {"approved_awarded": "approve"}
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


def enter_and_verify_bank_details(journey, initiative, member, verifier) -> None:
    """The organisation's administrator enters its bank details in the portal; a member of
    the secretariat other than anyone who entered them verifies them."""
    organisation = initiative.lead_organisation
    journey.as_(member).post(
        reverse("portal:payee", kwargs={"pk": organisation.pk}), {**PAYEE, "version": "0"}
    )
    payee = PayeeDetails.objects.filter(organisation=organisation).first()
    assert payee is not None, journey.log[-1]
    journey.as_(verifier).post(
        reverse("admin:organisations_payeedetails_verify", args=[payee.pk]),
        {"version": payee.version},
    )


def payment_form(tranches) -> dict:
    """The "record the payments" page filled in: sent in euros, at a rate, with fees."""
    data = {"payments-TOTAL_FORMS": len(tranches), "payments-INITIAL_FORMS": len(tranches)}
    for n, tranche in enumerate(tranches):
        data |= {
            f"payments-{n}-disbursement": tranche.pk,
            f"payments-{n}-paid_on": tranche.initiative.awarded_on.isoformat(),
            f"payments-{n}-amount_sent": str(tranche.amount * 92 / 100),
            f"payments-{n}-currency": "EUR",
            f"payments-{n}-exchange_rate": "0.92",
            f"payments-{n}-fees": "12.50",
            f"payments-{n}-reference": f"Wire {n + 7}",
        }
    return data


def sign_the_agreement(
    journey, initiative, member, secretary, signatory: str = "signatory@example.org"
) -> None:
    """The organisation's administrator makes a colleague its signatory; the secretariat issues
    the agreement from the list of initiatives, and issues it again (the first version is
    void); the signatory signs in the portal; a third version replaces the signed one, which
    the signatory signs too; the secretariat countersigns it in the back office (the first
    tranche becomes payable and, the workplan being approved, the initiative active)."""
    organisation = initiative.lead_organisation
    colleague = UserFactory(email=signatory)
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
    payable); then one payable tranche cancelled and the others paid from the back office,
    and the grantee confirms what it received."""
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
    # The tranches the list shows as payable: the first cancelled (the action asks for the
    # reason), the others ticked and paid (the action asks what was sent).
    payable = list(
        Disbursement.objects.filter(initiative=initiative, status=DisbursementStatus.PAYABLE)
        .select_related("initiative")
        .order_by("tranche")
    )
    cancelled, paid = payable[0], payable[1:]
    journey.admin_action(
        "disbursement", "cancel_tranches", [cancelled], apply="1", comment="Merged."
    )
    journey.admin_action("disbursement", "record_payments", paid)
    journey.admin_action("disbursement", "record_payments", paid, apply="1", **payment_form(paid))
    journey.as_(member).post(
        reverse("portal:payment_received", kwargs={"pk": paid[0].pk}),
        {"amount": "1000", "currency": "EUR", "received_on": paid[0].initiative.awarded_on},
    )


def grantee_of(initiative):
    """The member the organisation applied with."""
    return Membership.objects.filter(organisation=initiative.lead_organisation).first().user


def approve_a_workplan(journey, initiative, secretary) -> None:
    fill_workplan(initiative, grantee_of(initiative))  # its rows: content, no status moves
    submit = reverse("portal:workplan_submit", kwargs={"pk": initiative.pk})
    review = reverse("secretariat:workplan_review", kwargs={"pk": initiative.pk})
    journey.as_(grantee_of(initiative)).post(submit)
    journey.as_(secretary).post(review, {"comment": "", "approve": "1"})


def close_grants(journey, secretary) -> None:
    """The other grants end early: one with its workplan approved, one active (workplan
    approved and agreement countersigned), and one still awarded, after a no-cost extension.
    The secretariat terminates all three from the back office, with a reason (their unpaid
    tranches are cancelled)."""
    by_name = {
        grant.lead_organisation.name: grant
        for grant in Initiative.objects.select_related("lead_organisation")
    }
    approved, active, awarded = (
        by_name[name] for name in ("approved", "approved_active", "approved_awarded")
    )
    approve_a_workplan(journey, approved, secretary)
    approve_a_workplan(journey, active, secretary)
    sign_the_agreement(
        journey, active, grantee_of(active), secretary, signatory="signs-too@example.org"
    )
    journey.as_(secretary).admin_action(
        "initiative",
        "extend_initiatives",
        [awarded],
        apply="1",
        new_end=(awarded.period_end + datetime.timedelta(days=30)).isoformat(),
        reason="Elections postponed the campaign.",
    )
    journey.admin_action(
        "initiative",
        "terminate_initiatives",
        [approved, active, awarded],
        apply="1",
        comment="The programme closed.",
    )


# --- the editions: their call, the review, the grants running, closing -------------------------


def in_days(days: int) -> str:
    """A moment as typed on the back office's date pages."""
    return (timezone.localtime() + datetime.timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


def open_the_call(journey, edition, secretary) -> None:
    """The secretariat opens the call from the list of editions (the page asks the dates)."""
    journey.as_(secretary).edition_action("open_call", [edition])
    journey.edition_action("open_call", [edition], apply="1", opens_at="", closes_at=in_days(30))


def close_reopen_and_run(journey, edition, secretary) -> None:
    """The call closed early, reopened until a new date, closed again; then the edition runs."""
    journey.as_(secretary).edition_action("close_call", [edition], apply="1", comment="Enough.")
    journey.edition_action("reopen_call", [edition], apply="1", closes_at=in_days(7), comment="")
    journey.edition_action("close_call", [edition], apply="1", comment="")
    journey.edition_action("start_running", [edition])


def past_edition_run_and_closed(journey, secretary) -> None:
    """An edition entered after the fact (no call) runs, then closes: it has no initiative
    left running (none at all)."""
    edition = EditionFactory(number=90, year=2019, slug="2019")
    journey.as_(secretary).edition_action("start_running", [edition])
    journey.edition_action("close_editions", [edition])


# --- what the public reads of an organisation: proposed, then approved or rejected -----------


def propose_public_changes(journey, organisation, member, secretary) -> None:
    """The member proposes a city and puts it back (withdrawn), proposes again (rejected from
    the back office's queue, with a reason), and once more (approved)."""
    profile = reverse("portal:organisation", kwargs={"pk": organisation.pk})
    queue = reverse("admin:organisations_publicprofilechange_changelist")

    def save_city(city: str) -> None:
        organisation.refresh_from_db()  # the form carries the version it was opened at
        # The rest of the form as the page shows it: only the city changes.
        shown = {name: getattr(organisation, name) for name in ("website", "email", "phone")}
        description = getattr(organisation, f"description_{member.language}") or ""
        journey.as_(member).post(
            profile,
            {**shown, "description": description, "city": city, "version": organisation.version},
        )

    def decide(action: str, **extra) -> None:
        pending = organisation.public_changes.filter(status="pending")
        chosen = list(pending.values_list("pk", flat=True))
        journey.as_(secretary).post(queue, {"action": action, "_selected_action": chosen, **extra})

    save_city("Sucre")
    save_city("")  # put back as the public page shows it: withdrawn
    save_city("Sucre")
    decide("reject_public_changes", apply="1", comment="Not where you work.")
    save_city("Cochabamba")
    decide("approve_public_changes")


# --- the check ----------------------------------------------------------------------------------

# Every app's status tables, the way the admin finds every admin.py: a workflow registers itself
# when its module is imported, and a table no model imports yet must not escape the check.
autodiscover_modules("workflow")


def light_track(journey, secretary) -> None:
    """Small grants of a light-track edition, through the one-page form, the emailed links and
    the back office's bulk actions: two applications, one approved and paid from a payment
    file, its report sent back once and accepted; the other declined."""
    from grants.models import LightApplication, PaymentBatch
    from notifications.models import Notification
    from tests.grants.light import form_data, layout, light_edition, reason

    edition = light_edition(slug="light-reachability")
    journey.client.logout()
    journey.who = "applicant"
    for n in (0, 1):
        data = {**form_data(n), "email": f"light{n}@example.org", "language": "pt"}
        data["action_date"] = data["action_date"].isoformat()
        journey.post(reverse("calls:light_apply", kwargs={"slug": edition.slug}), data)
    for notice in Notification.objects.filter(kind="light_confirm_email"):
        journey.post(notice.path)
    approved, declined = LightApplication.objects.filter(edition=edition).order_by("pk")
    journey.as_(secretary)
    journey.admin_action("lightapplication", "approve", [approved])
    why = reason()
    journey.admin_action("lightapplication", "decline", [declined], apply="1", reason=why.pk)
    journey.client.logout()
    journey.who = "applicant"
    journey.post(reverse("calls:light_agreement", kwargs={"token": approved.token}))
    journey.as_(secretary)
    journey.admin_action("lightapplication", "verify_payees", [approved])
    journey.admin_action(
        "lightapplication", "make_payment_file", [approved], apply="1", layout=layout().pk
    )
    journey.admin_action(
        "lightapplication",
        "record_paid",
        [approved],
        apply="1",
        paid_on=timezone.localdate().isoformat(),
        reference="BANK-1",
        exchange_rate="1",
        fees="0",
    )
    assert PaymentBatch.objects.filter(edition=edition).exists(), journey.log

    def report() -> None:
        journey.client.logout()
        journey.who = "applicant"
        journey.post(
            reverse("calls:light_report", kwargs={"token": approved.token}),
            {"text": "We held it.", "participants": "30", "link": ""},
        )
        journey.as_(secretary)

    report()
    journey.admin_action(
        "lightapplication",
        "request_report_changes",
        [approved],
        apply="1",
        comment="How many came?",
    )
    report()
    journey.admin_action("lightapplication", "accept_reports", [approved])


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
    verifier = secretariat_user("verifier@example.org")
    # Paid in four: on signature (released by the countersignature), twice when the workplan is
    # approved, and on the final report; one of them is cancelled, the others paid, and the
    # main grant is then completed by the system.
    edition = plan(
        call_ready_edition(),
        ("30", "signature"),
        ("20", "workplan"),
        ("20", "workplan"),
        ("30", "final"),
    )
    open_the_call(journey, edition, secretary)
    initiative, member = apply_and_decide(journey, edition, secretary)
    close_reopen_and_run(journey, edition, secretary)
    past_edition_run_and_closed(journey, secretary)
    light_track(journey, secretary)
    if initiative is not None:  # else the rows of the grant are reported missing below
        write_and_approve_workplan(journey, initiative, member, secretary)
        enter_and_verify_bank_details(journey, initiative, member, verifier)
        sign_the_agreement(journey, initiative, member, secretary)
        report_and_pay(journey, initiative, member, secretary)
        propose_public_changes(journey, initiative.lead_organisation, member, secretary)
        close_grants(journey, secretary)

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
