"""The read-only API: every response valid against its operation's schema in the OpenAPI
document, published data only, the language rules of the pages, filters, pagination, a fixed
number of queries per list whatever the data, and a throttle per client address."""

from __future__ import annotations

import json

import pytest
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from tests.factories import EditionFactory, InitiativeFactory, OrganisationFactory, ThemeFactory
from tests.public.opendata_data import build_programme

pytestmark = pytest.mark.django_db

ENDPOINTS = ("editions", "initiatives", "organisations", "countries", "themes")


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def programme():
    return build_programme()


@pytest.fixture
def openapi(client) -> dict:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def response_validator(document: dict, path: str, status: int) -> Draft202012Validator:
    """A validator for the body of ``status`` of GET ``path``, as the document describes it
    (OpenAPI 3.1 schemas are JSON Schema 2020-12; their references stay in the document)."""
    resource = DRAFT202012.create_resource(document)
    registry = Registry().with_resource("urn:openapi", resource)
    pointer = path.replace("~", "~0").replace("/", "~1")
    schema = {
        "$ref": f"urn:openapi#/paths/{pointer}/get/responses/{status}/content/"
        "application~1json/schema"
    }
    return Draft202012Validator(schema, registry=registry, format_checker=FormatChecker())


def test_the_document_describes_every_endpoint(openapi):
    assert openapi["openapi"].startswith("3.")
    assert {f"/api/v1/{name}" for name in ENDPOINTS} <= set(openapi["paths"])


def test_every_response_validates_against_its_operation(client, openapi, programme):
    queries = [
        "",
        "?lang=fr",
        "?lang=ru&page_size=1",
        "?page_size=1&page=2",
        "?country=BO",
        "?theme=harm-reduction",
        "?year=2023",
        "?edition=2023",
        "?edition=1999",
    ]
    checked = 0
    for name in ENDPOINTS:
        path = f"/api/v1/{name}"
        assert set(openapi["paths"][path]) == {"get"}  # read-only
        for query in queries:
            response = client.get(path + query)
            assert response.status_code in (200, 404), (path, query, response.content)
            validator = response_validator(openapi, path, response.status_code)
            errors = [error.message for error in validator.iter_errors(response.json())]
            assert errors == [], (path, query, errors)
            checked += 1
    assert checked == len(ENDPOINTS) * len(queries)
    # The validator does check: a wrong body fails.
    validator = response_validator(openapi, "/api/v1/initiatives", 200)
    assert list(validator.iter_errors({"count": "many"}))


def test_bad_parameters_are_refused_with_a_message(client):
    response = client.get("/api/v1/initiatives?page=0")
    assert response.status_code == 422
    assert "detail" in response.json()
    assert client.get("/api/v1/initiatives?page_size=1000").status_code == 422


def test_only_published_data(client, programme):
    initiatives = client.get("/api/v1/initiatives").json()
    assert initiatives["count"] == 3
    assert "Not yet published" not in json.dumps(initiatives)
    editions = [e["slug"] for e in client.get("/api/v1/editions").json()["results"]]
    assert editions == ["2023"]


def test_texts_in_the_language_asked_for_with_the_fallback(client, programme):
    def title(response):
        return next(r for r in response.json()["results"] if r["slug"] == "women-organising")[
            "title"
        ]

    assert title(client.get("/api/v1/initiatives?lang=fr")) == "Organisation des femmes"
    spanish = client.get("/api/v1/initiatives", HTTP_ACCEPT_LANGUAGE="es")
    assert title(spanish) == "Organización de mujeres"
    assert spanish["Content-Language"] == "es" and "Accept-Language" in spanish["Vary"]
    # No Portuguese: English, then the original language (Spanish), as on the site
    # (settings.CONTENT_FALLBACK_LANGUAGES).
    assert title(client.get("/api/v1/initiatives?lang=pt")) == "Women organising"
    theme = client.get("/api/v1/themes?lang=fr").json()["results"][0]
    assert theme["name"] == "Réduction des risques"
    assert theme["sectors"] == [{"vocabulary": "1", "code": "12263"}]
    countries = client.get("/api/v1/countries?lang=fr").json()["results"]
    assert {"code": "PE", "name": "Pérou", "initiative_count": 1} in countries


def test_filters_and_pages(client, programme):
    by_country = client.get("/api/v1/initiatives?country=pe").json()
    assert [r["slug"] for r in by_country["results"]] == ["women-organising"]
    assert client.get("/api/v1/initiatives?theme=harm-reduction").json()["count"] == 2
    assert client.get("/api/v1/initiatives?year=2022").json()["count"] == 0
    organisations = client.get("/api/v1/organisations?country=BO").json()["results"]
    assert [o["name"] for o in organisations] == ["Acción Andina"]
    first = client.get("/api/v1/initiatives?page_size=2").json()
    assert first["count"] == 3 and len(first["results"]) == 2 and first["previous"] is None
    second = client.get(first["next"].removeprefix("http://testserver")).json()
    assert len(second["results"]) == 1 and second["next"] is None
    assert client.get("/api/v1/initiatives?page=9").status_code == 404


def test_an_organisation_at_risk_is_listed_under_its_label(client, programme):
    results = client.get("/api/v1/organisations").json()["results"]
    names = [o["name"] for o in results]
    # The organisation whose only grant is withheld is not named either.
    assert names == ["Acción Andina", "A community organisation in Russia"]
    withheld = results[1]
    assert withheld["is_withheld"] and withheld["url"] is None and withheld["city"] is None


def seed(count: int) -> None:
    theme = ThemeFactory()
    for number in range(count):
        edition = EditionFactory()
        initiative = InitiativeFactory(
            edition=edition,
            countries=["BO", "PE"],
            lead_organisation=OrganisationFactory(is_at_risk=number % 3 == 0),
            is_at_risk=number % 4 == 0,
        )
        initiative.themes.add(theme, ThemeFactory())


def queries_for(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, response.content
    return len(captured)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_list_runs_the_same_queries_at_one_and_ten_times_the_data(client, endpoint):
    path = f"/api/v1/{endpoint}?page_size=100"
    seed(3)
    small = queries_for(client, path)
    seed(27)
    cache.clear()
    large = queries_for(client, path)
    assert large == small, (small, large)
    assert small <= 5


def test_each_client_address_is_throttled_on_its_own(client, settings):
    settings.API_THROTTLE_RATE = "3/m"
    for _ in range(3):
        assert client.get("/api/v1/themes", REMOTE_ADDR="10.0.0.1").status_code == 200
    assert client.get("/api/v1/themes", REMOTE_ADDR="10.0.0.1").status_code == 429
    assert client.get("/api/v1/themes", REMOTE_ADDR="10.0.0.2").status_code == 200
    # Behind the trusted proxy, the visitor's address counts, not the proxy's.
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(3):
        response = client.get(
            "/api/v1/themes", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="203.0.113.7"
        )
        assert response.status_code == 200
    other = client.get("/api/v1/themes", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="203.0.113.8")
    assert other.status_code == 200


def test_the_documentation_page_is_served_with_local_assets(client):
    response = client.get("/api/v1/docs")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in html
    assert "/static/ninja/swagger-ui-bundle.js" in html and "cdn" not in html.lower()
    assert "&quot;validatorUrl&quot;: null" in html
    # The package's own copies, collected with the other static files.
    for asset in ("ninja/swagger-ui-bundle.js", "ninja/swagger-ui-init.js", "ninja/swagger-ui.css"):
        assert finders.find(asset), asset
