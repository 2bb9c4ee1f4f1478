"""Keeping the emails of a demo load off the terminal.

Building the demo through the real services records a notification for every step (an
application received, a decision, a workplan approved...), and sends each one after commit. In
the quick start the tasks run in-process and the mailer is the console: dozens of emails would
scroll past the passwords the command prints. While the loader runs, the default mailer is
Django's in-memory one instead (the one tests use): the messages are built and handed to it as
any other, the notification rows record them as sent, with their subjects, and nothing leaves
the process. The back office's outbox (Notifications) lists them afterwards. The line Celery
logs for each task run in-process ("Task ... succeeded") is held back for the same reason;
warnings and errors still show.

Emails sent by a separate Celery worker (a broker is configured) use the worker's own mail
settings; the demo's addresses are all at example.org, which receives no mail.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator

from django.core import mail
from django.test.utils import override_settings

IN_MEMORY = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
# Celery's logger of each task's outcome (one INFO line per email in the quick start).
TASK_LOG = logging.getLogger("celery.app.trace")


class Kept:
    """How many emails the loader kept in memory."""

    def __init__(self) -> None:
        self.count = 0


@contextlib.contextmanager
def emails_kept_in_memory() -> Iterator[Kept]:
    """Send the emails of the ``with`` block to the in-memory mailer; count them."""
    kept = Kept()
    before = len(getattr(mail, "outbox", []))
    # override_settings, not an assignment: it is undone on the way out, error or not, and
    # tells the code that caches settings (``setting_changed``).
    level = TASK_LOG.level
    TASK_LOG.setLevel(max(logging.WARNING, TASK_LOG.getEffectiveLevel()))
    with override_settings(MAILERS=IN_MEMORY):
        try:
            yield kept
        finally:
            kept.count = len(getattr(mail, "outbox", [])) - before
            TASK_LOG.setLevel(level)
