"""What the other apps tell the notifications app when they load (their ``AppConfig.ready``):
the kinds of notification they send, the daily jobs they want started, and who else than the
site an email may come from (a programme, with its name, sender name and reply address).

The notifications app knows no domain: a kind says which context keys its flows pass, which of
them are dates or amounts (shown in the reader's format), what else its templates need in the
reader's language, and where its templates are; a job names the Celery task beat starts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext


@dataclass(frozen=True)
class NotificationKind:
    key: str
    label: str  # translated: how the outbox and the person's list name it
    context: tuple[str, ...]  # the keys every flow of this kind passes, exactly
    dates: tuple[str, ...] = ()  # keys holding "YYYY-MM-DD": shown as dates
    amounts: tuple[str, ...] = ()  # keys holding "4500.00": shown in the reader's format
    # Adds what the templates need that depends on the reader's language (run while the
    # reader's language is active), from the stored context.
    more_context: Callable[[Mapping], Mapping] | None = None
    # The link carries a secret (a one-time token): the outbox does not show it.
    sensitive: bool = False
    templates: str = ""  # folder of subject.txt, body.txt, body.html; "emails/<key>" by default

    @property
    def template_dir(self) -> str:
        return self.templates or f"emails/{self.key}"


@dataclass(frozen=True)
class ScheduledTask:
    key: str  # stored in ScheduledJob.job
    label: str  # translated
    task: Callable = field(compare=False)  # a Celery task taking no argument


@dataclass(frozen=True)
class Sender:
    """Who an email speaks for, read in the reader's language: ``name`` heads and signs it,
    ``display_name`` is its From name, replies go to ``reply_to`` (if any)."""

    name: str
    display_name: str
    reply_to: str = ""


KINDS: dict[str, NotificationKind] = {}
JOBS: dict[str, ScheduledTask] = {}
# "programme" → a function from the rest of a notification's ``sender`` ("programme:3") to the
# Sender, or None when it is gone (the site then signs the email).
SENDERS: dict[str, Callable[[str], Sender | None]] = {}


def register_kinds(*kinds: NotificationKind) -> None:
    for kind in kinds:
        known = KINDS.get(kind.key)
        if known is not None and known != kind:
            raise ValueError(f"Notification kind {kind.key!r} is registered twice, differently.")
        KINDS[kind.key] = kind


def get_kind(key: str) -> NotificationKind:
    try:
        return KINDS[key]
    except KeyError:
        raise LookupError(f"Unknown notification kind {key!r}") from None


def kind_label(key: str) -> str:
    kind = KINDS.get(key)
    return str(kind.label) if kind else key


def register_jobs(*jobs: ScheduledTask) -> None:
    for job in jobs:
        known = JOBS.get(job.key)
        if known is not None and known.task is not job.task:
            raise ValueError(f"Scheduled job {job.key!r} is registered twice, differently.")
        JOBS[job.key] = job


def job_label(key: str) -> str:
    job = JOBS.get(key)
    return str(job.label) if job else gettext("Unknown job “%(key)s”") % {"key": key}


def job_choices() -> list[tuple[str, str]]:
    return [(key, str(job.label)) for key, job in sorted(JOBS.items())]


def register_sender(prefix: str, resolve: Callable[[str], Sender | None]) -> None:
    known = SENDERS.get(prefix)
    if known is not None and known is not resolve:
        raise ValueError(f"Sender {prefix!r} is registered twice, differently.")
    SENDERS[prefix] = resolve


def resolve_sender(key: str) -> Sender | None:
    """The Sender a notification's ``sender`` names, in the active language; None for the
    site itself (an empty key, an unknown prefix or a sender that is gone)."""
    prefix, _colon, value = key.partition(":")
    resolve = SENDERS.get(prefix)
    return resolve(value) if resolve is not None and value else None
