"""What a public page may show of a grant's recipient (the at-risk mode of
``grants.selectors.disclosure``), for the templates: ``initiative|recipient`` is the lead
organisation as the public may see it (``PublicRecipient``: for a hidden grant a neutral label,
no page, no city, no website)."""

from django import template

from grants.selectors.disclosure import PublicRecipient, recipient_of

register = template.Library()


@register.filter
def recipient(initiative) -> PublicRecipient:
    return recipient_of(initiative)
