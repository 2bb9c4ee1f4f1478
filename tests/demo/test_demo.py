"""The demo data command: loads the 2023 edition as published and the demo accounts, and is safe
to run again, on the same day or a later one."""

import datetime
import re

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone, translation

from demo.loading import Loader, load
from grants.models import Initiative
from organisations.models import Membership, Organisation, OrganisationRelation
from programme.models import Edition, Programme, ReportingDeadline
from reports.models import Report

from .support import ACCOUNTS, REVIEWERS, SEED, load_demo, printed_passwords

pytestmark = pytest.mark.django_db

User = get_user_model()

# Every table the demo writes to, through the loader or the services it calls.
APPS = {"auth", "programme", "organisations", "grants", "reports", "notifications"}


def counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in APPS
    }


def updated_at() -> dict[str, dict]:
    """Every ``updated_at`` of the rows that have one: a save moves it."""
    return {
        model._meta.label: dict(model._default_manager.values_list("pk", "updated_at"))
        for model in apps.get_models()
        if model._meta.app_label in APPS
        and any(f.name == "updated_at" for f in model._meta.concrete_fields)
    }


def dates() -> dict:
    """The dates the demo works out from the load day."""
    return {
        "editions": list(
            Edition.objects.values_list(
                "slug",
                "year",
                "period_start",
                "period_end",
                "application_opens_at",
                "application_closes_at",
            )
        ),
        "deadlines": list(ReportingDeadline.objects.values_list("kind", "period_end", "due_on")),
        "reports": list(Report.objects.values_list("pk", "due_on", "status")),
    }


def password_hashes() -> dict[str, str]:
    return dict(User.objects.values_list("email", "password"))


def seed_paragraphs() -> list[str]:
    if not SEED.exists():
        pytest.skip(f"seed file {SEED} is not available")
    return [line for line in SEED.read_text(encoding="utf-8").split("\n") if line.strip()]


def test_refuses_to_run_with_debug_off_unless_forced():
    assert settings.DEBUG is False
    with pytest.raises(CommandError, match="DEBUG is False"):
        call_command("load_demo")
    assert not Programme.objects.exists()
    assert not User.objects.exists()


def test_running_twice_creates_and_changes_nothing(demo):
    before = (counts(), updated_at(), dates(), password_hashes())

    output = load_demo()

    assert (counts(), updated_at(), dates(), password_hashes()) == before
    assert re.search(r"\d+ (created|changed|deleted)", output) is None
    assert "emails:" not in output  # no service ran: nothing was notified again
    assert printed_passwords(output) == {}
    assert "local use only" in output


def test_a_run_on_a_later_day_keeps_the_relative_dates(demo):
    before = (counts(), updated_at(), dates(), password_hashes())
    later = Loader(now=timezone.now() + datetime.timedelta(days=45))

    with translation.override("en"), transaction.atomic():
        load(later)

    assert (counts(), updated_at(), dates(), password_hashes()) == before
    assert all(set(tally) == {"unchanged"} for tally in later.tally.values())


def test_first_run_prints_working_passwords(demo):
    passwords = printed_passwords(demo)
    assert sorted(passwords) == sorted(ACCOUNTS)
    for email, password in passwords.items():
        assert User.objects.get(email=email).check_password(password)
    assert "local use only" in demo


def test_reset_passwords_gives_new_ones(demo):
    before = password_hashes()

    output = load_demo(reset_passwords=True)

    after = password_hashes()
    passwords = printed_passwords(output)
    assert sorted(passwords) == sorted(ACCOUNTS)
    for email in ACCOUNTS:
        assert after[email] != before[email]
        assert User.objects.get(email=email).check_password(passwords[email])


def test_six_initiatives_in_seed_order_with_their_countries(demo):
    initiatives = Initiative.objects.filter(edition__slug="2023").order_by("order")

    assert [
        (i.order, i.lead_organisation.slug, {c.code for c in i.countries}) for i in initiatives
    ] == [
        (1, "accion-andina", {"BO"}),
        (2, "escola-livre-de-reducao-de-danos", {"BR"}),
        (3, "aksi-keadilan-indonesia", {"ID"}),
        (4, "association-kenedougou-solidarite", {"ML"}),
        (5, "helsinki-foundation-for-human-rights", {"PL"}),
        (6, "skosh", {"RU", "NL"}),
    ]
    for initiative in initiatives:
        assert initiative.is_published
        assert initiative.status == "completed"
        assert initiative.workplan_status == "approved"
        assert initiative.currency == "USD"
        assert initiative.title_en and initiative.title_fr
        assert initiative.description_en and initiative.description_fr
        assert initiative.themes.exists()
    assert list(Initiative.objects.published().filter(edition__slug="2023")) == list(initiatives)


def test_skosh_coverage_label_is_translated(demo):
    skosh = Initiative.objects.get(edition__slug="2023", slug="skosh")

    assert skosh.coverage_label_en == "International / Russia"
    assert skosh.coverage_label_fr == "Internationale / Russie"
    assert all(getattr(skosh, f"coverage_label_{code}") for code, _name in settings.LANGUAGES)
    with translation.override("fr"):
        assert skosh.coverage == "Internationale / Russie"
    assert OrganisationRelation.objects.filter(
        organisation__slug="skosh",
        related__name="Andrey Rylkov Foundation for Health and Social Justice",
        kind=OrganisationRelation.Kind.SISTER,
    ).exists()
    assert [line.title_en for line in skosh.lines_of_action.all()] == [
        "Cultural and solidarity events",
        "Restoring ARF's database",
        "A film on Russia's “war on drugs”",
    ]


def test_french_texts_are_the_seed_text(demo):
    paragraphs = seed_paragraphs()
    accion_andina = Initiative.objects.get(edition__slug="2023", slug="accion-andina")
    edition = Edition.objects.get(slug="2023")

    project = next(p for p in paragraphs if p.startswith("Le projet cherche à consolider"))
    assert accion_andina.description_fr == project
    assert edition.title_fr == paragraphs[0]
    assert edition.introduction_fr == "\n\n".join(paragraphs[1:5])
    funder = edition.funders.get()
    assert funder.funder.name == "Elton John AIDS Foundation"
    assert funder.acknowledgement_fr == paragraphs[5]
    assert accion_andina.lines_of_action.count() == 4


def test_every_french_text_from_the_seed_is_a_paragraph_of_it(demo):
    """The YAML files keep the seed's words exactly: typos, apostrophes, no-break spaces."""
    paragraphs = set(seed_paragraphs())
    initiatives = Initiative.objects.filter(edition__slug="2023")
    texts = [i.description_fr for i in initiatives]
    texts += [i.cover_caption_fr for i in initiatives if i.cover_caption_fr]
    texts += [
        o.description_fr
        for o in Organisation.objects.filter(initiatives__edition__slug="2023").distinct()
    ]

    assert len(texts) == 6 + 3 + 6
    assert [text for text in texts if text not in paragraphs] == []
    assert any("Poilogne" in p for p in paragraphs)
    assert "Poilogne" in Edition.objects.get(slug="2023").introduction_fr
    assert "\xa0" in Initiative.objects.get(edition__slug="2023", slug="skosh").description_fr


def test_editions_published_with_the_2022_one_as_previous(demo):
    previous = Edition.objects.get(slug="2022")
    edition = Edition.objects.get(slug="2023")

    assert previous.is_published and previous.published_at
    assert previous.number == 2
    assert previous.introduction_en and previous.introduction_fr
    assert not previous.initiatives.exists()
    assert edition.is_published and edition.published_at
    assert (edition.number, edition.year, edition.original_language) == (3, 2023, "fr")
    assert (edition.grant_minimum, edition.grant_maximum, edition.max_grants) == (4000, 5000, 7)
    assert edition.previous_edition() == previous
    assert edition.programme.slug == "initiatives-programme"
    assert edition.themes.count() == 4


def test_demo_accounts_have_their_roles(demo):
    secretariat = User.objects.get(email="secretariat@example.org")
    member = User.objects.get(email="accion-andina@example.org")
    applicant = User.objects.get(email="escola-livre@example.org")

    assert secretariat.is_staff
    assert secretariat.groups.filter(name="Secretariat").exists()
    assert member.language == "es"
    assert not member.is_staff
    assert Membership.objects.filter(
        user=member, organisation__slug="accion-andina", role=Membership.Role.ADMIN
    ).exists()
    assert applicant.language == "pt"
    assert Membership.objects.filter(
        user=applicant, organisation__slug="escola-livre-de-reducao-de-danos"
    ).exists()
    for email in REVIEWERS:
        reviewer = User.objects.get(email=email)
        assert reviewer.groups.filter(name="Reviewer").exists()
        assert not reviewer.is_staff


def test_other_members_cannot_log_in(demo):
    contacts = User.objects.exclude(email__in=ACCOUNTS)

    assert contacts.count() == 14
    assert not any(user.has_usable_password() for user in contacts)
    assert not contacts.filter(is_staff=True).exists()
    assert not contacts.filter(memberships__isnull=True).exists()
    assert all(user.email.endswith("@example.org") for user in User.objects.all())


def test_works_when_the_groups_already_exist():
    # The groups normally come from a data migration; the loader must reuse them.
    Group.objects.get_or_create(name="Secretariat")
    Group.objects.get_or_create(name="Reviewer")
    groups = Group.objects.count()

    load_demo()

    assert Group.objects.count() == groups
