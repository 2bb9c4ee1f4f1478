"""``{% twofactor_status user as status %}``: a person's two factors, for their profile and the
page of their recovery codes (``organisations.twofactor.twofactor_status``)."""

from django import template

from organisations.twofactor import TwoFactorStatus
from organisations.twofactor import twofactor_status as status_of

register = template.Library()


@register.simple_tag
def twofactor_status(user) -> TwoFactorStatus:
    return status_of(user)
