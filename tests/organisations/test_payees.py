"""Bank details: entered by the organisation's administrators or signatories, every version
kept, shown masked, a stale save refused with the text shown back, and verified by a member of
the secretariat who edited none of the versions since the last verification (four eyes)."""

import pytest
from django.urls import reverse

from notifications.models import Notification
from organisations.errors import PayeeError, StalePayeeDetails
from organisations.models import Membership, PayeeDetails, mask_account_number
from organisations.selectors import can_manage_payee, payee_problem, verified_payee
from organisations.services import payee_details_save, payee_details_verify
from tests.factories import OrganisationFactory, UserFactory
from tests.grants.factories import secretariat_user
from tests.grants.lifecycle import PAYEE

pytestmark = pytest.mark.django_db

IBAN = "DE89 3704 0044 0532 0130 00"


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Acción Andina")


@pytest.fixture
def admin(organisation):
    user = UserFactory(email="ana@example.org", full_name="Ana Admin")
    Membership.objects.create(user=user, organisation=organisation, role=Membership.Role.ADMIN)
    return user


@pytest.fixture
def secretary():
    return secretariat_user("sam@example.org", full_name="Sam Secretariat")


@pytest.fixture
def verifier():
    return secretariat_user("vera@example.org", full_name="Vera Verifier")


def save(organisation, actor, **values):
    payee = PayeeDetails.objects.filter(organisation=organisation).first()
    return payee_details_save(
        organisation=organisation,
        actor=actor,
        values={**PAYEE, **values},
        read_version=payee.version if payee else 0,
    )


# --- who may enter them --------------------------------------------------------------------


def test_administrators_and_signatories_manage_the_details_members_do_not(organisation, admin):
    member = UserFactory()
    Membership.objects.create(user=member, organisation=organisation, role=Membership.Role.MEMBER)
    signatory = UserFactory()
    # The signatory role is named by its value: it works once the role exists.
    Membership.objects.create(user=signatory, organisation=organisation, role="signatory")
    stranger = UserFactory()
    Membership.objects.create(user=stranger, organisation=OrganisationFactory(), role="admin")
    assert can_manage_payee(admin, organisation)
    assert can_manage_payee(signatory, organisation)
    assert not can_manage_payee(member, organisation)
    assert not can_manage_payee(stranger, organisation)
    for person in (member, stranger):
        with pytest.raises(PayeeError, match="administrator or a signatory"):
            save(organisation, person)
    assert not PayeeDetails.objects.exists()
    save(organisation, signatory)
    assert PayeeDetails.objects.get().current.created_by == signatory


# --- history -------------------------------------------------------------------------------


def test_every_save_is_a_version_and_the_secretariat_is_told(organisation, admin, secretary):
    first = save(organisation, admin)
    second = save(organisation, admin, bank_name="Banco Nuevo")
    assert second.version == 2
    versions = list(second.versions.order_by("number"))
    assert [(v.number, v.bank_name, v.created_by) for v in versions] == [
        (1, "Banco de Crédito", admin),
        (2, "Banco Nuevo", admin),
    ]
    assert second.current == versions[1] and first.pk == second.pk
    # Typed values are normalised, never lost: the IBAN kept with its spaces, in capitals.
    assert versions[0].account_number == IBAN
    told = Notification.objects.filter(kind="payee_details_changed", recipient=secretary)
    assert told.count() == 2
    assert "/admin/organisations/payeedetails/" in told.first().path


def test_an_unchanged_save_makes_no_version(organisation, admin):
    save(organisation, admin)
    payee = save(organisation, admin)
    assert payee.version == 1 and payee.versions.count() == 1


def test_an_empty_account_number_keeps_the_saved_one(organisation, admin):
    save(organisation, admin)
    payee = save(organisation, admin, account_number="", bank_name="Banco Nuevo")
    assert payee.current.account_number == IBAN and payee.current.bank_name == "Banco Nuevo"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("account_number", "DE00 3704 0044 0532 0130 00", "not valid"),
        ("account_number", "", "required"),
        ("account_number", "12<script>", "Use only letters"),
        ("swift_bic", "COBA", "8 or 11"),
        ("currency", "euro", "three-letter"),
        ("country", "XX", "Choose a country"),
        ("account_holder", "  ", "required"),
    ],
)
def test_bad_details_are_refused_with_a_message(organisation, admin, field, value, message):
    with pytest.raises(PayeeError) as error:
        save(organisation, admin, **{field: value})
    assert message in error.value.errors[field]
    assert not PayeeDetails.objects.filter(current__isnull=False).exists()


def test_an_account_number_that_is_not_an_iban_is_accepted(organisation, admin):
    payee = save(organisation, admin, account_number="0011-0123-45-0200012345", country="BO")
    assert payee.current.account_number == "0011-0123-45-0200012345"


def test_a_stale_save_is_refused(organisation, admin):
    save(organisation, admin)
    with pytest.raises(StalePayeeDetails):
        payee_details_save(
            organisation=organisation,
            actor=admin,
            values={**PAYEE, "bank_name": "Old copy"},
            read_version=0,
        )
    assert PayeeDetails.objects.get().current.bank_name == "Banco de Crédito"


# --- masking -------------------------------------------------------------------------------


def test_account_numbers_are_masked_to_their_last_four_characters():
    assert mask_account_number(IBAN) == "•••• 3000"
    assert mask_account_number("123") == "••••"
    assert mask_account_number("") == ""


def test_the_portal_shows_the_details_masked(client, organisation, admin):
    save(organisation, admin)
    client.force_login(admin)
    page = client.get(reverse("portal:payee", kwargs={"pk": organisation.pk})).content.decode()
    assert "•••• 3000" in page
    assert "0532" not in page  # never the full number, not even in the form
    assert "Waiting for verification" in page


def test_the_back_office_list_masks_and_the_verification_page_shows_in_full(
    client, organisation, admin, secretary
):
    payee = save(organisation, admin)
    client.force_login(secretary)
    listing = client.get(reverse("admin:organisations_payeedetails_changelist")).content.decode()
    assert "•••• 3000" in listing and "0532" not in listing
    history = client.get(
        reverse("admin:organisations_payeedetailsversion_changelist")
    ).content.decode()
    assert "•••• 3000" in history and "0532" not in history
    page = client.get(reverse("admin:organisations_payeedetails_verify", args=[payee.pk]))
    assert page.status_code == 200
    assert IBAN in page.content.decode()


def test_only_the_secretariat_opens_the_verification_page(client, organisation, admin):
    payee = save(organisation, admin)
    reviewer = UserFactory(is_staff=True)
    client.force_login(reviewer)
    url = reverse("admin:organisations_payeedetails_verify", args=[payee.pk])
    assert client.get(url).status_code in (302, 403)
    assert client.post(url, {"version": payee.version}).status_code in (302, 403)
    assert not PayeeDetails.objects.get().is_verified


# --- four eyes -----------------------------------------------------------------------------


def test_a_second_person_verifies_and_the_organisation_is_told(organisation, admin, secretary):
    payee = save(organisation, admin)
    assert payee_problem(organisation) and verified_payee(organisation) is None
    payee = payee_details_verify(payee=payee, actor=secretary, version=payee.version)
    assert payee.current.verified_by == secretary and payee.current.verified_at
    assert payee_problem(organisation) is None and verified_payee(organisation) == payee.current
    assert Notification.objects.filter(kind="payee_details_verified", recipient=admin).exists()
    # A change after the verification needs another verification.
    save(organisation, admin, bank_name="Banco Nuevo")
    assert "not verified" in payee_problem(organisation)


def test_nobody_verifies_details_they_entered(organisation, secretary, verifier):
    # A member of the secretariat who is also the organisation's administrator.
    Membership.objects.create(user=secretary, organisation=organisation, role="admin")
    payee = save(organisation, secretary)
    with pytest.raises(PayeeError, match="another member of the secretariat"):
        payee_details_verify(payee=payee, actor=secretary, version=payee.version)
    assert not PayeeDetails.objects.get().is_verified
    payee_details_verify(payee=payee, actor=verifier, version=payee.version)
    assert PayeeDetails.objects.get().is_verified


def test_anyone_who_edited_since_the_last_verification_is_refused(
    organisation, admin, secretary, verifier
):
    Membership.objects.create(user=secretary, organisation=organisation, role="admin")
    payee = save(organisation, admin)
    payee_details_verify(payee=payee, actor=secretary, version=payee.version)
    save(organisation, secretary, bank_name="Banco Nuevo")  # the secretary edits version 2
    payee = save(organisation, admin, bank_name="Banco Otro")  # the admin, version 3
    with pytest.raises(PayeeError, match="cannot verify"):
        payee_details_verify(payee=payee, actor=secretary, version=payee.version)
    payee_details_verify(payee=payee, actor=verifier, version=payee.version)
    assert PayeeDetails.objects.get().current.verified_by == verifier


def test_verifying_a_changed_or_verified_version_is_refused(organisation, admin, secretary):
    payee = save(organisation, admin)
    opened_at = payee.version
    save(organisation, admin, bank_name="Banco Nuevo")
    with pytest.raises(StalePayeeDetails):
        payee_details_verify(payee=payee, actor=secretary, version=opened_at)
    payee = PayeeDetails.objects.get()
    payee_details_verify(payee=payee, actor=secretary, version=payee.version)
    with pytest.raises(PayeeError, match="verified already"):  # a second click
        payee_details_verify(payee=payee, actor=secretary, version=payee.version)
    assert Notification.objects.filter(kind="payee_details_verified").count() == 1


def test_the_back_office_verifies_and_refuses_self_verification_with_a_message(
    client, organisation, secretary, verifier
):
    Membership.objects.create(user=secretary, organisation=organisation, role="admin")
    payee = save(organisation, secretary)
    url = reverse("admin:organisations_payeedetails_verify", args=[payee.pk])
    client.force_login(secretary)
    refused = client.post(url, {"version": payee.version}, follow=True)
    assert "you cannot verify them" in refused.content.decode()
    assert not PayeeDetails.objects.get().is_verified
    client.force_login(verifier)
    done = client.post(url, {"version": payee.version}, follow=True)
    assert "are verified" in done.content.decode()
    assert PayeeDetails.objects.get().current.verified_by == verifier
