"""The access matrix's world and case types (see tests/portal/test_access_matrix.py).

Two organisations, A and B, each with an administrator, a member, an initiative with an
approved workplan, a saved report with a photo, and an open invitation; a secretary and a
reviewer. Everything is reached through the services.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from grants.models import Initiative
from organisations.models import Invitation, Membership, Organisation, User
from organisations.services import invitation_create
from reports.models import Attachment, Report
from reports.services import attachment_add

from .factories import (
    approved_initiative,
    first_report,
    make_member,
    make_organisation,
    make_reviewer,
    make_secretary,
    saved_report,
)


@dataclass
class AccessCase:
    """``user`` (default: A's administrator) asks for ``name`` with ``kwargs`` naming B's
    object: every method in ``methods`` must answer ``status`` (404) and, for POST, change
    nothing in the database.

    ``allowed`` = (user, kwargs) is the control: someone entitled to the object asking the same
    URL with GET must not get a 404, which proves the 404 comes from the scoping and not from a
    broken address. ``query`` is appended to the address; ``data`` is the POST body."""

    name: str
    kwargs: dict
    user: User | None = None
    methods: tuple[str, ...] = ("GET", "POST")
    data: dict = field(default_factory=dict)
    query: str = ""
    status: int = 404
    allowed: tuple[User | None, dict | Callable[[], dict]] | None = None


@dataclass
class ListCase:
    """``user`` (default: A's administrator) opens the list ``name``: none of the texts in
    ``hidden`` (B's rows) may appear, and every text in ``shown`` (A's) must."""

    name: str
    kwargs: dict = field(default_factory=dict)
    user: User | None = None
    hidden: tuple[str, ...] = ()
    shown: tuple[str, ...] = ()
    query: str = ""


@dataclass
class Exempt:
    """A pattern with an argument that names no organisation's object (a public page by slug,
    a signed link whose possession is the permission). ``reason`` says why; it is required."""

    name: str
    reason: str


@dataclass
class Side:
    organisation: Organisation
    admin: User
    member: User
    membership: Membership  # the member's (not the administrator's)
    initiative: Initiative
    report: Report
    attachment: Attachment
    invitation: Invitation


@dataclass
class World:
    a: Side
    b: Side
    secretary: User
    reviewer: User
    # Extra objects providers make for themselves, by name.
    extra: dict = field(default_factory=dict)


def png_upload(name: str = "photo.png", colour: str = "green") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def build_side(letter: str, secretary: User) -> Side:
    organisation = make_organisation(
        name=f"Organisation {letter.upper()}", slug=f"organisation-{letter}"
    )
    admin = make_member(
        organisation, email=f"admin-{letter}@example.org", full_name=f"Admin {letter.upper()}"
    )
    member = make_member(
        organisation,
        role=Membership.Role.MEMBER,
        email=f"member-{letter}@example.org",
        full_name=f"Member {letter.upper()}",
    )
    initiative = approved_initiative(
        organisation, admin, secretary, title_en=f"Initiative of {letter.upper()}"
    )
    report = saved_report(
        first_report(initiative), admin, challenges=f"Challenges of {letter.upper()}"
    )
    # A second save, so that two versions can be compared.
    report = saved_report(report, admin, challenges=f"Challenges of {letter.upper()}, again")
    attachment = attachment_add(
        report=report,
        actor=admin,
        upload=png_upload(f"photo-{letter}.png"),
        caption=f"Photo of {letter.upper()}",
    )
    invitation = invitation_create(
        organisation=organisation,
        email=f"invited-{letter}@example.org",
        invited_by=admin,
    )
    return Side(
        organisation=organisation,
        admin=admin,
        member=member,
        membership=Membership.objects.get(user=member, organisation=organisation),
        initiative=initiative,
        report=report,
        attachment=attachment,
        invitation=invitation,
    )


def build_world() -> World:
    secretary = make_secretary()
    return World(
        a=build_side("a", secretary),
        b=build_side("b", secretary),
        secretary=secretary,
        reviewer=make_reviewer(),
    )


CaseProvider = Callable[[World], list[AccessCase | ListCase | Exempt]]
