"""The demo's journeys in progress, built through the real services: applications to the open
call in every status, reviews, and grants of the running edition with their workplans, grant
agreements, payments and reports.

Each application in ``demo/data/running-edition.yaml`` and ``demo/data/open-call.yaml`` is a
list of steps, each one a call to the service a page would call, by the person who would take
it (the applicant organisation's member, the secretariat, a reviewer). So every status is
reached the way the site reaches it: with its history rows, its notifications, its tranches and
reports. An application is built once, when its organisation has none in the edition yet; a
later run leaves it, and everything that followed from it, as it is.

The running edition's call closed months before the load day, and the services rightly refuse
an application after the deadline: ``demo.loading.editions`` replays its call (opens it through
the service) while the applications are built, then closes it and puts its dates back.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from grants import services as grants
from grants.models import Agreement, Application, Initiative, ReviewAssignment
from grants.workflow import AgreementStatus
from organisations.models import Organisation, PayeeDetails
from organisations.services import payee_details_save, payee_details_verify
from programme.models import Edition
from reports.models import Report
from reports.services import ReportContent, report_save, report_submit

from .base import Loader
from .files import read, resolve

SCENARIO_FILES = ("running-edition", "open-call")


def run_scenarios(loader: Loader) -> None:
    for name in SCENARIO_FILES:
        data = read(name)
        secretary = loader.users[data["secretariat"]]
        verifier = loader.users.get(data.get("verifier", ""))
        for item in data["applications"]:
            edition = loader.editions[item["edition"]]
            organisation = loader.organisations[item["organisation"]]
            existing = Application.objects.filter(edition=edition, organisation=organisation)
            if existing.exists():
                loader.count(Application, "unchanged")
                if Initiative.objects.filter(application__in=existing).exists():
                    loader.count(Initiative, "unchanged")
                continue
            scenario = Scenario(
                loader=loader,
                edition=edition,
                organisation=organisation,
                applicant=loader.users[item["by"]],
                secretary=secretary,
                verifier=verifier,
            )
            scenario.run(resolve(item, loader.today))


def money(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


class Scenario:
    """One application and what follows it, step by step (see the module)."""

    def __init__(
        self,
        *,
        loader: Loader,
        edition: Edition,
        organisation: Organisation,
        applicant,
        secretary,
        verifier=None,
    ):
        self.loader = loader
        self.verifier = verifier
        self.edition = edition
        self.organisation = organisation
        self.applicant = applicant
        self.secretary = secretary
        self.application: Application | None = None
        self.initiative: Initiative | None = None

    def run(self, item: dict) -> None:
        self.start(item["application"])
        self.loader.count(Application, "created")
        for step in item.get("steps", []):
            name, options = (step, {}) if isinstance(step, str) else next(iter(step.items()))
            getattr(self, f"step_{name}")(**(options or {}))

    def user(self, email: str):
        return self.loader.users[email]

    # --- the applicant ----------------------------------------------------------------------

    def start(self, data: dict) -> None:
        """Answer the eligibility questions as the call asks, start the draft, write it."""
        answers = {str(q.pk): q.required_answer for q in self.edition.eligibility_questions.all()}
        language = data.get("language", self.applicant.language)
        application = grants.application_start(
            edition=self.edition,
            organisation=self.organisation,
            actor=self.applicant,
            answers=answers,
            title=data["title"],
            language=language,
        )
        fields = {
            name: value
            for name, value in data.items()
            if name in grants.EDITABLE_FIELDS and name != "title"
        }
        if "requested_amount" in fields:
            fields["requested_amount"] = money(fields["requested_amount"])
        self.application = grants.application_update(
            application=application,
            actor=self.applicant,
            data=fields,
            themes=[self.loader.themes[slug] for slug in data.get("themes", [])],
            version=application.version,
        )

    def step_submit(self) -> None:
        self.application = grants.application_submit(
            application=self.application, actor=self.applicant
        )

    def step_withdraw(self, comment: str = "") -> None:
        self.application = grants.application_withdraw(
            application=self.application, actor=self.applicant, comment=comment
        )

    # --- the secretariat on the application -------------------------------------------------

    def step_screen(self, eligible: bool, reason: str = "") -> None:
        self.application = grants.application_screen(
            application=self.application,
            actor=self.secretary,
            is_eligible=eligible,
            reason=reason,
        )

    def step_more_info(self, comment: str) -> None:
        self.application = grants.application_request_more_info(
            application=self.application, actor=self.secretary, comment=comment
        )

    def step_assign(self, reviewers: list[str]) -> None:
        active = self.application.assignments.filter(is_recused=False).count()
        grants.reviewers_assign(
            applications=[self.application],
            reviewers=[self.user(email) for email in reviewers],
            per_application=active + len(reviewers),
            actor=self.secretary,
        )

    def step_shortlist(self, comment: str = "") -> None:
        self.application = grants.application_shortlist(
            application=self.application, actor=self.secretary, comment=comment
        )

    def step_approve(self, amount, period_start, period_end, message: str = "") -> None:
        self.initiative = grants.application_approve(
            application=self.application,
            actor=self.secretary,
            amount=money(amount),
            period_start=period_start,
            period_end=period_end,
            message=message,
        )
        self.loader.count(Initiative, "created")

    def step_decline(self, message: str) -> None:
        self.application = grants.application_decline(
            application=self.application, actor=self.secretary, message=message
        )

    # --- reviewers ------------------------------------------------------------------------------

    def assignment(self, reviewer: str) -> ReviewAssignment:
        return self.application.assignments.get(reviewer=self.user(reviewer))

    def step_conflict(self, reviewer: str, note: str) -> None:
        grants.conflict_declare(
            assignment=self.assignment(reviewer),
            actor=self.user(reviewer),
            has_conflict=True,
            note=note,
        )

    def step_review(
        self,
        reviewer: str,
        scores: dict,
        recommendation: str = "",
        comment: str = "",
        submit: bool = True,
    ) -> None:
        """Declare no conflict of interest, then score (``scores`` by criterion name)."""
        assignment = self.assignment(reviewer)
        grants.conflict_declare(
            assignment=assignment, actor=assignment.reviewer, has_conflict=False
        )
        criteria = {c.name_en: c.pk for c in self.edition.criteria.all()}
        grants.review_save(
            assignment=assignment,
            actor=assignment.reviewer,
            scores={criteria[name]: score for name, score in scores.items()},
            recommendation=recommendation,
            comment=comment,
            submit=submit,
        )

    # --- the grant ------------------------------------------------------------------------------

    def lines(self) -> list[int]:
        return list(self.initiative.lines_of_action.order_by("order").values_list("pk", flat=True))

    def line(self, number: int | None) -> int | None:
        return None if number is None else self.lines()[number - 1]

    def step_workplan(
        self, activities: list[dict], budget: list[dict], indicators: list[dict]
    ) -> None:
        """The grantee writes the workplan's activities, budget and indicators (the lines of
        action come from the application). Rows name their line of action by its number."""
        sections = {
            "activities": [
                {
                    "id": None,
                    "order": n,
                    **{k: v for k, v in row.items() if k != "line"},
                    "line_of_action": self.line(row.get("line")),
                    "budget": money(row.get("budget")),
                }
                for n, row in enumerate(activities, start=1)
            ],
            "budget": [
                {
                    "id": None,
                    "order": n,
                    **{k: v for k, v in row.items() if k != "line"},
                    "line_of_action": self.line(row.get("line")),
                    "amount": money(row["amount"]),
                }
                for n, row in enumerate(budget, start=1)
            ],
            "indicators": [
                {
                    "id": None,
                    "order": n,
                    **{k: v for k, v in row.items() if k != "line"},
                    "line_of_action": self.line(row.get("line")),
                    "baseline": money(row.get("baseline")),
                    "target": money(row["target"]),
                }
                for n, row in enumerate(indicators, start=1)
            ],
        }
        for section, rows in sections.items():
            self.initiative = grants.workplan_section_save(
                initiative=self.initiative,
                actor=self.applicant,
                section=section,
                rows=rows,
                language=self.applicant.language,
                read_version=grants.section_version(self.initiative, section),
            )

    def step_workplan_submit(self) -> None:
        self.initiative = grants.workplan_submit(initiative=self.initiative, actor=self.applicant)

    def step_workplan_approve(self, comment: str = "") -> None:
        self.initiative = grants.workplan_approve(
            initiative=self.initiative, actor=self.secretary, comment=comment
        )

    # --- the grant agreement ---------------------------------------------------------------

    def agreement(self, status: str) -> Agreement:
        return Agreement.objects.get(initiative=self.initiative, status=status)

    def step_agreement_issue(self) -> None:
        """The secretariat issues the grant agreement (its text and PDF drawn up from the
        edition's template, in the grantee's language); the organisation's signatories are
        told."""
        grants.agreement_issue(initiative=self.initiative, actor=self.secretary)

    def step_agreement_sign(self, by: str, full_name: str = "") -> None:
        """A signatory of the organisation (``by``) accepts the agreement in the portal: their
        name typed, and the SHA-256 of the PDF the page showed them."""
        agreement = self.agreement(AgreementStatus.ISSUED)
        signatory = self.user(by)
        grants.agreement_sign(
            agreement=agreement,
            actor=signatory,
            full_name=full_name or signatory.full_name,
            ip_address=None,
            sha256=agreement.pdf_sha256,
        )

    def step_agreement_countersign(self) -> None:
        """The secretariat countersigns: the tranche paid on signature becomes payable and,
        once the workplan is approved too, the grant active."""
        grants.agreement_countersign(
            agreement=self.agreement(AgreementStatus.SIGNED), actor=self.secretary
        )
        self.initiative.refresh_from_db()

    def step_payee_details(self, **values) -> None:
        """The organisation's administrator (the applicant) enters its bank details."""
        payee = PayeeDetails.objects.filter(organisation=self.organisation).first()
        payee_details_save(
            organisation=self.organisation,
            actor=self.applicant,
            values=values,
            read_version=payee.version if payee else 0,
        )

    def step_payee_verify(self) -> None:
        """A second member of the secretariat (the file's "verifier") verifies them."""
        payee = PayeeDetails.objects.get(organisation=self.organisation)
        payee_details_verify(payee=payee, actor=self.verifier, version=payee.version)

    def step_tranche_pay(
        self,
        tranche: int,
        paid_on: datetime.date,
        reference: str = "",
        amount_sent=None,
        currency: str = "",
        exchange_rate="1",
        fees="0",
    ) -> None:
        """Paid as sent: by default the tranche's amount in the grant's currency, no fees."""
        disbursement = self.initiative.disbursements.get(tranche=tranche)
        grants.disbursement_mark_paid(
            disbursement=disbursement,
            actor=self.secretary,
            # The service refuses a date after the local today, which can be a day behind the
            # load day around midnight.
            paid_on=min(paid_on, timezone.localdate()),
            amount_sent=money(amount_sent) or disbursement.amount,
            currency=currency or disbursement.currency,
            exchange_rate=money(exchange_rate),
            fees=money(fees),
            reference=reference,
        )

    # --- reports --------------------------------------------------------------------------------

    def report(self, kind: str) -> Report:
        return Report.objects.get(initiative=self.initiative, kind=kind)

    def step_report_save(self, kind: str, **content) -> None:
        """The grantee writes (part of) a report; rows are named by their number in the
        workplan."""
        report = self.report(kind)
        initiative = self.initiative

        def by_number(rows, content_key: str, convert: str | None = None) -> dict:
            ids = list(rows.order_by("order", "pk").values_list("pk", flat=True))
            return {
                ids[n - 1]: {**row, convert: money(row.get(convert))} if convert else row
                for n, row in content.get(content_key, {}).items()
            }

        report_save(
            report=report,
            actor=self.applicant,
            content=ReportContent(
                narratives=by_number(initiative.lines_of_action, "narratives"),
                progress=by_number(initiative.activities, "progress"),
                indicators=by_number(initiative.indicators, "indicators", "value"),
                spending=by_number(initiative.budget_lines, "spending", "amount"),
                challenges=content.get("challenges", ""),
                lessons=content.get("lessons", ""),
                highlights=content.get("highlights", ""),
            ),
            read_version=report.version,
        )

    def step_report_submit(self, kind: str) -> None:
        report_submit(report=self.report(kind), actor=self.applicant)
