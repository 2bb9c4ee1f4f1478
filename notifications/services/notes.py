"""Staff notes: the secretariat's internal thread on an application, an initiative or a report
(``StaffNote``), and the emails to the people a note names.

A note names people in two ways, both kept to the secretariat (a reviewer or a grantee never
receives a note by email): the form's "notify" list, and ``@`` mentions in the text, each
matched against the secretariat's email addresses, whole (``@ana@example.org``) or the part
before the ``@`` (``@ana``), case-insensitively. A mention that matches nobody, or several
people, is left as text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from core.staff import SECRETARIAT, is_secretariat

from ..models import StaffNote
from ..registry import NotificationKind
from .sending import notify

STAFF_NOTE_MENTION = NotificationKind(
    "staff_note_mention",
    _("Staff note naming you (secretariat)"),
    ("author", "subject", "excerpt"),
)

MENTION = re.compile(r"(?<![\w.])@([\w.+-]+(?:@[\w-]+(?:\.[\w-]+)+)?)")
EXCERPT_LENGTH = 300


class StaffNoteError(DomainError):
    """A note cannot be written as asked."""


def secretariat_people():
    """Who a note may name: the active members of the secretariat (the group, and superusers)."""
    return (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .filter(Q(groups__name=SECRETARIAT) | Q(is_superuser=True))
        .distinct()
        .order_by("full_name", "email")
    )


def mentioned_in(text: str) -> list:
    """The secretariat's members ``text`` names with ``@`` (see the module); each once."""
    tokens = {token.lower().rstrip(".") for token in MENTION.findall(text)}
    if not tokens:
        return []
    people = list(secretariat_people())
    found = []
    for token in sorted(tokens):
        if "@" in token:
            matches = [person for person in people if person.email.lower() == token]
        else:
            matches = [person for person in people if person.email.lower().split("@")[0] == token]
        if len(matches) == 1 and matches[0] not in found:
            found.append(matches[0])
    return found


def _admin_path(subject) -> str:
    meta = subject._meta
    try:
        return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[subject.pk])
    except NoReverseMatch:
        return ""


def staff_note_add(
    *,
    subject,
    author,
    text: str,
    notify_people: Iterable = (),
    is_for_reviewers: bool = False,
) -> StaffNote:
    """Add a note by ``author`` (a member of the secretariat) to ``subject``'s thread and email
    each person named (the ``notify_people`` and the ``@`` mentions, the secretariat only,
    never the author), once per note, after commit."""
    if not is_secretariat(author):
        raise StaffNoteError(gettext("Only the secretariat writes staff notes."))
    text = (text or "").strip()
    if not text:
        raise StaffNoteError(gettext("Write the note before adding it."))
    notify_people = list(notify_people)
    allowed = {person.pk for person in secretariat_people()}
    named = [person for person in notify_people if person.pk in allowed]
    if len(named) != len(notify_people):
        raise StaffNoteError(gettext("Notes can only be sent to members of the secretariat."))
    for person in mentioned_in(text):
        if person not in named:
            named.append(person)
    named = [person for person in named if person.pk != author.pk]
    with transaction.atomic():
        note = StaffNote.objects.create(
            content_type=ContentType.objects.get_for_model(subject),
            object_id=subject.pk,
            author=author,
            text=text,
            is_for_reviewers=is_for_reviewers,
        )
        note.mentioned.set(named)
        excerpt = text if len(text) <= EXCERPT_LENGTH else text[:EXCERPT_LENGTH].rstrip() + "…"
        for person in named:
            # The link to the back office in the reader's language, like the email.
            with translation.override(person.language or settings.LANGUAGE_CODE):
                path = _admin_path(subject)
            notify(
                kind=STAFF_NOTE_MENTION,
                key=f"staff_note:{note.pk}",
                context={
                    "author": author.full_name or author.email,
                    "subject": str(subject),
                    "excerpt": excerpt,
                },
                path=f"{path}#staff-notes" if path else "",
                recipient=person,
            )
    return note
