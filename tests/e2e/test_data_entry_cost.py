"""What entering one edition by hand costs in the back office (issue 12): an edition that runs
across two years, with one funder, then six organisations and six initiatives (two countries
each), every public text in English and French, the way a secretary would, with "Save and add
another" between rows of the same kind.

Each form is filled in English first, then in French. The journey does only what the page makes
necessary: it leaves a field the page brought filled already (as "Save and add another" carries
the edition and the period over), clicks a language tab only where the box it is about to
type in is hidden, and picks countries the way the widget on the page allows
(a click per country in a plain list, typing the name in a filtered one). It counts page loads,
form submissions, fields filled and clicks, writes them to
``test-artifacts/data-entry-cost.json`` and checks them against the cost measured when the
back office was reworked (docs/back-office.md has the before and after figures)."""

import datetime
import json
from dataclasses import asdict, dataclass

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from grants.models import Initiative
from organisations.models import Organisation
from programme.models import Edition, Funder, Programme
from tests.admin.dataset import staff_user
from tests.twofactor import Client

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ORGANISATIONS = [
    ("Colectivo Nueva Luz", "BO", "Peer support for people living with HIV in Bolivia."),
    ("Red Andina de Salud", "PE", "A network of community health promoters in the Andes."),
    ("Kampala Youth Voices", "UG", "Young activists campaigning for access to treatment."),
    ("Mekong Care Circle", "VN", "Home-based care and advocacy along the Mekong delta."),
    ("Sahel Solidarité", "SN", "Community mobilisation for HIV prevention in Senegal."),
    ("Baltic Harm Reduction", "LV", "Harm reduction services and policy advocacy in Latvia."),
]
# Each initiative's lead organisation (by index above) and its two countries, by their names.
INITIATIVES = [
    (0, ("Bolivia", "Peru")),
    (1, ("Peru", "Ecuador")),
    (2, ("Uganda", "Kenya")),
    (3, ("Vietnam", "Cambodia")),
    (4, ("Senegal", "Mali")),
    (5, ("Latvia", "Lithuania")),
]

# The cost measured on the back office before issue 12 (main at ea4fe4a) and after it, with
# this journey. The journey fails if the back office gets costlier than the second.
BEFORE = {"page_loads": 16, "submits": 13, "fields": 108, "clicks": 65}
AFTER = {"page_loads": 16, "submits": 13, "fields": 99, "clicks": 39}


@dataclass
class Cost:
    page_loads: int = 0
    submits: int = 0
    fields: int = 0
    clicks: int = 0


class Secretary:
    """Acts on the page and counts what the acts cost."""

    def __init__(self, page, base: str):
        self.page, self.base, self.cost = page, base, Cost()
        page.on("load", lambda _page: self._loaded())
        page.on("request", self._request)

    def _loaded(self) -> None:
        self.cost.page_loads += 1

    def _request(self, request) -> None:
        if request.method == "POST" and request.is_navigation_request():
            self.cost.submits += 1

    def visit(self, name: str) -> None:
        self.page.goto(self.base + reverse(name))

    def click(self, locator) -> None:
        self.cost.clicks += 1
        locator.click()

    def submit(self, button: str) -> None:
        with self.page.expect_navigation():
            self.click(self.page.locator(f"input[name={button}]"))
        expect(self.page.locator(".errornote")).to_have_count(0)

    def reveal(self, box) -> None:
        """Shows a translated box if a language tab hides it: the form's one tab strip where
        the page has one, else the box's own tabs."""
        if box.is_visible():
            return
        language = box.get_attribute("id").rsplit("_", 1)[1]
        strip = self.page.locator(".mt-strip")
        if strip.count():
            self.click(strip.get_by_role("tab", name=language.upper()))
        else:
            panel = self.page.locator(f"[role=tabpanel]:has(#{box.get_attribute('id')})")
            tab = self.page.locator(f"[role=tab][aria-controls='{panel.get_attribute('id')}']")
            self.click(tab)
        expect(box).to_be_visible()

    def fill(self, selector: str, value: str) -> None:
        box = self.page.locator(selector)
        if box.input_value() == value:
            return  # the page brought it already
        self.reveal(box)
        self.cost.fields += 1
        box.fill(value)

    def select(self, selector: str, value: str) -> None:
        box = self.page.locator(selector)
        if box.input_value() == value:
            return
        self.cost.fields += 1
        box.select_option(value)

    def autocomplete(self, field: str, text: str) -> None:
        self.click(self.page.locator(f"#id_{field} + .select2"))
        self.cost.fields += 1
        self.page.locator(".select2-search__field").fill(text)
        option = self.page.locator(".select2-results__option", has_text=text).first
        self.click(option)

    def countries(self, names: tuple[str, ...]) -> None:
        """Picks countries by name: typed in the filter of a searchable list (Enter takes the
        first match), or clicked in a plain list (the first with a click, the others with
        Ctrl+click, or the earlier choices are lost)."""
        search = self.page.locator("#id_countries_input")
        if search.count():
            for name in names:
                self.cost.fields += 1
                search.fill("")
                search.press_sequentially(name)  # the list filters as each key goes up
                search.press("Enter")
            expect(self.page.locator("#id_countries_to option")).to_have_text(list(names))
        else:
            self.cost.fields += 1
            self.cost.clicks += len(names)
            self.page.locator("#id_countries").select_option(label=list(names))
            chosen = self.page.locator("#id_countries option:checked")
            expect(chosen).to_have_text(sorted(names))


@pytest.fixture
def secretary(page, live_server):
    user = staff_user("secretary@example.org", "Secretariat")
    Programme.objects.create(slug="initiatives", name_en="Initiatives Programme")
    Funder.objects.create(name="Open Society Health Fund")
    client = Client()
    client.force_login(user)
    session = client.cookies["sessionid"].value
    page.context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
    return Secretary(page, live_server.url)


def enter_edition(me: Secretary) -> None:
    me.visit("admin:programme_edition_add")
    me.select("#id_programme", str(Programme.objects.get().pk))
    me.fill("#id_number", "5")
    me.fill("#id_year", "2024")
    me.fill("#id_title_en", "Initiatives Programme 2024/25")
    me.fill("#id_introduction_en", "Six community initiatives across four regions.")
    me.fill("#id_period_start", "2024-07-01")
    me.fill("#id_period_end", "2025-06-30")
    # One funder, in an inline row added on the page.
    me.click(me.page.locator("#funders-group .add-row a"))
    me.select("#id_funders-0-funder", str(Funder.objects.get().pk))
    me.fill("#id_funders-0-acknowledgement_en", "With the support of the Health Fund.")
    # Then the French texts.
    me.fill("#id_title_fr", "Programme d’initiatives 2024-2025")
    me.fill("#id_introduction_fr", "Six initiatives communautaires dans quatre régions.")
    me.fill("#id_funders-0-acknowledgement_fr", "Avec le soutien du Fonds pour la santé.")
    me.submit("_save")


def enter_organisations(me: Secretary) -> None:
    me.visit("admin:organisations_organisation_add")
    for number, (name, country, description) in enumerate(ORGANISATIONS, start=1):
        me.fill("#id_name", name)
        me.select("#id_country", country)
        me.fill("#id_description_en", description)
        me.fill("#id_description_fr", f"Présentation en français : {description}")
        me.submit("_addanother" if number < len(ORGANISATIONS) else "_save")


def enter_initiatives(me: Secretary, edition: Edition) -> None:
    me.visit("admin:grants_initiative_add")
    for number, (lead, countries) in enumerate(INITIATIVES, start=1):
        organisation = ORGANISATIONS[lead][0]
        me.select("#id_edition", str(edition.pk))
        me.autocomplete("lead_organisation", organisation)
        me.fill("#id_title_en", f"Initiative {number} of {organisation}")
        me.fill("#id_summary_en", "Community-led prevention and care.")
        me.fill("#id_description_en", "What the initiative does, where and with whom.")
        me.countries(countries)
        me.fill("#id_amount_awarded", "5000")
        me.fill("#id_period_start", "2024-07-01")
        me.fill("#id_period_end", "2025-06-30")
        me.fill("#id_title_fr", f"Initiative {number} de {organisation}")
        me.fill("#id_summary_fr", "Prévention et soins menés par la communauté.")
        me.fill("#id_description_fr", "Ce que fait l’initiative, où et avec qui.")
        me.submit("_addanother" if number < len(INITIATIVES) else "_save")


def test_entering_an_edition_by_hand(secretary, artifacts):
    enter_edition(secretary)
    edition = Edition.objects.get()
    enter_organisations(secretary)
    enter_initiatives(secretary, edition)

    assert edition.funders.get().acknowledgement_fr.startswith("Avec le soutien")
    assert Organisation.objects.exclude(description_fr="").count() == 6
    initiatives = Initiative.objects.filter(edition=edition).order_by("pk")
    assert [(i.lead_organisation.name, len(i.countries)) for i in initiatives] == [
        (ORGANISATIONS[lead][0], 2) for lead, _countries in INITIATIVES
    ]
    assert all(i.title_fr and i.summary_fr and i.description_fr for i in initiatives)
    assert edition.period_end == datetime.date(2025, 6, 30)
    assert {(i.period_start, i.period_end) for i in initiatives} == {
        (datetime.date(2024, 7, 1), datetime.date(2025, 6, 30))
    }

    cost = asdict(secretary.cost)
    (artifacts / "data-entry-cost.json").write_text(json.dumps(cost, indent=2) + "\n")
    print(f"\ndata-entry cost: {cost}")
    for measure, most in AFTER.items():
        assert cost[measure] <= most, f"{measure}: {cost[measure]}, more than {most}"
