"""Load the demo data set: the 2023 Initiatives Programme edition, its organisations and
initiatives, and three demo accounts.

Safe to run again: every row is found by its natural key (slug, email, (edition, slug)...) and
updated in place, so a second run creates nothing and changes nothing. Demo accounts keep their
passwords unless ``--reset-passwords`` is passed.

Statuses are set directly here, not through the workflow services: this is seed data describing
a finished edition, so there is no history of transitions to record.
"""

from __future__ import annotations

import secrets
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction
from django.utils import timezone, translation
from modeltranslation.translator import NotRegistered, translator

from core.staff import sync_staff_groups
from demo import content
from grants.models import Initiative, LineOfAction
from organisations.models import Membership, Organisation, OrganisationRelation
from programme.models import Edition, EditionFunder, Funder, Programme, Theme

LANGUAGES = [code for code, _name in settings.LANGUAGES]


def translations(data: dict, name: str, languages: list[str] | None = None) -> dict:
    """The ``name_<lang>`` values of ``data``, empty where missing, so removals propagate."""
    return {
        f"{name}_{language}": data.get(f"{name}_{language}", "")
        for language in languages or ["en", "fr"]
    }


def base_fields(model: type[models.Model], names: list[str]) -> list[str]:
    """The untranslated columns behind the changed ``title_en``-style fields.

    modeltranslation keeps the original column (``title``) and fills it from the active language
    on save; saving with ``update_fields`` must name it too or it keeps the old text.
    """
    try:
        registered = translator.get_options_for_model(model).all_fields
    except NotRegistered:
        return []
    return sorted(
        base for base in registered if any(f"{base}_{code}" in names for code in LANGUAGES)
    )


@dataclass
class Loader:
    reset_passwords: bool = False
    now: datetime = field(default_factory=timezone.now)
    tally: dict[str, Counter] = field(default_factory=dict)
    passwords: list[tuple[str, str | None]] = field(default_factory=list)

    def count(self, model: type[models.Model], what: str, n: int = 1) -> None:
        key = str(model._meta.verbose_name_plural)
        self.tally.setdefault(key, Counter())[what] += n

    def upsert(
        self,
        model: type[models.Model],
        lookup: dict,
        values: dict,
        *,
        on_create: dict | None = None,
    ) -> tuple[models.Model, bool]:
        """Find the row by ``lookup``; create it, or save only the ``values`` that differ.

        Like ``update_or_create`` (and returns the same pair), but leaves unchanged rows
        untouched, ``updated_at`` included, so the summary can say what a run really changed.
        """
        obj = model._default_manager.select_for_update().filter(**lookup).first()
        if obj is None:
            obj = model._default_manager.create(**lookup, **values, **(on_create or {}))
            self.count(model, "created")
            return obj, True
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        if not changed:
            self.count(model, "unchanged")
            return obj, False
        for name in changed:
            setattr(obj, name, values[name])
        auto_now = [f.name for f in model._meta.concrete_fields if getattr(f, "auto_now", False)]
        obj.save(update_fields=changed + base_fields(model, changed) + auto_now)
        self.count(model, "changed")
        return obj, False

    def ensure_published_at(self, obj: models.Model) -> None:
        # Kept from the first run: re-running the loader must not move the publication date.
        if obj.published_at is None:
            obj.published_at = self.now
            obj.save(update_fields=["published_at"])

    def load(self) -> None:
        programme, _created = self.upsert(
            Programme,
            {"slug": content.PROGRAMME["slug"]},
            {
                "original_language": content.PROGRAMME["original_language"],
                **translations(content.PROGRAMME, "name"),
                **translations(content.PROGRAMME, "description"),
            },
        )
        funders = {}
        for data in content.FUNDERS:
            funders[data["name"]], _created = self.upsert(
                Funder, {"name": data["name"]}, {"website": data["website"]}
            )
        themes = {}
        for data in content.THEMES:
            themes[data["slug"]], _created = self.upsert(
                Theme,
                {"slug": data["slug"]},
                {"order": data["order"], **translations(data, "name", LANGUAGES)},
            )
        editions = {
            data["slug"]: self.load_edition(
                data, programme=programme, themes=themes, funders=funders
            )
            for data in content.EDITIONS
        }
        organisations = {
            data["slug"]: self.load_organisation(data) for data in content.ORGANISATIONS
        }
        for organisation, kind, related in content.ORGANISATION_RELATIONS:
            self.upsert(
                OrganisationRelation,
                {
                    "organisation": organisations[organisation],
                    "related": organisations[related],
                    "kind": kind,
                },
                {},
            )
        for data in content.INITIATIVES:
            self.load_initiative(
                data,
                edition=editions[data["edition"]],
                organisations=organisations,
                themes=themes,
            )
        for data in content.ACCOUNTS:
            self.load_account(data, organisations=organisations)

    def load_edition(self, data: dict, *, programme, themes: dict, funders: dict) -> Edition:
        edition, _created = self.upsert(
            Edition,
            {"slug": data["slug"]},
            {
                "programme": programme,
                "number": data["number"],
                "year": data["year"],
                "original_language": data["original_language"],
                "period_start": data["period_start"],
                "period_end": data["period_end"],
                "grant_minimum": data.get("grant_minimum"),
                "grant_maximum": data.get("grant_maximum"),
                "currency": data["currency"],
                "max_grants": data.get("max_grants"),
                "status": data["status"],
                "is_published": True,
                **translations(data, "title"),
                **translations(data, "introduction"),
            },
            on_create={"published_at": self.now},
        )
        self.ensure_published_at(edition)
        edition.themes.set([themes[slug] for slug in data["themes"]])
        for funder_data in data["funders"]:
            self.upsert(
                EditionFunder,
                {"edition": edition, "funder": funders[funder_data["funder"]]},
                {
                    "order": funder_data["order"],
                    **translations(funder_data, "acknowledgement"),
                },
            )
        return edition

    def load_organisation(self, data: dict) -> Organisation:
        organisation, _created = self.upsert(
            Organisation,
            {"slug": data["slug"]},
            {
                "name": data["name"],
                "acronym": data["acronym"],
                "kind": data["kind"],
                "country": data["country"],
                "city": data["city"],
                "founded_year": data["founded_year"],
                "original_language": data["original_language"],
                **translations(data, "description"),
            },
        )
        return organisation

    def load_initiative(
        self, data: dict, *, edition: Edition, organisations: dict, themes: dict
    ) -> Initiative:
        initiative, _created = self.upsert(
            Initiative,
            {"edition": edition, "slug": data["slug"]},
            {
                **content.INITIATIVE_DEFAULTS,
                "lead_organisation": organisations[data["lead_organisation"]],
                "order": data["order"],
                # The field stores countries sorted; compare like with like.
                "countries": sorted(data["countries"]),
                "places": data["places"],
                "is_published": True,
                **translations(data, "title"),
                **translations(data, "coverage_label", LANGUAGES),
                **translations(data, "description"),
                **translations(data, "expected_results"),
                **translations(data, "cover_caption"),
            },
            on_create={"published_at": self.now},
        )
        self.ensure_published_at(initiative)
        initiative.themes.set([themes[slug] for slug in data["themes"]])
        lines = data["lines_of_action"]
        for order, line in enumerate(lines, start=1):
            self.upsert(
                LineOfAction,
                {"initiative": initiative, "order": order},
                {**translations(line, "title"), **translations(line, "description")},
            )
        # The loader owns the demo initiatives' lines: drop any a previous version had extra.
        deleted, _detail = LineOfAction.objects.filter(
            initiative=initiative, order__gt=len(lines)
        ).delete()
        if deleted:
            self.count(LineOfAction, "deleted", deleted)
        return initiative

    def load_account(self, data: dict, *, organisations: dict) -> None:
        password = secrets.token_urlsafe(12)
        user, created = self.upsert(
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
            self.passwords.append((user.email, password))
        elif self.reset_passwords:
            user.set_password(password)
            user.save(update_fields=["password"])
            self.passwords.append((user.email, password))
        else:
            self.passwords.append((user.email, None))
        for name in data["groups"]:
            # The groups and their permissions come from core.staff (run by a
            # migration and after every migrate); refresh them here in case a flush removed them.
            group_created = not Group.objects.filter(name=name).exists()
            if group_created:
                sync_staff_groups()
            group = Group.objects.get(name=name)
            self.count(Group, "created" if group_created else "unchanged")
            user.groups.add(group)
        for slug, role in data["memberships"]:
            self.upsert(
                Membership,
                {"user": user, "organisation": organisations[slug]},
                {"role": role},
            )


class Command(BaseCommand):
    help = (
        "Load demo data (the 2023 Support. Don't Punish Initiatives Programme edition) and demo "
        "accounts for local use. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even though DEBUG is False. Demo accounts must never reach production.",
        )
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help="Give the existing demo accounts new random passwords and print them.",
        )

    def handle(self, *args, force: bool = False, reset_passwords: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is False, so this may be a production site: refusing to load demo data "
                "and demo accounts. Use --force only on a machine you own (tests, a local copy)."
            )
        loader = Loader(reset_passwords=reset_passwords)
        # Untranslated base columns (title, name...) are filled from the active language when a
        # row is saved: pin it to the default language so every run writes the same thing.
        with (
            translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE),
            transaction.atomic(),
        ):
            loader.load()
        self.report(loader)

    def report(self, loader: Loader) -> None:
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        for name, counts in loader.tally.items():
            parts = [
                f"{n} {what}"
                for what in ("created", "changed", "deleted", "unchanged")
                if (n := counts[what])
            ]
            self.stdout.write(f"  {name}: " + ", ".join(parts))
        self.stdout.write("")
        self.stdout.write("Demo accounts (local use only):")
        for email, password in loader.passwords:
            if password:
                self.stdout.write(f"  {email}  password: {password}")
            else:
                self.stdout.write(
                    f"  {email}  (password unchanged; --reset-passwords sets a new one)"
                )
        self.stdout.write(
            self.style.WARNING(
                "WARNING: these demo accounts and passwords are for local use only. Never load "
                "demo data on a server other people can reach."
            )
        )
