"""Housekeeping only: public content changed, so cached public pages are stale.

The public site knows which rows its pages show; the domain apps know nothing of its cache.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

from grants.models import Initiative, LineOfAction, PublicLineOfAction
from organisations.models import Organisation, OrganisationRelation
from programme.models import (
    Edition,
    EditionFunder,
    EligibilityQuestion,
    Funder,
    Programme,
    ReviewCriterion,
    Theme,
)
from reports.models import PublicResult

from .cache import invalidate_public_pages


def invalidate_on_change(*models, m2m=()) -> None:
    """Connect the page-cache invalidation to saves and deletes of ``models``."""
    for model in models:
        uid = f"public-cache-{model._meta.label_lower}"
        post_save.connect(invalidate_public_pages, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(invalidate_public_pages, sender=model, dispatch_uid=f"{uid}-delete")
    for through in m2m:
        m2m_changed.connect(
            invalidate_public_pages,
            sender=through,
            dispatch_uid=f"public-cache-{through._meta.label_lower}",
        )


def connect() -> None:
    invalidate_on_change(
        Programme,
        Edition,
        EditionFunder,
        # The call pages show the edition's criteria and eligibility questions.
        ReviewCriterion,
        EligibilityQuestion,
        Funder,
        Theme,
        Organisation,
        OrganisationRelation,
        Initiative,
        LineOfAction,
        PublicLineOfAction,
        PublicResult,
        m2m=[Edition.themes.through, Initiative.themes.through],
    )
