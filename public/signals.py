"""Housekeeping only: public content changed, so cached public pages are stale and the
open-data files are rebuilt (a little later, once for many changes: ``opendata.schedule``).

The public site knows which rows its pages and files show; the domain apps know nothing of its
cache.
"""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from grants.models import (
    Disbursement,
    Indicator,
    Initiative,
    LightApplication,
    LightPhoto,
    LineOfAction,
    PublicLineOfAction,
)
from organisations.models import Organisation, OrganisationRelation
from programme.models import (
    Edition,
    EditionFunder,
    EligibilityQuestion,
    Funder,
    Programme,
    ReviewCriterion,
    Theme,
    ThemeSector,
)
from reports.models import IndicatorValue, PublicResult, Report

from . import protection
from .cache import invalidate_public_pages
from .opendata.schedule import request_rebuild


def invalidate_on_change(*models, m2m=(), receiver=invalidate_public_pages, name="cache") -> None:
    """Connect ``receiver`` (by default the page-cache invalidation) to saves and deletes of
    ``models`` and to changes of the many-to-many ``m2m``."""
    for model in models:
        uid = f"public-{name}-{model._meta.label_lower}"
        post_save.connect(receiver, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"{uid}-delete")
    for through in m2m:
        m2m_changed.connect(
            receiver,
            sender=through,
            dispatch_uid=f"public-{name}-{through._meta.label_lower}",
        )


def note_risk_flag(sender, instance, raw=False, **kwargs) -> None:
    """Before a save: whether the row was at risk already (read from the database)."""
    if raw or instance.pk is None or not instance.is_at_risk:
        # Nothing to read: a new row has no old addresses, an unmarked one conceals nothing.
        instance._was_at_risk = False
        return
    instance._was_at_risk = bool(
        sender.objects.filter(pk=instance.pk).values_list("is_at_risk", flat=True).first()
    )


def conceal_when_marked(sender, instance, raw=False, **kwargs) -> None:
    """After a save that marked the row at risk: its public photos move to new random names
    once the transaction commits (``public.protection``)."""
    if raw or not instance.is_at_risk or getattr(instance, "_was_at_risk", True):
        return
    instance._was_at_risk = True
    conceal = protection.CONCEAL[sender]
    transaction.on_commit(lambda: conceal(instance))


def connect() -> None:
    for model in protection.CONCEAL:
        uid = f"public-at-risk-{model._meta.label_lower}"
        pre_save.connect(note_risk_flag, sender=model, dispatch_uid=f"{uid}-before")
        post_save.connect(conceal_when_marked, sender=model, dispatch_uid=f"{uid}-after")
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
        # The map of a light-track edition's day of action.
        LightApplication,
        LightPhoto,
        m2m=[Edition.themes.through, Initiative.themes.through],
    )
    # The open-data files show these, and the paid tranches and reported results as well.
    invalidate_on_change(
        Programme,
        Edition,
        EditionFunder,
        Funder,
        Theme,
        ThemeSector,
        Organisation,
        Initiative,
        Disbursement,
        Indicator,
        Report,
        IndicatorValue,
        m2m=[Initiative.themes.through],
        receiver=request_rebuild,
        name="opendata",
    )
