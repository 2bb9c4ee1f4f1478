"""A grant from its award to its results on the public page, in headless Chromium.

The grant is awarded through the decision service (the back office's decision page is walked by
``test_call_journey.py``), from an edition whose tranche plan pays 30 % on signature, 40 % when
the interim report is accepted and 30 % when the final one is. Then everything happens in the
browsers of four people: the organisation's administrator (Rosa), the colleague she makes its
signatory (Luis), two members of the secretariat (Sam, and Vera for the second pair of eyes on
the bank details), and a visitor.

Issued in the back office → signed in the portal (name typed, box ticked) → countersigned (the
first tranche payable) → bank details entered in the portal, a payment refused while they are
not verified, verified by Vera → paid with a rate and fees → the amount received confirmed →
workplan approved (the initiative active) → interim report accepted (the second tranche
payable, then paid) → final report with a photo the people shown agreed to publish, accepted →
the last tranche paid: the system completes the initiative → the secretariat publishes the
highlights and the photo, translates the highlights into French, publishes the initiative →
the visitor reads the results in English and in French (the caption, not translated, with the
note). Screenshots in test-artifacts/lifecycle-*.png.
"""

from __future__ import annotations

import datetime
import json
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from grants.models import Agreement, Disbursement, Initiative
from grants.services import application_approve, section_version, workplan_section_save
from organisations.models import Membership, PayeeDetails, User
from organisations.twofactor import requires_two_factor
from reports.models import Attachment, PublicResult
from tests.e2e.axe import axe_violations
from tests.factories import OrganisationFactory, UserFactory
from tests.grants.factories import applicant, open_edition, under_review
from tests.grants.lifecycle import plan
from tests.portal.factories import PASSWORD, make_secretary
from tests.twofactor import authenticator, give_code_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Harm reduction in the Andes"
HIGHLIGHTS = "Forty peer educators trained in El Alto; the city council funds their drop-in centre."
HIGHLIGHTS_FR = (
    "Quarante pairs éducateurs formés à El Alto ; la mairie finance leur centre d’accueil."
)
CAPTION = "The peer educators after their last workshop"


@pytest.fixture
def grant(live_server, settings, tmp_path):
    """An awarded grant of USD 4,500 in three tranches (1,350 on signature, 1,800 on the
    interim report, 1,350 on the final one), its organisation's administrator and a colleague,
    and two members of the secretariat with their authenticator apps."""
    settings.SITE_URL = live_server.url
    settings.MEDIA_ROOT = tmp_path / "media"
    today = timezone.localdate()
    sam = make_secretary(email="secretariat@example.org")
    vera = make_secretary(email="verifier@example.org")
    vera.full_name = "Vera Verifier"
    vera.save()
    for staff in (sam, vera):
        authenticator(staff)  # staff give a code from their app after the password
    edition = open_edition(
        year=today.year,
        slug=str(today.year),
        title_en=f"Initiatives Programme {today.year}",
        period_start=today - datetime.timedelta(days=60),
        period_end=today + datetime.timedelta(days=120),
    )
    plan(edition, ("30", "signature"), ("40", "interim"), ("30", "final"))
    organisation = OrganisationFactory(name="Colectivo Nueva Luz", country="BO")
    application = under_review(edition, sam, organisation=organisation, title=TITLE)
    rosa = applicant(application)
    rosa.email, rosa.full_name, rosa.language = "rosa@example.org", "Rosa Mamani", "en"
    rosa.save()
    application_approve(
        application=application,
        actor=sam,
        amount=Decimal("4500"),
        period_start=edition.period_start,
        period_end=edition.period_end,
    )
    luis = UserFactory(email="luis@example.org", full_name="Luis Quispe", language="en")
    Membership.objects.create(user=luis, organisation=organisation, role=Membership.Role.MEMBER)
    initiative = Initiative.objects.get(application=application)
    assert initiative.status == "awarded"
    assert [(t.amount, t.condition, t.status) for t in tranches(initiative)] == [
        (Decimal("1350.00"), "signature", "planned"),
        (Decimal("1800.00"), "interim", "planned"),
        (Decimal("1350.00"), "final", "planned"),
    ]
    mail.outbox.clear()
    return initiative


def tranches(initiative) -> list[Disbursement]:
    return list(Disbursement.objects.filter(initiative=initiative).order_by("tranche"))


def statuses(initiative) -> list[str]:
    return [t.status for t in tranches(initiative)]


def log_in(page, base: str, email: str, *, admin: bool = False) -> None:
    """The login page (the portal's or the back office's), then the code for staff."""
    user = User.objects.get(email=email)
    page.goto(f"{base}/en/admin/login/" if admin else f"{base}/en/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    if admin:
        page.click("#login-form [type=submit]")
    else:
        page.locator("main").get_by_role("button", name="Log in").click()
    if requires_two_factor(user):
        give_code_in_browser(page, user)
    page.wait_for_url("**/en/admin/" if admin else "**/en/portal/")


def run_action(page, label: str, *objects) -> None:
    """Tick ``objects`` in the back office's list on the page and run the action ``label``."""
    for obj in objects:
        page.check(f"input[name=_selected_action][value='{obj.pk}']")
    page.select_option("select[name=action]", label=label)
    page.click("button[name=index]")


def write_workplan(initiative, member) -> None:
    """The workplan's rows under the application's two lines of action (content, written as
    the workplan pages would; no status moves)."""
    workshops, campaign = initiative.lines_of_action.order_by("order")
    start = initiative.period_start
    sections = {
        "activities": [
            {
                "id": None,
                "order": 1,
                "title": "Six peer workshops",
                "line_of_action": workshops.pk,
                "starts_on": start,
                "ends_on": start + datetime.timedelta(days=60),
                "place": "El Alto",
                "status": "planned",
            },
            {
                "id": None,
                "order": 2,
                "title": "Posters and radio spots",
                "line_of_action": campaign.pk,
                "place": "La Paz",
                "status": "planned",
            },
        ],
        "budget": [
            {"id": None, "order": 1, "category": "Workshops", "amount": Decimal("3000")},
            {"id": None, "order": 2, "category": "Campaign", "amount": Decimal("1500")},
        ],
        "indicators": [
            {
                "id": None,
                "order": 1,
                "name": "Peer educators trained",
                "line_of_action": workshops.pk,
                "unit": "people",
                "target": Decimal("40"),
            }
        ],
    }
    for section, rows in sections.items():
        workplan_section_save(
            initiative=initiative,
            actor=member,
            section=section,
            rows=rows,
            language="en",
            read_version=section_version(Initiative.objects.get(pk=initiative.pk), section),
        )


def write_report(page, *, highlights: str) -> None:
    """The report form, every required section filled (the workplan's two lines, two
    activities, one indicator, two budget lines)."""
    main = page.locator("main")
    main.get_by_label("Peer workshops").fill("We trained forty peer educators in El Alto.")
    main.get_by_label("Campaign").fill("Our posters and radio spots reached the city council.")
    for select in page.locator("select[name$='_status']").all():
        select.select_option("done")
    for field in page.locator("input[name$='_percent']").all():
        field.fill("100")
    page.locator("input[name$='_value']").first.fill("40")
    for field in page.locator("input[name$='_amount']").all():
        field.fill("1200")
    page.get_by_role("textbox", name="Challenges").fill("The rains came early.")
    page.get_by_role("textbox", name="Lessons learned").fill("Plan for the dry season.")
    page.get_by_role("textbox", name="Highlights").fill(highlights)


def test_a_grant_from_award_to_results(new_page, live_server, grant, artifacts, tmp_path):
    base = live_server.url
    initiative = grant
    organisation = initiative.lead_organisation
    first, second, third = tranches(initiative)
    accessibility = {}

    def shot(page, name: str) -> None:
        page.screenshot(path=str(artifacts / f"lifecycle-{name}.png"), full_page=True)

    def check(name: str, page) -> None:
        if found := axe_violations(page):
            accessibility[name] = found

    def refresh():
        initiative.refresh_from_db()
        return initiative

    office = new_page(viewport={"width": 1400, "height": 900})
    log_in(office, base, "secretariat@example.org", admin=True)
    rosa = new_page()
    log_in(rosa, base, "rosa@example.org")

    # 1. Rosa, the organisation's administrator, makes her colleague Luis its signatory.
    rosa.get_by_role("link", name="Members and invitations").click()
    rosa.get_by_label("Role of Luis Quispe").select_option("signatory")
    rosa.get_by_role("row", name=re.compile("Luis Quispe")).get_by_role(
        "button", name="Change the role"
    ).click()
    expect(rosa.get_by_text("Luis Quispe is now: Signatory.")).to_be_visible()
    assert Membership.objects.get(user__email="luis@example.org").role == "signatory"

    # 2. The secretariat issues the grant agreement from the list of initiatives.
    office.goto(f"{base}/en/admin/grants/initiative/")
    run_action(
        office, "Issue the grant agreement (a new version replaces one not signed)", initiative
    )
    expect(office.get_by_text("Agreements issued: 1.")).to_be_visible()
    shot(office, "01-agreement-issued")
    agreement = Agreement.objects.get(initiative=initiative)
    assert (agreement.version, agreement.status) == (1, "issued")
    assert agreement.pdf_sha256 and agreement.language == "en"
    assert [m.to for m in mail.outbox] == [["luis@example.org"]]  # the signatory is told

    # Rosa reads it, and learns who signs.
    rosa.goto(f"{base}/en/portal/initiatives/{initiative.pk}/agreement/")
    expect(
        rosa.get_by_text("Only the organisation's signatories can sign it: Luis Quispe.")
    ).to_be_visible()
    assert rosa.get_by_role("button", name="Sign the agreement").count() == 0

    # 3. Luis signs it in the portal: his full name typed, the box ticked.
    luis = new_page()
    log_in(luis, base, "luis@example.org")
    expect(luis.get_by_text("waiting for your signature")).to_be_visible()
    luis.get_by_role("link", name="Grant agreement").click()
    document = luis.locator(".agreement-document")
    expect(document).to_contain_text("Colectivo Nueva Luz")
    expect(document).to_contain_text(TITLE)
    expect(document).to_contain_text("4,500 USD")
    expect(document).to_contain_text("1,350 USD")
    check("agreement to sign", luis)
    luis.get_by_label("Your full name").fill("Luis Alberto Quispe")
    luis.get_by_label(
        "I have read this agreement and I accept it on behalf of Colectivo Nueva Luz."
    ).check()
    shot(luis, "02-agreement-to-sign")
    luis.get_by_role("button", name="Sign the agreement").click()
    expect(
        luis.get_by_text(
            "You signed version 1 of the agreement. The secretariat will countersign it."
        )
    ).to_be_visible()
    expect(luis.get_by_text("Signed for the organisation by Luis Alberto Quispe")).to_be_visible()
    check("agreement signed", luis)
    shot(luis, "03-agreement-signed")
    agreement.refresh_from_db()
    assert agreement.status == "signed"
    assert (agreement.signer_name, agreement.signed_by.email) == (
        "Luis Alberto Quispe",
        "luis@example.org",
    )
    assert agreement.signed_sha256 == agreement.pdf_sha256
    assert agreement.signer_ip == "127.0.0.1" and agreement.signature_method == "online"

    # 4. The secretariat countersigns: the first tranche becomes payable.
    office.goto(f"{base}/en/admin/grants/agreement/")
    run_action(office, "Countersign the selected agreements", agreement)
    expect(office.get_by_text("Agreements countersigned: 1.")).to_be_visible()
    agreement.refresh_from_db()
    assert agreement.status == "countersigned" and agreement.countersigned_by.email == (
        "secretariat@example.org"
    )
    assert statuses(initiative) == ["payable", "planned", "planned"]
    assert refresh().status == "awarded"  # the workplan is not approved yet
    rosa.goto(f"{base}/en/portal/")
    expect(rosa.get_by_text("Countersigned", exact=True)).to_be_visible()

    # 5. Rosa gives the bank details; they are shown masked, waiting for verification.
    rosa.get_by_role("link", name="Bank details").click()
    form = rosa.locator("main form")
    form.get_by_label("Account holder").fill("Colectivo Nueva Luz")
    form.locator("#id_bank_name").fill("Banco Nacional de Bolivia")
    form.get_by_label("IBAN or account number").fill("DE89 3704 0044 0532 0130 00")
    form.get_by_label("SWIFT/BIC").fill("COBADEFFXXX")
    form.get_by_label("Country of the bank").select_option("DE")
    form.get_by_label("Currency of the account").fill("EUR")
    rosa.get_by_role("button", name="Save the bank details").click()
    expect(
        rosa.get_by_text("The bank details were saved. The secretariat verifies them")
    ).to_be_visible()
    saved = rosa.locator("#saved-details").locator("..")
    expect(saved).to_contain_text("Waiting for verification")
    assert "0532 0130 00" not in rosa.locator("main").inner_text()
    check("bank details", rosa)
    shot(rosa, "04-bank-details")
    payee = PayeeDetails.objects.get(organisation=organisation)
    assert payee.current.created_by.full_name == "Rosa Mamani" and not payee.current.is_verified

    # 6. Sam cannot pay yet: the details are not verified by a second person.
    office.goto(f"{base}/en/admin/grants/disbursement/")
    run_action(office, "Record the payment of the selected tranches", first)
    expect(office.locator(".errornote")).to_contain_text("are not verified yet")
    office.get_by_role("button", name="Record the payments").click()
    expect(office.get_by_text("are not verified yet").first).to_be_visible()
    assert statuses(initiative) == ["payable", "planned", "planned"]

    # 7. Vera, a second member of the secretariat, verifies them.
    vera = new_page(viewport={"width": 1400, "height": 900})
    log_in(vera, base, "verifier@example.org", admin=True)
    vera.goto(f"{base}/en/admin/organisations/payeedetails/")
    vera.get_by_role("link", name="Verify the bank details").click()
    expect(vera.locator(".payee-account_number")).to_contain_text("DE89")
    shot(vera, "05-verify-bank-details")
    vera.get_by_role("button", name="Verify these bank details").click()
    expect(
        vera.get_by_text("The bank details of Colectivo Nueva Luz are verified.")
    ).to_be_visible()
    payee.refresh_from_db()
    assert payee.current.verified_by.email == "verifier@example.org"

    # 8. Sam records the payment: sent in euros, at a rate, with fees.
    office.goto(f"{base}/en/admin/grants/disbursement/")
    run_action(office, "Record the payment of the selected tranches", first)
    office.get_by_label("Amount sent").fill("1242.00")
    office.get_by_label("Currency sent").fill("EUR")
    office.get_by_label("Exchange rate").fill("0.92")
    office.get_by_label("Fees").fill("12.50")
    office.get_by_label("Payment reference").fill("WIRE-0001")
    shot(office, "06-record-payment")
    office.get_by_role("button", name="Record the payments").click()
    expect(office.get_by_text("1 payment recorded.")).to_be_visible()
    first.refresh_from_db()
    assert (first.status, first.amount_sent, first.sent_currency) == ("paid", 1242, "EUR")
    assert (first.exchange_rate, first.fees, first.reference) == (
        Decimal("0.92"),
        12.5,
        "WIRE-0001",
    )
    assert first.payee.verified_by.email == "verifier@example.org"

    # 9. Rosa confirms what reached the account.
    rosa.goto(f"{base}/en/portal/")
    rosa.get_by_role("link", name="confirm the amount received").click()
    main = rosa.locator("main")
    expect(main).to_contain_text("1,242 EUR")
    assert main.get_by_label("Amount received").input_value() == "1242.00"
    main.get_by_label("Amount received").fill("1238.00")
    check("payment received", rosa)
    rosa.get_by_role("button", name="Confirm the amount received").click()
    expect(rosa.get_by_text("Thank you: the amount received is recorded.")).to_be_visible()
    shot(rosa, "07-amount-received")
    first.refresh_from_db()
    assert (first.amount_received, first.received_currency) == (Decimal("1238.00"), "EUR")
    assert not first.has_received_difference

    # 10. The workplan: Rosa submits it, Sam approves it; the initiative is active.
    write_workplan(initiative, User.objects.get(email="rosa@example.org"))
    rosa.goto(f"{base}/en/portal/initiatives/{initiative.pk}/workplan/")
    rosa.get_by_role("button", name="Submit the workplan").click()
    office.goto(f"{base}/en/secretariat/initiatives/{initiative.pk}/workplan/review/")
    office.get_by_role("button", name="Approve the workplan").click()
    assert refresh().status == "active"
    steps = initiative.history.filter(workflow="initiative").order_by("pk")
    assert list(steps.values_list("from_status", "to_status", "role")) == [
        ("awarded", "workplan_approved", "secretariat"),
        ("workplan_approved", "active", "system"),
    ]

    # 11. The interim report: written and sent by Rosa, accepted by Sam; the second tranche
    # becomes payable, and Sam pays it (in dollars, as the page proposes).
    interim, final = initiative.reports.order_by("due_on")
    rosa.goto(f"{base}/en/portal/reports/{interim.pk}/edit/")
    write_report(rosa, highlights="Forty people trained.")
    rosa.get_by_role("button", name="Save and submit to the secretariat").click()
    expect(rosa.get_by_text("Your report was sent to the secretariat")).to_be_visible()
    office.goto(f"{base}/en/secretariat/reports/{interim.pk}/review/")
    office.get_by_role("button", name="Accept the report").click()
    expect(office.get_by_text("The report was accepted.")).to_be_visible()
    assert statuses(initiative) == ["paid", "payable", "planned"]
    office.goto(f"{base}/en/admin/grants/disbursement/")
    run_action(office, "Record the payment of the selected tranches", second)
    office.get_by_label("Payment reference").fill("WIRE-0002")
    office.get_by_role("button", name="Record the payments").click()
    expect(office.get_by_text("1 payment recorded.")).to_be_visible()
    assert statuses(initiative) == ["paid", "paid", "planned"]

    # 12. The final report, with highlights and a photo the people shown agreed to publish.
    photo = tmp_path / "educators.jpg"
    Image.new("RGB", (1200, 800), (30, 110, 90)).save(photo, format="JPEG")
    rosa.goto(f"{base}/en/portal/reports/{final.pk}/edit/")
    write_report(rosa, highlights=HIGHLIGHTS)
    rosa.get_by_role("button", name="Save the draft").click()
    expect(rosa.get_by_text("Your draft was saved.")).to_be_visible()
    rosa.get_by_role("link", name="Files and photos").first.click()
    rosa.locator("main").get_by_label("File or photo").set_input_files(str(photo))
    rosa.locator("main").get_by_label("Caption").fill(CAPTION)
    rosa.locator("main").get_by_label(
        "The people shown agreed that this photo may be published"
    ).check()
    rosa.get_by_role("button", name="Add the file").click()
    expect(rosa.get_by_text("“educators.jpg” was added.")).to_be_visible()
    rosa.goto(f"{base}/en/portal/reports/{final.pk}/edit/")
    rosa.get_by_role("button", name="Save and submit to the secretariat").click()
    expect(rosa.get_by_text("Your report was sent to the secretariat")).to_be_visible()
    office.goto(f"{base}/en/secretariat/reports/{final.pk}/review/")
    office.get_by_role("button", name="Accept the report").click()
    expect(office.get_by_text("The report was accepted.")).to_be_visible()
    assert statuses(initiative) == ["paid", "paid", "payable"]
    assert refresh().status == "active"  # the last tranche is not paid yet

    # 13. The last tranche paid: the system completes the initiative.
    office.goto(f"{base}/en/admin/grants/disbursement/")
    run_action(office, "Record the payment of the selected tranches", third)
    office.get_by_label("Payment reference").fill("WIRE-0003")
    office.get_by_role("button", name="Record the payments").click()
    expect(office.get_by_text("1 payment recorded.")).to_be_visible()
    assert statuses(initiative) == ["paid", "paid", "paid"]
    assert refresh().status == "completed"
    completed = initiative.history.get(workflow="initiative", to_status="completed")
    assert (completed.from_status, completed.role) == ("active", "system")
    rosa.goto(f"{base}/en/portal/")
    expect(rosa.locator("main")).to_contain_text("Completed")
    shot(rosa, "08-portal-completed")

    # 14. The secretariat publishes the results, translates the highlights into French, and
    # publishes the initiative.
    office.goto(f"{base}/en/secretariat/reports/{final.pk}/results/")
    office.get_by_label("Publish the highlights").check()
    office.get_by_label("Publish educators.jpg").check()
    check("results to publish", office)
    office.get_by_role("button", name="Update the public page").click()
    expect(office.get_by_text("The public page of the initiative was updated.")).to_be_visible()
    shot(office, "09-results-published")
    published = PublicResult.objects.filter(initiative=initiative, is_published=True)
    assert sorted(published.values_list("kind", flat=True)) == ["highlights", "photo"]
    assert Attachment.objects.get(report=final).is_publishable

    highlights = published.get(kind="highlights")
    office.goto(f"{base}/en/admin/reports/publicresult/{highlights.pk}/change/")
    office.get_by_role("tab", name="FR").first.click()
    office.locator("#id_text_fr").fill(HIGHLIGHTS_FR)
    office.locator("input[name=_save]").click()
    expect(office.locator(".messagelist")).to_contain_text("was changed successfully")
    office.goto(f"{base}/en/admin/grants/initiative/{initiative.pk}/change/")
    office.locator("#id_is_published").check()
    office.locator("input[name=_save]").click()
    expect(office.locator(".messagelist")).to_contain_text("was changed successfully")
    assert refresh().is_published

    # 15. A visitor reads the results, in English and in French.
    visitor = new_page()
    path = initiative.get_absolute_url()
    visitor.goto(base + path)
    results = visitor.locator("section.results")
    expect(results.get_by_role("heading", name="Results")).to_be_visible()
    expect(results).to_contain_text(HIGHLIGHTS)
    expect(results.get_by_role("img", name=CAPTION)).to_be_visible()
    expect(results.locator("figcaption")).to_contain_text(CAPTION)
    assert "Not yet translated" not in results.inner_text()
    check("results (en)", visitor)
    shot(visitor, "10-results-en")

    visitor.get_by_role("link", name="français", exact=True).click()
    visitor.wait_for_url("**/fr/**")
    results = visitor.locator("section.results")
    expect(results.get_by_role("heading", name="Résultats")).to_be_visible()
    expect(results).to_contain_text(HIGHLIGHTS_FR)
    assert HIGHLIGHTS not in results.inner_text()
    # The caption has no French text: shown in English, with the note.
    expect(results.locator("figcaption")).to_contain_text(CAPTION)
    expect(results.locator("figcaption")).to_contain_text("anglais")
    check("results (fr)", visitor)
    shot(visitor, "11-results-fr")

    assert accessibility == {}, json.dumps(accessibility, indent=1)
