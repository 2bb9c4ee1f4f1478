"""Load the demo data set (``demo/data/*.yaml``): the 2023 Initiatives Programme edition as
published, a running edition with grants in progress, an edition whose call is open with
applications in every status, the organisations, and the demo accounts.

Safe to run again: every reference row is found by its natural key (slug, email, (programme,
number)...) and updated in place, and every journey (an application and what followed it) is
built only when its organisation has no application in that edition yet, so a second run creates
nothing and changes nothing. Demo accounts keep their passwords unless ``--reset-passwords`` is
passed.

Dates are relative to the day of the first run (``!days N`` in the data): the open call opened a
few days before and closes about a month after it, the demo grantee's interim report falls due
within two weeks of it. They are set when the rows are made; a run on a later day leaves them.

The journeys go through the real services (``demo.loading.scenarios``), which record and send a
notification for each step. While the command runs, the emails go to Django's in-memory mailer,
not the console (``demo.loading.emails``, a settings override used by this command only): the
notification rows record them as sent, and the command says how many there were, instead of
printing dozens of emails around the passwords.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import translation

from demo.loading import Loader, emails_kept_in_memory, load


class Command(BaseCommand):
    help = (
        "Load demo data (the Support. Don't Punish Initiatives Programme: the 2023 edition, a "
        "running edition and an open call) and demo accounts for local use. Safe to run again."
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
        # The emails are sent when the transaction commits, so inside the in-memory mailer.
        with (
            emails_kept_in_memory() as emails,
            translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE),
            transaction.atomic(),
        ):
            load(loader)
        self.report(loader, emails.count)

    def report(self, loader: Loader, emails: int) -> None:
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        for name, counts in loader.tally.items():
            parts = [
                f"{n} {what}"
                for what in ("created", "changed", "deleted", "unchanged")
                if (n := counts[what])
            ]
            self.stdout.write(f"  {name}: " + ", ".join(parts))
        if emails:
            self.stdout.write(
                f"  emails: {emails} sent by the services while loading, kept in memory (not "
                "printed); the back office's Notifications list them"
            )
        self.stdout.write("")
        self.stdout.write("Demo accounts (local use only):")
        for email, password in loader.passwords:
            if password:
                self.stdout.write(f"  {email}  password: {password}")
            else:
                self.stdout.write(
                    f"  {email}  (password unchanged; --reset-passwords sets a new one)"
                )
        if loader.contacts:
            self.stdout.write(
                f"  ({len(loader.contacts)} members of the other demo organisations have no "
                "password: they only receive emails)"
            )
        self.stdout.write(
            self.style.WARNING(
                "WARNING: these demo accounts and passwords are for local use only. Never load "
                "demo data on a server other people can reach."
            )
        )
