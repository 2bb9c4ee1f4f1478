"""Secretariat-written content of programmes and editions, translated with modeltranslation
(read with the original-language fallback of ``core.translation``)."""

from core.translation import register_translated

from .models import (
    AgreementTemplate,
    Edition,
    EditionFunder,
    EligibilityQuestion,
    Programme,
    ReviewCriterion,
    Theme,
)

register_translated(Programme, ("name", "short_description", "description", "sender_name"))
register_translated(Edition, ("title", "introduction", "eligibility_rules", "application_guidance"))
register_translated(EditionFunder, ("acknowledgement",))
register_translated(Theme, ("name",))
register_translated(ReviewCriterion, ("name", "description"))
register_translated(EligibilityQuestion, ("text", "failure_reason"))
register_translated(AgreementTemplate, ("title", "preamble", "clauses"))
