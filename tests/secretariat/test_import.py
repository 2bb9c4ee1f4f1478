"""The import of past editions from a spreadsheet: the dry run, the refusal of a file with an
error (nothing written), importing twice, and imported editions reading like typed ones."""

from __future__ import annotations

import datetime
import io
import re
from decimal import Decimal

import pytest
import tablib
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from lxml import html

from grants.models import Initiative, InitiativeStatusChange
from organisations.models import Organisation
from programme.models import Edition, EditionStatusChange
from secretariat.services.imports import COLUMNS, ImportRefused, import_apply, import_plan
from tests.factories import OrganisationFactory, ProgrammeFactory, ThemeFactory

pytestmark = pytest.mark.django_db

IMPORT = reverse("secretariat:import")
HEADERS = [column.name for column in COLUMNS]

EDITION = {
    "edition_slug": "2019",
    "programme": "initiatives-programme",
    "edition_number": "1",
    "edition_year": "2019",
    "edition_original_language": "fr",
    "edition_title_en": "Initiatives Programme 2019",
    "edition_title_fr": "Programme d’initiatives 2019",
    "edition_introduction_en": "The first edition funded two initiatives.",
    "edition_introduction_fr": "La première édition a financé deux initiatives.",
    "edition_period_start": "2019-06-01",
    "edition_period_end": "2019-12-31",
    "edition_currency": "USD",
}
ROWS = [
    {
        **EDITION,
        "organisation_slug": "accion-andina",
        "organisation_name": "Acción Andina",
        "organisation_country": "BO",
        "organisation_kind": "community",
        "organisation_original_language": "es",
        "organisation_description_es": "Colectivo de mujeres en La Paz.",
        "organisation_description_en": "A women's collective in La Paz.",
        "slug": "mujeres",
        "original_language": "fr",
        "title_en": "Organising women who use drugs",
        "title_fr": "Organisation des femmes usagères",
        "description_en": "The project organises women who use drugs in La Paz.",
        "description_fr": "Le projet organise les femmes usagères à La Paz.",
        "countries": "BO",
        "themes": "mobilisation",
        "amount_awarded": "5000",
        "awarded_on": "2019-06-01",
    },
    {
        **{key: "" for key in EDITION},
        "edition_slug": "2019",
        "organisation_slug": "escola-livre",
        "organisation_name": "Escola Livre",
        "organisation_country": "BR",
        "slug": "escola",
        "original_language": "fr",
        "title_en": "A free school",
        "title_fr": "Une école libre",
        "description_en": "Training peers in São Paulo.",
        "description_fr": "Former des pairs à São Paulo.",
        "countries": "BR, AR",
        "themes": "mobilisation advocacy",
        "amount_awarded": "4500.50",
    },
]


def sheet(rows, fmt="xlsx") -> bytes:
    dataset = tablib.Dataset(headers=HEADERS)
    for row in rows:
        dataset.append([row.get(name, "") for name in HEADERS])
    content = dataset.export(fmt)
    return content.encode() if isinstance(content, str) else content


@pytest.fixture
def catalogue():
    ProgrammeFactory()
    ThemeFactory(slug="mobilisation", name_en="Community mobilisation")
    ThemeFactory(slug="advocacy", name_en="Policy advocacy")


@pytest.fixture
def secretariat_client(client, secretary):
    client.force_login(secretary)
    return client


def snapshot() -> dict:
    """Every imported row with the fields the import writes, to compare two states."""
    return {
        "editions": list(
            Edition.objects.order_by("pk").values(
                "pk",
                "slug",
                "title_en",
                "title_fr",
                "introduction_fr",
                "status",
                "is_published",
                "published_at",
                "updated_at",
            )
        ),
        "organisations": list(
            Organisation.objects.order_by("pk").values(
                "pk", "slug", "name", "country", "description_es", "version", "updated_at"
            )
        ),
        "initiatives": list(
            Initiative.objects.order_by("pk").values(
                "pk",
                "slug",
                "title_fr",
                "description_en",
                "countries",
                "amount_awarded",
                "status",
                "order",
                "published_at",
                "updated_at",
                "lead_organisation",
            )
        ),
        "themes": sorted(Initiative.themes.through.objects.values_list("initiative", "theme")),
        "history": EditionStatusChange.objects.count() + InitiativeStatusChange.objects.count(),
    }


def test_the_dry_run_shows_each_row_and_writes_nothing(secretariat_client, catalogue):
    upload = io.BytesIO(sheet(ROWS))
    upload.name = "editions.xlsx"
    page = secretariat_client.post(IMPORT, {"file": upload})
    assert page.status_code == 200
    tree = html.fromstring(page.content.decode())
    rows = tree.xpath("//table[@id='import-rows']/tbody/tr")
    assert [row.xpath("string(td[1])") for row in rows] == ["2", "3"]
    assert "create" in rows[0].xpath("string(td[2])") and "2019" in rows[0].xpath("string(td[2])")
    assert "Escola Livre" in rows[1].xpath("string(td[3])")
    assert "A free school" in rows[1].xpath("string(td[4])") or "Une école libre" in rows[1].xpath(
        "string(td[4])"
    )
    assert tree.xpath("//input[@name='confirm']")
    assert not Edition.objects.exists() and not Organisation.objects.exists()
    # Confirming imports what the dry run read.
    response = secretariat_client.post(
        IMPORT, {"confirm": "1", "digest": tree.xpath("string(//input[@name='digest']/@value)")}
    )
    assert response.status_code == 302
    edition = Edition.objects.get(slug="2019")
    assert edition.status == "closed" and edition.is_published and edition.published_at
    assert [(h.from_status, h.to_status) for h in edition.history.order_by("pk")] == [
        ("draft", "running"),
        ("running", "closed"),
    ]
    initiatives = Initiative.objects.order_by("order")
    assert [(i.slug, i.status, i.lead_organisation.slug) for i in initiatives] == [
        ("mujeres", "completed", "accion-andina"),
        ("escola", "completed", "escola-livre"),
    ]
    assert initiatives[1].amount_awarded == Decimal("4500.50")
    assert [c.code for c in initiatives[1].countries] == ["AR", "BR"]
    assert initiatives[1].period_end == datetime.date(2019, 12, 31)
    assert all(i.history.get().actor_id == edition.history.first().actor_id for i in initiatives)


def test_a_file_with_one_bad_row_is_refused_whole(secretariat_client, catalogue):
    bad = [ROWS[0], {**ROWS[1], "amount_awarded": "4 500,50", "countries": "BR, XX"}]
    upload = io.BytesIO(sheet(bad, "csv"))
    upload.name = "editions.csv"
    translation.activate("fr")
    page = secretariat_client.post("/fr/secretariat/import/", {"file": upload})
    tree = html.fromstring(page.content.decode())
    errors = [
        tuple(cell.text_content().strip() for cell in row.xpath("td"))
        for row in tree.xpath("//table[@id='import-errors']/tbody/tr")
    ]
    columns = [(row, column) for row, column, _message in errors]
    assert ("3", "countries") in columns and ("3", "amount_awarded") in columns
    assert not tree.xpath("//input[@name='confirm']")
    assert not Edition.objects.exists() and not Organisation.objects.exists()
    assert not Initiative.objects.exists()
    # The service refuses it too, whoever calls it.
    with translation.override("en"), pytest.raises(ImportRefused, match="2 errors"):
        import_apply(data=sheet(bad), filename="editions.xlsx", actor=None)
    assert not Edition.objects.exists() and not Organisation.objects.exists()


def test_importing_the_same_file_twice_changes_nothing(secretary, catalogue):
    OrganisationFactory(slug="escola-livre", name="Escola Livre", country="BR")
    import_apply(data=sheet(ROWS), filename="editions.xlsx", actor=secretary)
    first = snapshot()
    plan = import_plan(data=sheet(ROWS), filename="editions.xlsx")
    assert not plan.errors
    assert plan.counts() == {
        "edition": {"create": 0, "update": 0, "unchanged": 1},
        "organisation": {"create": 0, "update": 0, "unchanged": 2},
        "initiative": {"create": 0, "update": 0, "unchanged": 2},
    }
    import_apply(data=sheet(ROWS, "csv"), filename="editions.csv", actor=secretary)
    assert snapshot() == first
    # CSV saved with semicolons (a spreadsheet set to French) reads the same.
    semicolons = tablib.Dataset(headers=HEADERS)
    for row in ROWS:
        semicolons.append([row.get(name, "") for name in HEADERS])
    data = semicolons.export("csv", delimiter=";").encode()
    assert not import_plan(data=data, filename="editions.csv").errors
    import_apply(data=data, filename="editions.csv", actor=secretary)
    assert snapshot() == first
    # A changed cell changes that row only.
    changed = [ROWS[0], {**ROWS[1], "title_fr": "Une école vraiment libre"}]
    plan = import_plan(data=sheet(changed), filename="editions.xlsx")
    assert [row.initiative.verb for row in plan.rows] == ["unchanged", "update"]
    assert plan.rows[1].initiative.changes == ["title_fr"]


def main_text(path: str) -> str:
    from django.test import Client

    page = Client().get(path)
    assert page.status_code == 200, path
    main = html.fromstring(page.content.decode()).xpath("//main")[0]
    return re.sub(r"\s+", " ", main.text_content()).strip()


PROGRAMME = "initiatives-programme"


def pages() -> dict:
    paths = []
    for language, name, kwargs in (
        ("fr", "public:edition", {"programme": PROGRAMME, "edition": "2019"}),
        ("en", "public:edition", {"programme": PROGRAMME, "edition": "2019"}),
        ("fr", "public:initiative", {"programme": PROGRAMME, "edition": "2019", "slug": "mujeres"}),
        ("en", "public:initiative", {"programme": PROGRAMME, "edition": "2019", "slug": "escola"}),
        ("es", "public:organisation", {"slug": "accion-andina"}),
    ):
        with translation.override(language):
            paths.append(reverse(name, kwargs=kwargs))
    return {path: main_text(path) for path in paths}


def admin_submit(client, url: str, values: dict) -> None:
    """Fill the back office's form at ``url`` as a person would (every field as the page
    offers it, then ``values``) and save it."""
    tree = html.fromstring(client.get(url).content.decode())
    form = tree.xpath("//form[@method='post' and .//input[@name='_save']]")[0]
    data: dict = {}
    for field in form.xpath(".//input|.//select|.//textarea"):
        name = field.get("name")
        if not name or field.get("type") in ("submit", "button", "file"):
            continue
        if field.get("type") in ("checkbox", "radio"):
            if field.get("checked") is not None:
                data[name] = field.get("value", "on")
        elif field.tag == "select":
            chosen = [o.get("value") for o in field.xpath(".//option[@selected]")]
            if chosen:
                data[name] = chosen if field.get("multiple") is not None else chosen[0]
        else:
            data[name] = field.value or ""
    data.update(values)
    data["_save"] = "Save"
    response = client.post(url, data)
    assert response.status_code == 302, html.fromstring(response.content.decode()).xpath(
        "string(//*[contains(@class, 'errornote') or contains(@class, 'errorlist')]/..)"
    )


def test_an_imported_edition_reads_like_one_typed_in_the_back_office(
    secretariat_client, secretary, catalogue
):
    """The same edition typed in the back office's forms (then run by its action) and
    imported (closed, its grants completed): the public pages read the same."""
    from django.core.cache import cache

    from programme.models import Programme, Theme

    client = secretariat_client
    with transaction.atomic():
        admin_submit(
            client,
            reverse("admin:programme_edition_add"),
            {
                "programme": str(Programme.objects.get().pk),
                "number": "1",
                "year": "2019",
                "slug": "2019",
                "original_language": "fr",
                "title_en": EDITION["edition_title_en"],
                "title_fr": EDITION["edition_title_fr"],
                "introduction_en": EDITION["edition_introduction_en"],
                "introduction_fr": EDITION["edition_introduction_fr"],
                "period_start": "2019-06-01",
                "period_end": "2019-12-31",
                "currency": "USD",
                "is_published": "on",
            },
        )
        edition = Edition.objects.get(slug="2019")
        for order, row in enumerate(ROWS, start=1):
            admin_submit(
                client,
                reverse("admin:organisations_organisation_add"),
                {
                    "name": row["organisation_name"],
                    "slug": row["organisation_slug"],
                    "country": row["organisation_country"],
                    "kind": row.get("organisation_kind") or "ngo",
                    "original_language": row.get("organisation_original_language") or "en",
                    "description_es": row.get("organisation_description_es", ""),
                    "description_en": row.get("organisation_description_en", ""),
                },
            )
            admin_submit(
                client,
                reverse("admin:grants_initiative_add"),
                {
                    "edition": str(edition.pk),
                    "lead_organisation": str(
                        Organisation.objects.get(slug=row["organisation_slug"]).pk
                    ),
                    "slug": row["slug"],
                    "original_language": "fr",
                    "title_en": row["title_en"],
                    "title_fr": row["title_fr"],
                    "description_en": row["description_en"],
                    "description_fr": row["description_fr"],
                    "countries": sorted(c.strip() for c in row["countries"].split(",")),
                    "themes": [
                        str(t.pk) for t in Theme.objects.filter(slug__in=row["themes"].split())
                    ],
                    "amount_awarded": row["amount_awarded"],
                    "currency": "USD",
                    "awarded_on": row.get("awarded_on", ""),
                    "period_start": "2019-06-01",
                    "period_end": "2019-12-31",
                    "is_published": "on",
                    "order": str(order),
                },
            )
        client.post(
            reverse("admin:programme_edition_changelist"),
            {"action": "start_running", "_selected_action": [str(edition.pk)]},
        )
        assert Edition.objects.get(pk=edition.pk).status == "running"
        assert Initiative.objects.count() == 2
        typed = pages()
        transaction.set_rollback(True)
    cache.clear()
    assert not Edition.objects.exists()
    import_apply(data=sheet(ROWS), filename="editions.xlsx", actor=secretary)
    assert pages() == typed
