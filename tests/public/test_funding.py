"""The funding explorer, money on the home and edition pages, the initiative's schema.org
JSON-LD, and summaries shown without empty headings."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import html as lxml_html

from grants.selectors import funding
from public import map_shapes
from public.maps import country_paths
from tests.factories import (
    EditionFactory,
    EditionFunderFactory,
    InitiativeFactory,
    OrganisationFactory,
    ThemeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def build(start: int = 0, count: int = 1) -> dict:
    """``count`` editions of three grants: 1,000 USD in Bolivia and Peru (theme A), 2,500.50
    USD in Poland (theme B), and 3,000 EUR in Bolivia led by an organisation at risk."""
    made = {
        "a": ThemeFactory(slug=f"a-{start}", name_en=f"Theme A{start}"),
        "b": ThemeFactory(slug=f"b-{start}", name_en=f"Theme B{start}"),
    }
    for index in range(start, start + count):
        # Numbers clear of the factories' own sequence (an initiative's application makes one).
        edition = EditionFactory(number=900 + index, year=2010 + index, slug=f"e{index}")
        EditionFunderFactory(edition=edition)
        first = InitiativeFactory(
            edition=edition,
            countries=["BO", "PE"],
            amount_awarded=Decimal("1000"),
            title_en=f"Open grant {index}",
        )
        first.themes.add(made["a"])
        second = InitiativeFactory(
            edition=edition,
            countries=["PL"],
            amount_awarded=Decimal("2500.50"),
            title_en=f"Second grant {index}",
        )
        second.themes.add(made["a"], made["b"])
        hidden = InitiativeFactory(
            edition=edition,
            countries=["BO"],
            amount_awarded=Decimal("3000"),
            currency="EUR",
            title_en=f"Secret grant {index}",
            lead_organisation=OrganisationFactory(name=f"Secret org {index}", is_at_risk=True),
        )
        InitiativeFactory(edition=edition, is_published=False, amount_awarded=Decimal("99"))
        made.setdefault("edition", edition)
        made.setdefault("first", first)
        made.setdefault("hidden", hidden)
    EditionFactory(is_published=False)
    return made


def page(client, path: str):
    response = client.get(path)
    assert response.status_code == 200, path
    return lxml_html.fromstring(response.content.decode())


def table_rows(tree, heading_id: str) -> dict[str, list[str]]:
    section = tree.get_element_by_id(heading_id).getparent()
    return {
        row.xpath("string(th)").strip(): [cell.text_content().strip() for cell in row.xpath("td")]
        for row in section.xpath(".//tbody/tr")
    }


def test_totals_per_currency_edition_year_country_and_theme():
    made = build()
    grants = funding.funded_grants()
    assert [(t.currency, t.amount, t.grants) for t in funding.totals(grants)] == [
        ("USD", Decimal("3500.50"), 2),
        ("EUR", Decimal("3000"), 1),
    ]
    by_country = {(t.key, t.currency): t.amount for t in funding.totals_by_country(grants)}
    assert by_country == {
        ("PL", "USD"): Decimal("2500.50"),
        ("BO", "EUR"): Decimal("3000"),
        ("BO", "USD"): Decimal("1000"),
        ("PE", "USD"): Decimal("1000"),
    }
    by_theme = {(t.key, t.currency): (t.amount, t.grants) for t in funding.totals_by_theme(grants)}
    assert by_theme == {
        (made["a"].pk, "USD"): (Decimal("3500.50"), 2),
        (made["b"].pk, "USD"): (Decimal("2500.50"), 1),
    }
    # A theme filter goes through a subquery: a grant with two themes is not counted twice.
    themed = funding.funded_grants(theme=made["a"].slug)
    assert [(t.amount, t.grants) for t in funding.totals(themed)] == [(Decimal("3500.50"), 2)]
    assert [t.key for t in funding.totals_by_year(grants)] == [2010, 2010]
    assert {t.key for t in funding.totals_by_edition(grants)} == {made["edition"].pk}


def test_the_explorer_adds_up_filters_sorts_and_hides_recipients_at_risk(client):
    made = build()
    tree = page(client, "/en/funding/")
    lead = tree.xpath("string(//p[@class='lead'])")
    assert "3,500.50\xa0USD awarded in 2 grants" in lead
    assert "3,000\xa0EUR awarded in 1 grant" in lead
    assert table_rows(tree, "by-country")["Poland"] == ["1", "2,500.50\xa0USD"]
    assert table_rows(tree, "by-theme")[made["a"].name] == ["2", "3,500.50\xa0USD"]

    grants = tree.xpath("//table[contains(@class, 'funding-grants')]/tbody/tr")
    assert len(grants) == 3
    text = tree.xpath("string(//table[contains(@class, 'funding-grants')])")
    assert "Secret grant" not in text and "Secret org" not in text
    assert "A community organisation in Bolivia" in text  # counted, under its label
    assert made["hidden"].get_absolute_url() not in client.get("/en/funding/").content.decode()

    largest = page(client, "/en/funding/?sort=-amount")
    amounts = [
        cell.text_content()
        for cell in largest.xpath("//table[contains(@class, 'funding-grants')]/tbody/tr/td[6]")
    ]
    assert amounts == ["3,000\xa0EUR", "2,500.50\xa0USD", "1,000\xa0USD"]

    filtered = page(client, f"/en/funding/?country=BO&theme={made['a'].slug}&min=500&max=2000")
    rows = filtered.xpath("//table[contains(@class, 'funding-grants')]/tbody/tr")
    assert [row.xpath("string(td[1])").strip() for row in rows] == ["Open grant 0"]
    assert "1,000\xa0USD awarded in 1 grant" in filtered.xpath("string(//p[@class='lead'])")
    # The sort links keep the filters and start again from the first page.
    link = filtered.xpath("//th[@aria-sort]/following-sibling::th//a/@href")[-1]
    assert "country=BO" in link and "sort=-amount" in link and "page" not in link


def test_amounts_in_the_visitors_format(client):
    build()
    tree = page(client, "/fr/funding/?min=2+000,5")
    assert table_rows(tree, "by-country")["Pologne"] == ["1", "2\xa0500,50\xa0USD"]
    assert tree.get_element_by_id("id_min").get("value") == "2 000,5"


def test_bad_filters_are_explained_in_the_visitors_language_and_kept(client):
    build()
    tree = page(client, "/fr/funding/?min=beaucoup&max=10&country=ZZ&edition=e0")
    assert tree.get_element_by_id("id_min").get("value") == "beaucoup"
    assert tree.get_element_by_id("id_min").get("aria-invalid") == "true"
    errors = tree.xpath("string(//div[@id='id_min-error'])")
    assert "Saisissez un nombre" in errors
    assert tree.xpath("//div[@id='id_country-error']")
    # The valid filters still apply: the first edition, at most 10.
    assert not tree.xpath("//table")
    reversed_range = page(client, "/en/funding/?min=3000&max=10")
    assert "must not be less than the smallest" in reversed_range.xpath(
        "string(//div[@id='id_max-error'])"
    )


def test_the_map_is_inline_accessible_and_asks_for_nothing_outside(client):
    build()
    response = client.get("/en/funding/")
    body = response.content.decode()
    svg = re.search(r"<svg .*?</svg>\s*</div>", body, re.S).group(0)
    assert 'role="img"' in svg and 'aria-labelledby="funding-map-title funding-map-desc"' in svg
    assert '<title id="funding-map-title">Map of the money awarded per country</title>' in svg
    assert "in USD" in svg
    for forbidden in ("<script", "<style", "style=", "http://", "https://", "pygal"):
        assert forbidden not in svg.replace('xmlns="http://www.w3.org/2000/svg"', ""), forbidden
    # USD only (the main currency): 1,000 in Bolivia and Peru, 2,500.50 in Poland.
    assert re.search(r'class="country funded bo" fill-opacity="0.30"', svg)
    assert re.search(r'class="country funded pl" fill-opacity="1.00"', svg)
    assert "<title>Peru: 1,000\xa0USD</title>" in svg
    # One shape per country of the map, each a country to shade.
    tree = lxml_html.fromstring(body)
    shapes = tree.xpath("//svg/path")
    assert len(shapes) == len(country_paths()) > 170
    assert all("country" in shape.get("class").split() for shape in shapes)
    assert len(tree.xpath("//svg/path[contains(@class, 'funded')]")) == 3


def test_the_map_file_is_what_the_command_makes_of_pygals_map():
    """``manage.py build_world_map`` wrote public/world-map.json: every country of pygal's
    map is in it, drawn small (the whole map under a ninth of pygal's)."""
    source = map_shapes.source_svg()
    built = map_shapes.country_shapes(source)
    assert dict(country_paths()) == built
    assert set(built) == set(re.findall(r'class="([a-z]{2}) country map-element"', source))
    assert map_shapes.SHAPES_FILE.stat().st_size < len(source) / 8


def test_signed_in_people_get_the_shared_content_and_see_a_change(client):
    """The explorer's content is kept for everyone (it says nothing of who reads it), under
    the content's generation: a change to a grant shows at once, signed in or not."""
    made = build()
    client.force_login(UserFactory())
    first = client.get("/en/funding/?country=PE&utm=x")
    assert "X-Page-Cache" not in first  # a signed-in person's page is never kept whole
    body = first.content.decode()
    assert "1,000\xa0USD awarded in 1 grant" in body
    assert "utm=" not in body  # the links carry only what the page reads, as for visitors
    assert ">Portal</a>" in body  # their own header
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/en/funding/?country=PE").content == first.content
    assert not [q for q in queries.captured_queries if "grants_initiative" in q["sql"]]
    made["first"].amount_awarded = Decimal("1200")
    made["first"].save()
    again = page(client, "/en/funding/?country=PE")
    assert "1,200\xa0USD awarded in 1 grant" in again.xpath("string(//p[@class='lead'])")
    assert "<title>Peru: 1,200\xa0USD</title>" in client.get("/en/funding/").content.decode()


def test_nothing_to_show_says_so_without_empty_sections(client):
    tree = page(client, "/en/funding/")
    assert "No grant matches these filters." in tree.text_content()
    assert not tree.xpath("//svg") and not tree.xpath("//table")


def test_the_explorer_is_cached_and_linked(client):
    build()
    first = client.get("/en/funding/?country=BO&utm=x")
    assert first["X-Page-Cache"] == "miss"
    assert client.get("/en/funding/?country=BO")["X-Page-Cache"] == "hit"
    home = page(client, "/en/")
    assert home.xpath("//nav//a[@href='/en/funding/']")
    data = page(client, "/en/data/")
    assert data.xpath("//main//a[@href='/en/funding/']")


def test_the_explorer_runs_the_same_queries_at_one_and_ten_times_the_data(client):
    build(0, 1)
    path = "/en/funding/?sort=-amount"
    client.get(path)
    cache.clear()
    with CaptureQueriesContext(connection) as small:
        client.get(path)
    build(1, 10)
    cache.clear()
    with CaptureQueriesContext(connection) as large:
        assert client.get(path).status_code == 200
    assert len(large) == len(small), (len(small), len(large))


def structured_data(client, path: str) -> list[dict]:
    tree = page(client, path)
    return [json.loads(node.text) for node in tree.xpath("//script[@type='application/ld+json']")]


def test_the_initiative_page_describes_its_grant_in_json_ld(client):
    made = build()
    first = made["first"]
    first.summary_en = "Peer support </script> & outreach."
    first.save()
    funder = made["edition"].funders.get().funder
    (grant,) = structured_data(client, first.get_absolute_url())
    assert grant["@context"] == "https://schema.org"
    assert grant["@type"] == "MonetaryGrant"
    assert grant["name"] == first.title
    assert grant["description"] == "Peer support </script> & outreach."
    assert grant["amount"] == {"@type": "MonetaryAmount", "value": "1000.00", "currency": "USD"}
    assert [(f["@type"], f["name"]) for f in grant["funder"]] == [("Organization", funder.name)]
    assert grant["recipient"]["@type"] == "Organization"
    assert grant["recipient"]["name"] == first.lead_organisation.name
    assert grant["url"].endswith(first.get_absolute_url())


def test_the_json_ld_of_a_grant_at_risk_names_only_the_neutral_label(client):
    made = build()
    hidden = made["hidden"]
    response = client.get(hidden.get_absolute_url())
    if response.status_code == 404:  # the public pages may leave such a grant out entirely
        return
    (grant,) = structured_data(client, hidden.get_absolute_url())
    assert grant["recipient"] == {
        "@type": "Organization",
        "name": "A community organisation in Bolivia",
    }
    assert "Secret" not in json.dumps(grant)
    assert grant["amount"]["value"] == "3000.00" and grant["amount"]["currency"] == "EUR"


def test_summaries_show_and_blank_fields_leave_no_empty_heading(client):
    made = build()
    first = made["first"]
    first.summary_en = "A short summary of the grant."
    first.description_en = ""
    first.expected_results_en = ""
    first.save()
    organisation = first.lead_organisation
    organisation.description_en = ""
    organisation.save()
    edition = made["edition"]
    edition.introduction_en = ""
    edition.save()

    tree = page(client, first.get_absolute_url())
    assert tree.xpath("string(//p[contains(@class, 'initiative-summary')])") == (
        "A short summary of the grant."
    )
    headings = [h.text_content().strip() for h in tree.xpath("//main//h2")]
    assert "The project" not in headings and "Expected results" not in headings
    assert not [h for h in headings if h.startswith("About ")]
    for heading in tree.xpath("//main//h2 | //main//h3 | //main//h4"):
        following = heading.getnext()
        assert following is not None and following.tag not in {"h2", "h3", "h4"}, (
            heading.text_content()
        )

    edition_page = page(client, edition.get_absolute_url())
    section = edition_page.get_element_by_id(first.slug)
    assert section.xpath("string(.//p[contains(@class, 'initiative-summary')])") == (
        "A short summary of the grant."
    )
    assert not section.xpath(".//div[contains(@class, 'initiative-description')]")
    assert not section.xpath(".//div[contains(@class, 'organisation-presentation')]")
    assert not edition_page.xpath("//div[contains(@class, 'edition-introduction')]")
    for section in edition_page.xpath("//section[contains(@class, 'initiative')]"):
        for heading in section.xpath(".//h4"):
            assert heading.getnext() is not None


def test_the_edition_page_shows_each_amount_and_the_total_and_the_home_page_the_money(client):
    made = build()
    edition_page = page(client, made["edition"].get_absolute_url())
    section = edition_page.get_element_by_id(made["first"].slug)
    assert section.xpath("string(.//p[@class='initiative-amount'])") == "Grant of 1,000\xa0USD"
    awarded = edition_page.xpath("string(//dt[.='Money awarded']/following-sibling::dd[1])")
    assert awarded == "3,500.50\xa0USD; 3,000\xa0EUR"
    home = page(client, "/en/")
    money = [
        dd.text_content() for dd in home.xpath("//dt[.='Money awarded']/following-sibling::dd")
    ]
    assert money == ["3,500.50\xa0USD", "3,000\xa0EUR"]
    assert home.xpath("//main//a[@href='/en/funding/']")
