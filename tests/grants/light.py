"""Builders for the light-track tests (small grants): an open light edition, the one-page form's
data, and applications taken through the services (never by writing a status)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from grants.models import LightApplication, LightDeclineReason, PaymentFileLayout
from grants.services.light import light_apply, light_confirm
from tests.grants.factories import open_edition

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99"
    b"=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)


def light_edition(**overrides):
    """A published light-track edition whose call is open, grants up to USD 500."""
    values = {
        "track": "light",
        "grant_minimum": None,
        "grant_maximum": Decimal("500"),
        "slug": "gda-2026",
    }
    values.update(overrides)
    return open_edition(**values)


def form_data(n: int = 0, **overrides) -> dict:
    data = {
        "group_name": f"Group {n}",
        "country": ["BR", "PT", "KE", "UA", "MX", "ID"][n % 6],
        "city": f"City {n}",
        "planned_action": "A street event with music and information on harm reduction.",
        "action_date": datetime.date.today() + datetime.timedelta(days=20),
        "expected_participants": 40,
        "amount": Decimal("450"),
        "account_holder": f"Group {n} association",
        "bank_name": "Banco Popular",
        "account_number": f"PT50000201231234567890{n:03d}",
        "swift_bic": "BPOPPTPL",
    }
    data.update(overrides)
    return data


def received(edition, n: int = 0, *, email: str = "", language: str = "pt", **data):
    """An application through the one-page form, its address confirmed."""
    application = light_apply(
        edition=edition,
        email=email or f"group{n}@example.org",
        language=language,
        data=form_data(n, **data),
    )
    return light_confirm(application=application)


def many_received(edition, count: int, start: int = 0) -> list[int]:
    return [received(edition, n).pk for n in range(start, start + count)]


def layout(file_format: str = "csv") -> PaymentFileLayout:
    return PaymentFileLayout.objects.create(
        name=f"Bank {file_format}",
        file_format=file_format,
        columns="reference,account_holder,account_number,swift_bic,amount,currency",
        is_default=True,
    )


def reason() -> LightDeclineReason:
    return LightDeclineReason.objects.create(
        text_en="The action is outside the day of action.",
        text_pt="A ação está fora do dia de ação.",
        text_fr="L’action est en dehors de la journée d’action.",
    )


def refresh(pk: int) -> LightApplication:
    return LightApplication.objects.get(pk=pk)
