"""The demo's reference rows, upserted by natural key from the data files: the programmes
(with their branding), their funder and themes, the editions (with their calls' criteria,
eligibility questions, reporting deadlines and agreement template), the organisations, the
2023 initiatives and the people.

These rows are written directly: they are what the secretariat sets up in the back office, or,
for the 2023 initiatives, a finished edition copied from its public page (there is no history of
transitions to record for it). Everything that moves through a workflow now is built through
the services: the editions' statuses by ``demo.loading.editions`` (each edition is made in
preparation), the applications and grants by ``demo.loading.scenarios``.
"""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from core.staff import sync_staff_groups
from grants.models import Initiative, LineOfAction
from grants.services import public_lines_refresh
from organisations.models import Membership, Organisation, OrganisationRelation
from programme.models import (
    AgreementTemplate,
    Edition,
    EditionFunder,
    EligibilityQuestion,
    Funder,
    Programme,
    ReportingDeadline,
    ReviewCriterion,
    Theme,
)

from .base import Loader, translations
from .files import Year, is_relative, logo, read, resolve

# Edition columns the data may leave out; then they are emptied (a removal propagates).
EDITION_NULLABLE = (
    "grant_minimum",
    "grant_maximum",
    "max_grants",
    "application_opens_at",
    "application_closes_at",
)
# Edition columns taken as they are when the data gives them (else the model's default).
EDITION_PLAIN = (
    "number",
    "year",
    "slug",
    "original_language",
    "period_start",
    "period_end",
    "currency",
    "application_time_zone",
    "min_reviewers_per_application",
    "allow_multiple_applications",
    "hide_applicant_identity",
)
EDITION_TEXTS = ("title", "introduction", "eligibility_rules", "application_guidance")


def split(
    loader: Loader, values: dict, *, zone: str = "UTC", year: int | None = None
) -> tuple[dict, dict]:
    """(fixed values, resolved relative values): the second are set only when the row is made,
    so a run on a later day changes nothing."""
    fixed, relative = {}, {}
    for name, value in values.items():
        if is_relative(value, year_is_relative=year is not None):
            relative[name] = resolve(value, loader.today, zone, year)
        else:
            fixed[name] = value
    return fixed, relative


def load_catalogue(loader: Loader) -> None:
    data = read("programme")
    programme = load_programme(loader, data)
    programmes = {programme.slug: programme}
    for other in data.get("other_programmes", []):
        programmes[other["slug"]] = upsert_programme(loader, other)
    editions = read("editions")["editions"]
    for edition in editions:
        loader.editions[edition["key"]] = load_edition(
            loader, edition, programme=programmes[edition.get("programme", programme.slug)]
        )
    organisations = read("organisations")
    for organisation in organisations["organisations"]:
        loader.organisations[organisation["slug"]] = load_organisation(loader, organisation)
    for slug, kind, related in organisations["relations"]:
        loader.upsert(
            OrganisationRelation,
            {
                "organisation": loader.organisations[slug],
                "related": loader.organisations[related],
                "kind": kind,
            },
            {},
        )
    initiatives = read("initiatives-2023")
    for initiative in initiatives["initiatives"]:
        load_initiative(loader, initiative, defaults=initiatives["defaults"])
    people = read("accounts")
    for account in people["accounts"]:
        load_account(loader, account)
    for contact in people["contacts"]:
        load_contact(loader, contact)


def load_programme(loader: Loader, data: dict) -> Programme:
    programme = upsert_programme(loader, data["programme"])
    for funder in data["funders"]:
        loader.funders[funder["name"]], _created = loader.upsert(
            Funder, {"name": funder["name"]}, {"website": funder["website"]}
        )
    for theme in data["themes"]:
        loader.themes[theme["slug"]], _created = loader.upsert(
            Theme, {"slug": theme["slug"]}, {"order": theme["order"], **translations(theme, "name")}
        )
    return programme


def upsert_programme(loader: Loader, data: dict) -> Programme:
    """A programme with its branding; its logo is drawn when it has none (a logo the
    secretariat uploaded since stays)."""
    programme, _created = loader.upsert(
        Programme,
        {"slug": data["slug"]},
        {
            "original_language": data["original_language"],
            "primary_colour": data["primary_colour"],
            "tint_colour": data["tint_colour"],
            "contact_email": data["contact_email"],
            **translations(data, "name", "short_description", "description", "sender_name"),
        },
    )
    if not programme.logo:
        programme.logo.save(
            f"{programme.slug}.png",
            logo(f"{programme.slug}.png", data["primary_colour"], data["logo"]),
        )
    return programme


def load_edition(loader: Loader, data: dict, *, programme: Programme) -> Edition:
    """An edition found by its number; a relative edition (``year: !year N``) gets its year,
    slug, title, dates and call window when it is made, and keeps them."""
    zone = data.get("application_time_zone", "UTC")
    year = resolve(data["year"], loader.today) if isinstance(data["year"], Year) else None
    values = {
        "is_published": True,
        **{name: data.get(name) for name in EDITION_NULLABLE},
        **{name: data[name] for name in EDITION_PLAIN if name in data},
        **translations(data, *EDITION_TEXTS),
    }
    del values["number"]
    fixed, relative = split(loader, values, zone=zone, year=year)
    edition, _created = loader.upsert(
        Edition,
        {"programme": programme, "number": data["number"]},
        fixed,
        on_create={"published_at": loader.now, **relative},
    )
    loader.ensure_published_at(edition)
    edition.themes.set([loader.themes[slug] for slug in data.get("themes", [])])
    for funder in data.get("funders", []):
        loader.upsert(
            EditionFunder,
            {"edition": edition, "funder": loader.funders[funder["funder"]]},
            {"order": funder["order"], **translations(funder, "acknowledgement")},
        )
    for order, criterion in enumerate(data.get("criteria", []), start=1):
        loader.upsert(
            ReviewCriterion,
            {"edition": edition, "order": order},
            {
                "weight": criterion["weight"],
                "max_score": criterion.get("max_score", 5),
                **translations(criterion, "name", "description"),
            },
        )
    for order, question in enumerate(data.get("eligibility_questions", []), start=1):
        loader.upsert(
            EligibilityQuestion,
            {"edition": edition, "order": order},
            {
                "required_answer": question["required_answer"],
                **translations(question, "text", "failure_reason"),
            },
        )
    if "agreement" in data:
        loader.upsert(
            AgreementTemplate,
            {"edition": edition},
            translations(data["agreement"], "title", "preamble", "clauses"),
        )
    for deadline in data.get("reporting_deadlines", []):
        fixed, relative = split(
            loader, {k: v for k, v in deadline.items() if k != "kind"}, zone=zone
        )
        loader.upsert(
            ReportingDeadline,
            {"edition": edition, "kind": deadline["kind"]},
            fixed,
            on_create=relative,
        )
    return edition


def load_organisation(loader: Loader, data: dict) -> Organisation:
    organisation, _created = loader.upsert(
        Organisation,
        {"slug": data["slug"]},
        {
            "name": data["name"],
            "acronym": data.get("acronym", ""),
            "kind": data["kind"],
            "country": data["country"],
            "city": data.get("city", ""),
            "founded_year": data.get("founded_year"),
            "original_language": data["original_language"],
            **translations(data, "description"),
        },
    )
    return organisation


def load_initiative(loader: Loader, data: dict, *, defaults: dict) -> Initiative:
    initiative, _created = loader.upsert(
        Initiative,
        {"edition": loader.editions[data["edition"]], "slug": data["slug"]},
        {
            **defaults,
            "lead_organisation": loader.organisations[data["lead_organisation"]],
            "order": data["order"],
            # The field stores countries sorted; compare like with like.
            "countries": sorted(data["countries"]),
            "places": data["places"],
            "is_published": True,
            **translations(
                data, "title", "coverage_label", "description", "expected_results", "cover_caption"
            ),
        },
        on_create={"published_at": loader.now},
    )
    loader.ensure_published_at(initiative)
    initiative.themes.set([loader.themes[slug] for slug in data["themes"]])
    lines = data["lines_of_action"]
    for order, line in enumerate(lines, start=1):
        loader.upsert(
            LineOfAction,
            {"initiative": initiative, "order": order},
            translations(line, "title", "description"),
        )
    # The loader owns the demo initiatives' lines: drop any a previous version had extra.
    deleted, _detail = LineOfAction.objects.filter(
        initiative=initiative, order__gt=len(lines)
    ).delete()
    if deleted:
        loader.count(LineOfAction, "deleted", deleted)
    # The secretariat's own texts: shown on the public page as they are.
    public_lines_refresh(initiative=initiative)
    return initiative


def load_account(loader: Loader, data: dict) -> None:
    """A demo account someone logs in with: a random password, printed when it is made (or
    reset with ``--reset-passwords``), never stored in the data."""
    password = secrets.token_urlsafe(12)
    user, created = loader.upsert(
        get_user_model(),
        {"email": data["email"]},
        {
            "full_name": data["full_name"],
            "language": data["language"],
            "is_staff": data["is_staff"],
            "is_active": True,
        },
        on_create={"password": make_password(password)},
    )
    if created:
        loader.passwords.append((user.email, password))
    elif loader.reset_passwords:
        user.set_password(password)
        user.save(update_fields=["password"])
        loader.passwords.append((user.email, password))
    else:
        loader.passwords.append((user.email, None))
    add_groups(loader, user, data.get("groups", []))
    add_memberships(loader, user, data.get("memberships", []))
    loader.users[user.email] = user


def load_contact(loader: Loader, data: dict) -> None:
    """A member of a demo organisation who receives its emails but cannot log in (no password:
    ``make_password(None)`` is an unusable one)."""
    user, _created = loader.upsert(
        get_user_model(),
        {"email": data["email"]},
        {"full_name": data["full_name"], "language": data["language"], "is_active": True},
        on_create={"password": make_password(None), "is_staff": False},
    )
    add_memberships(loader, user, data.get("memberships", []))
    loader.users[user.email] = user
    loader.contacts.append(user.email)


def add_groups(loader: Loader, user, names: list[str]) -> None:
    for name in names:
        # The groups and their permissions come from core.staff (run by a
        # migration and after every migrate); refresh them here in case a flush removed them.
        group_created = not Group.objects.filter(name=name).exists()
        if group_created:
            sync_staff_groups()
        group = Group.objects.get(name=name)
        loader.count(Group, "created" if group_created else "unchanged")
        user.groups.add(group)


def add_memberships(loader: Loader, user, memberships: list) -> None:
    for slug, role in memberships:
        loader.upsert(
            Membership,
            {"user": user, "organisation": loader.organisations[slug]},
            {"role": role},
        )
