"""What the other apps tell the notifications app when they load (their ``AppConfig.ready``):
the kinds of notification they send, and the daily jobs they want started.

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


KINDS: dict[str, NotificationKind] = {}
JOBS: dict[str, ScheduledTask] = {}


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
