"""The light track in the open data and the API: every approved small grant of a published
light-track edition is a grant in the 360Giving package (still valid against the schema) and an
activity in the IATI file (still valid against the XSD), under its programme; a paid one shows
its payment; declined and undecided applications are not grants; a group at risk is named
nowhere while its grant still counts."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest
from django.utils import timezone
from lxml import etree

from grants.models import LightApplication
from grants.services.light import (
    light_accept_agreement,
    light_decide,
    light_payment_file,
    light_record_paid,
    light_verify_payees,
)
from public.opendata.files import build_files, path_of
from tests.factories import ProgrammeFactory
from tests.grants.factories import secretariat_user
from tests.grants.light import layout, light_edition, reason, received, refresh

from .opendata_data import build_programme
from .test_opendata import IATI_XSD, iati_document, package, validator

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_grants(settings, tmp_path):
    """The open-data programme, and a second programme on the light track with four
    applications: paid, approved (its group at risk), declined and not yet decided."""
    settings.MEDIA_ROOT = tmp_path
    settings.SITE_URL = "https://grants.example.org"
    settings.OPEN_DATA_GRANT_PREFIX = "360G-example"
    build_programme()
    day = ProgrammeFactory(slug="global-day", name_en="Global Day of Action")
    edition = light_edition(programme=day, slug="gda-2026", number=1, year=2026)
    secretary = secretariat_user()
    paid, at_risk, declined, waiting = (
        received(edition, n, group_name=name, city=city).pk
        for n, (name, city) in enumerate(
            [
                ("Lisbon Harm Reduction Collective", "Lisbon"),
                ("Secret Street Group", "Kazan"),
                ("Declined Group", "Nairobi"),
                ("Waiting Group", "Kyiv"),
            ]
        )
    )
    LightApplication.objects.filter(pk=at_risk).update(is_at_risk=True, country="RU")
    light_decide(ids=[paid, at_risk], actor=secretary, approve=True)
    light_decide(ids=[declined], actor=secretary, approve=False, reason=reason())
    light_accept_agreement(application=refresh(paid))
    light_verify_payees(ids=[paid], actor=secretary)
    light_payment_file(ids=[paid], layout=layout(), actor=secretary)
    light_record_paid(
        application=refresh(paid),
        actor=secretary,
        paid_on=timezone.localdate(),
        reference="BNK-1",
        exchange_rate=Decimal("1"),
        fees=Decimal("2"),
    )
    build_files()
    return {"paid": paid, "at_risk": at_risk, "declined": declined, "waiting": waiting}


def test_approved_small_grants_are_grants_of_their_programme_in_a_valid_package(small_grants):
    data = package()
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator().iter_errors(data)]
    assert errors == []
    grants = {grant["id"]: grant for grant in data["grants"]}
    small = {key: value for key, value in grants.items() if "-SG-" in key}
    # The two approved ones; not the declined one, nor the one waiting for a decision.
    assert len(small) == 2 and len(grants) == 3 + 2
    grant = grants[f"360G-example-SG-{small_grants['paid']}"]
    assert (grant["currency"], grant["amountAwarded"], grant["amountDisbursed"]) == (
        "USD",
        450,
        450,
    )
    assert grant["title"] == "Lisbon Harm Reduction Collective, Lisbon"
    assert grant["recipientOrganization"] == [
        {
            "id": f"360G-example-SG-ORG-{small_grants['paid']}",
            "name": "Lisbon Harm Reduction Collective",
            "addressCountry": "Brazil",
            "addressLocality": "Lisbon",
        }
    ]
    action = (datetime.date.today() + datetime.timedelta(days=20)).isoformat()
    assert grant["plannedDates"] == [{"startDate": action, "endDate": action}]
    codes = [programme["code"] for programme in grant["grantProgramme"]]
    assert codes == ["global-day-gda-2026", "global-day"]
    assert grant["grantProgramme"][1]["title"] == "Global Day of Action"
    assert grant["url"].endswith("/en/global-day/editions/gda-2026/")
    # The full track's grants name their own programme.
    others = [g for g in data["grants"] if "-SG-" not in g["id"]]
    assert {g["grantProgramme"][1]["code"] for g in others} == {"initiatives-programme"}


def test_a_small_grant_at_risk_counts_without_its_group(small_grants):
    text = path_of("grants-360giving.json").read_text() + path_of("activities-iati.xml").read_text()
    assert "Secret Street Group" not in text and "Kazan" not in text
    assert "Declined Group" not in text and "Waiting Group" not in text
    hidden = next(
        g
        for g in package()["grants"]
        if g["recipientOrganization"][0]["name"] == "A community organisation in Russia"
        and "-SG-" in g["id"]
    )
    assert hidden["id"].startswith("360G-example-SG-X")
    assert hidden["recipientOrganization"][0]["id"].startswith("360G-example-SG-ORG-X")
    assert hidden["amountAwarded"] == 450 and "amountDisbursed" not in hidden
    assert "url" not in hidden and str(small_grants["at_risk"]) not in hidden["id"]


def test_small_grants_are_valid_iati_activities_with_their_payment(small_grants):
    schema = etree.XMLSchema(etree.parse(str(IATI_XSD)))
    document = iati_document()
    assert schema.validate(document), [str(error) for error in schema.error_log]
    activities = {a.findtext("iati-identifier"): a for a in document.findall("iati-activity")}
    assert len(activities) == 5
    paid = next(a for key, a in activities.items() if key.endswith(f"-SG-{small_grants['paid']}"))
    transactions = [
        (t.find("transaction-type").get("code"), t.findtext("value"))
        for t in paid.findall("transaction")
    ]
    assert transactions == [("2", "450.00"), ("3", "450.00")]
    assert [c.get("code") for c in paid.findall("recipient-country")] == ["BR"]
    descriptions = {
        n.get("{http://www.w3.org/XML/1998/namespace}lang") for n in paid.find("description")
    }
    assert descriptions == {"en", "fr", "es", "pt", "ru"}


def test_the_package_reads_the_same_twice(small_grants):
    first = path_of("grants-360giving.json").read_bytes()
    build_files()
    assert path_of("grants-360giving.json").read_bytes() == first
    assert json.loads(first)["grants"]


def test_the_api_lists_small_grants_and_narrows_every_list_to_a_programme(small_grants, client):
    from django.core.cache import cache

    from tests.api.test_api import response_validator

    cache.clear()
    openapi = client.get("/api/v1/openapi.json").json()
    response = client.get("/api/v1/small-grants?lang=en")
    assert response.status_code == 200
    body = response.json()
    assert list(response_validator(openapi, "/api/v1/small-grants", 200).iter_errors(body)) == []
    grants = {grant["id"]: grant for grant in body["results"]}
    assert set(grants) == {
        g["id"] for g in package()["grants"] if "-SG-" in g["id"]
    }  # the open-data files' grants
    paid = grants[f"360G-example-SG-{small_grants['paid']}"]
    assert (paid["programme"], paid["edition"], paid["is_paid"]) == ("global-day", "gda-2026", True)
    assert paid["recipient"]["name"] == "Lisbon Harm Reduction Collective"
    hidden = next(g for g in grants.values() if g["recipient"]["is_withheld"])
    assert hidden["city"] is None and hidden["recipient"]["name"] == (
        "A community organisation in Russia"
    )
    assert "Secret Street Group" not in response.content.decode()
    # The programme as a filter, and in the output.
    editions = client.get("/api/v1/editions?programme=global-day").json()["results"]
    assert [(e["programme_slug"], e["track"]) for e in editions] == [("global-day", "light")]
    assert client.get("/api/v1/initiatives?programme=global-day").json()["count"] == 0
    initiatives = client.get("/api/v1/initiatives?programme=initiatives-programme").json()
    assert initiatives["count"] == 3
    assert {i["programme"] for i in initiatives["results"]} == {"initiatives-programme"}
    assert client.get("/api/v1/small-grants?programme=initiatives-programme").json()["count"] == 0
    assert client.get("/api/v1/small-grants?country=RU").json()["count"] == 1

    # A fixed number of queries whatever the number of small grants.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/v1/small-grants?page_size=100").status_code == 200
        return len(captured)

    before = queries()
    edition = LightApplication.objects.get(pk=small_grants["paid"]).edition
    ids = [received(edition, n).pk for n in range(10, 30)]
    light_decide(ids=ids, actor=secretariat_user(), approve=True)
    cache.clear()
    assert client.get("/api/v1/small-grants").json()["count"] == 22
    assert queries() == before


def test_the_data_page_says_what_a_small_grant_is_in_the_files(small_grants, client):
    html = client.get("/en/data/").content.decode()
    assert "<code>SG-</code>" in html and "<code>/api/v1/small-grants</code>" in html
