"""Money: a ``Decimal`` next to an ISO 4217 currency code, formatted one way for people, and one
check of an amount against a range (an edition's smallest and largest grant)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

CENT = Decimal("0.01")


def currency_field(**kwargs) -> models.CharField:
    """An ISO 4217 currency code; money is always a Decimal next to one of these."""
    kwargs.setdefault("default", "USD")
    return models.CharField(
        gettext_lazy("currency"),
        max_length=3,
        help_text=gettext_lazy("ISO 4217 code, for example USD or EUR."),
        **kwargs,
    )


def money_field(verbose_name, **kwargs) -> models.DecimalField:
    return models.DecimalField(verbose_name, max_digits=12, decimal_places=2, **kwargs)


def to_cents(amount: Decimal) -> Decimal:
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def format_amount(amount, decimals: int | None = None) -> str:
    """An amount in the active language's number format, with grouping: no decimals for a
    whole amount, two otherwise (unless ``decimals`` says)."""
    if amount is None or amount == "":
        return ""
    amount = Decimal(amount)
    if decimals is None:
        decimals = 0 if amount == amount.to_integral_value() else 2
    return number_format(amount, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def format_money(amount, currency: str = "") -> str:
    """An amount in the active language's format followed by its currency code: "4 500 USD"."""
    formatted = format_amount(amount)
    if not formatted:
        return ""
    return f"{formatted}\u00a0{currency}".strip()


def amount_text(amount) -> str:
    """The amount as plain text with two decimals ("4500.00"), for JSON and notifications; a
    person reads it through ``format_money``."""
    return "" if amount is None else f"{to_cents(amount):.2f}"


def range_text(low, high, currency: str) -> str:
    """ "Between 4,000 and 5,000 USD.", "At least…", "At most…", or "" with no bound."""
    if low is not None and high is not None:
        return _("Between %(low)s and %(high)s.") % {
            "low": format_money(low, currency),
            "high": format_money(high, currency),
        }
    if low is not None:
        return _("At least %(low)s.") % {"low": format_money(low, currency)}
    if high is not None:
        return _("At most %(high)s.") % {"high": format_money(high, currency)}
    return ""


def range_problem(amount, *, low, high, currency: str) -> str | None:
    """Why ``amount`` is outside [low, high] (either bound may be None), or None when it fits.
    An amount must also be more than zero."""
    if amount is None:
        return _("Give the amount.")
    if amount <= 0:
        return _("The amount must be more than zero.")
    if (low is None or amount >= low) and (high is None or amount <= high):
        return None
    bounds = {"low": format_money(low, currency), "high": format_money(high, currency)}
    if low is not None and high is not None:
        return _("The amount must be between %(low)s and %(high)s.") % bounds
    if low is not None:
        return _("The amount must be at least %(low)s.") % bounds
    return _("The amount must be at most %(high)s.") % bounds
