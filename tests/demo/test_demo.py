"""The demo data command: loads the 2023 edition as published, and is safe to run again."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.utils import translation

from demo import content as demo_content
from grants.models import Initiative, LineOfAction
from organisations.models import Membership, Organisation, OrganisationRelation
from programme.models import Edition, EditionFunder, Funder, Programme, Theme

pytestmark = pytest.mark.django_db

User = get_user_model()

MODELS = [
    Programme,
    Funder,
    Theme,
    Edition,
    Edition.themes.through,
    EditionFunder,
    Organisation,
    OrganisationRelation,
    Initiative,
    Initiative.themes.through,
    LineOfAction,
    User,
    User.groups.through,
    Group,
    Membership,
]
EMAILS = ["secretariat@example.org", "accion-andina@example.org", "reviewer@example.org"]
SEED = Path(settings.BASE_DIR).parent / "shared" / "seeds" / demo_content.SEED_NAME


def load_demo(**options) -> str:
    out = StringIO()
    # Test settings have DEBUG = False, like production: --force is required.
    call_command("load_demo", force=True, stdout=out, **options)
    return out.getvalue()


def printed_passwords(output: str) -> dict[str, str]:
    return dict(re.findall(r"^\s+(\S+@\S+)\s+password: (\S+)$", output, flags=re.MULTILINE))


def counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in MODELS}


def password_hashes() -> dict[str, str]:
    return dict(User.objects.filter(email__in=EMAILS).values_list("email", "password"))


def seed_paragraphs() -> list[str]:
    if not SEED.exists():
        pytest.skip(f"seed file {SEED} is not available")
    return [line for line in SEED.read_text(encoding="utf-8").split("\n") if line.strip()]


@pytest.fixture
def demo() -> str:
    return load_demo()


def test_refuses_to_run_with_debug_off_unless_forced():
    assert settings.DEBUG is False
    with pytest.raises(CommandError, match="DEBUG is False"):
        call_command("load_demo", stdout=StringIO())
    assert not Programme.objects.exists()
    assert not User.objects.exists()


def test_running_twice_creates_and_changes_nothing(demo):
    before_counts, before_hashes = counts(), password_hashes()
    updated_at = dict(Initiative.objects.values_list("pk", "updated_at"))

    output = load_demo()

    assert counts() == before_counts
    assert password_hashes() == before_hashes
    assert dict(Initiative.objects.values_list("pk", "updated_at")) == updated_at
    assert "created" not in output
    assert printed_passwords(output) == {}
    assert "local use only" in output


def test_first_run_prints_working_passwords(demo):
    passwords = printed_passwords(demo)
    assert sorted(passwords) == sorted(EMAILS)
    for email, password in passwords.items():
        assert User.objects.get(email=email).check_password(password)
    assert "local use only" in demo


def test_reset_passwords_gives_new_ones(demo):
    before = password_hashes()

    output = load_demo(reset_passwords=True)

    after = password_hashes()
    passwords = printed_passwords(output)
    assert sorted(passwords) == sorted(EMAILS)
    for email in EMAILS:
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


def test_editions_published_with_the_2022_one_as_previous(demo):
    previous = Edition.objects.get(slug="2022")
    edition = Edition.objects.get(slug="2023")

    assert previous.is_published and previous.published_at
    assert previous.number == 2
    assert previous.introduction_en and previous.introduction_fr
    assert edition.is_published and edition.published_at
    assert (edition.number, edition.year, edition.original_language) == (3, 2023, "fr")
    assert (edition.grant_minimum, edition.grant_maximum, edition.max_grants) == (4000, 5000, 7)
    assert edition.previous_edition() == previous
    assert edition.programme.slug == "initiatives-programme"
    assert edition.themes.count() == 4


def test_demo_accounts_have_their_roles(demo):
    secretariat = User.objects.get(email="secretariat@example.org")
    member = User.objects.get(email="accion-andina@example.org")
    reviewer = User.objects.get(email="reviewer@example.org")

    assert secretariat.is_staff
    assert secretariat.groups.filter(name="Secretariat").exists()
    assert member.language == "es"
    assert not member.is_staff
    assert Membership.objects.filter(
        user=member, organisation__slug="accion-andina", role=Membership.Role.ADMIN
    ).exists()
    assert reviewer.groups.filter(name="Reviewer").exists()
    assert not reviewer.is_staff


def test_works_when_the_groups_already_exist():
    # The groups normally come from a data migration; the loader must reuse them.
    Group.objects.get_or_create(name="Secretariat")
    Group.objects.get_or_create(name="Reviewer")
    groups = Group.objects.count()

    load_demo()

    assert Group.objects.count() == groups
