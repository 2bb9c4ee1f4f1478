"""The bank-details page of the portal: administrators enter them, members read them masked,
a stale save is refused with the text shown back."""

import pytest
from django.urls import reverse

from organisations.models import Membership, PayeeDetails
from tests.factories import UserFactory
from tests.grants.lifecycle import PAYEE

pytestmark = pytest.mark.django_db


def url(organisation) -> str:
    return reverse("portal:payee", kwargs={"pk": organisation.pk})


def form(version: int, **values) -> dict:
    return {**PAYEE, "version": str(version), **values}


def test_an_administrator_enters_the_details(client, organisation, member):
    client.force_login(member)
    response = client.post(url(organisation), form(0), follow=True)
    assert "The bank details were saved" in response.content.decode()
    payee = PayeeDetails.objects.get(organisation=organisation)
    assert payee.current.created_by == member and not payee.is_verified


def test_bad_details_show_a_message_and_keep_the_text(client, organisation, member):
    client.force_login(member)
    response = client.post(url(organisation), form(0, swift_bic="XX", bank_name="Mi banco"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "8 or 11 letters" in content and "Mi banco" in content
    assert not PayeeDetails.objects.exists()


def test_a_stale_save_is_refused_and_the_typed_text_shown_back(client, organisation, member):
    client.force_login(member)
    client.post(url(organisation), form(0))
    colleague = UserFactory()
    Membership.objects.create(user=colleague, organisation=organisation, role="admin")
    client.force_login(colleague)
    client.post(url(organisation), form(1, bank_name="Banco del colega"))
    client.force_login(member)
    response = client.post(url(organisation), form(1, bank_name="Banco de Ana"))
    content = response.content.decode()
    assert response.status_code == 409
    assert "Banco de Ana" in content  # what Ana typed, not saved
    assert "Banco del colega" in content  # what is saved now
    assert PayeeDetails.objects.get().current.bank_name == "Banco del colega"


def test_a_member_reads_but_cannot_change_them(client, organisation, member):
    client.force_login(member)
    client.post(url(organisation), form(0))
    reader = UserFactory()
    Membership.objects.create(user=reader, organisation=organisation, role="member")
    client.force_login(reader)
    page = client.get(url(organisation)).content.decode()
    assert "•••• 3000" in page and 'name="account_number"' not in page
    response = client.post(url(organisation), form(1, bank_name="Taken over"), follow=True)
    assert "administrator or a signatory" in response.content.decode()
    assert PayeeDetails.objects.get().current.bank_name == PAYEE["bank_name"]


def test_the_page_costs_the_same_queries_with_more_versions(
    client, organisation, member, django_assert_max_num_queries
):
    client.force_login(member)
    client.post(url(organisation), form(0))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(url(organisation))
    for n, bank in enumerate(("Banco 2", "Banco 3", "Banco 4"), start=1):
        client.post(url(organisation), form(n, bank_name=bank))
    with CaptureQueriesContext(connection) as four:
        client.get(url(organisation))
    assert len(four) == len(one)
