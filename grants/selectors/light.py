"""Reads of the light track: the public map of the day of action, and the applicant's link.

The map shows the actions of the small grants whose report was accepted: city, country, date
and a photo whose people agreed to publication. An action at risk (``is_at_risk``) shows as
“A community organisation in <country>”: no group, city or photo (the rule of
``grants.selectors.disclosure``); it still counts in its country.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from dataclasses import dataclass

from django.core import signing
from django.db.models import Prefetch
from django.utils.translation import gettext

from ..models import LightApplication, LightPhoto
from ..models.light import TOKEN_SALT
from .disclosure import hidden_label


def application_for_token(token: str) -> LightApplication | None:
    """The application a link emailed to the applicant opens, or None for a wrong link."""
    try:
        pk = signing.Signer(salt=TOKEN_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return (
        LightApplication.objects.select_related("edition", "edition__programme", "decline_reason")
        .prefetch_related("photos")
        .filter(pk=pk)
        .first()
    )


@dataclass(frozen=True)
class PublicAction:
    name: str
    city: str
    country: str  # ISO 3166-1 alpha-2
    country_name: str
    date: datetime.date
    participants: int | None
    photo_url: str
    caption: str
    link: str


def public_actions(edition) -> list[PublicAction]:
    """The actions on the edition's map, by date then city (two queries)."""
    rows = (
        LightApplication.objects.on_the_map()
        .filter(edition=edition)
        .only(
            "group_name",
            "city",
            "country",
            "action_date",
            "report_participants",
            "report_link",
            "is_at_risk",
            "edition_id",
        )
        .prefetch_related(
            Prefetch(
                "photos",
                queryset=LightPhoto.objects.filter(has_consent=True).exclude(public_copy=""),
                to_attr="public_photos",
            )
        )
        .order_by("action_date", "city", "pk")
    )
    actions = []
    for row in rows:
        photo = row.public_photos[0] if row.public_photos else None
        hidden = row.is_at_risk
        actions.append(
            PublicAction(
                name=hidden_label([row.country.code]) if hidden else row.group_name,
                city="" if hidden else row.city,
                country=row.country.code,
                country_name=str(row.country.name),
                date=row.action_date,
                participants=row.report_participants,
                photo_url="" if hidden or photo is None else photo.public_copy.url,
                caption="" if hidden or photo is None else photo.caption,
                link="" if hidden else row.report_link,
            )
        )
    return actions


def map_svg(actions: list[PublicAction]) -> str:
    """A world map of the actions per country, as SVG drawn on the server (pygal), with no
    script: the page's list of actions says the same in words."""
    from pygal.style import Style
    from pygal_maps_world.maps import World

    counts = Counter(action.country.lower() for action in actions)
    chart = World(
        js=[],
        disable_xml_declaration=True,
        show_legend=False,
        width=800,
        height=420,
        style=Style(
            background="transparent",
            plot_background="transparent",
            colors=("#b8002e",),
            font_family="system-ui, sans-serif",
        ),
    )
    chart.add(gettext("Actions"), dict(counts))
    svg = chart.render(is_unicode=True)
    # pygal adds an inline configuration script even without scripts to load: drop it.
    return re.sub(r"<script\b.*?</script>", "", svg, flags=re.DOTALL)
