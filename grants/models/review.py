"""The review panel's work on an application: assignments (with conflicts of interest),
reviews and their scores per criterion."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from programme.models import ReviewCriterion

from .applications import Application


class ReviewAssignment(models.Model):
    class Conflict(models.TextChoices):
        UNDECLARED = "undeclared", _("Not declared yet")
        NONE = "none", _("No conflict of interest")
        CONFLICT = "conflict", _("Conflict of interest")

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        related_name="review_assignments",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("assigned at"), auto_now_add=True)
    conflict = models.CharField(
        _("conflict of interest"),
        max_length=20,
        choices=Conflict.choices,
        default=Conflict.UNDECLARED,
    )
    conflict_note = models.TextField(_("conflict note"), blank=True)
    conflict_declared_at = models.DateTimeField(_("declared at"), null=True, blank=True)
    is_recused = models.BooleanField(_("recused"), default=False)

    class Meta:
        ordering = ["application", "reviewer"]
        verbose_name = _("review assignment")
        verbose_name_plural = _("review assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer"], name="assignment_unique_reviewer"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} – {self.application}"


class Review(models.Model):
    class Recommendation(models.TextChoices):
        YES = "yes", _("Fund")
        MAYBE = "maybe", _("Maybe")
        NO = "no", _("Do not fund")

    assignment = models.OneToOneField(
        ReviewAssignment,
        verbose_name=_("assignment"),
        on_delete=models.PROTECT,
        related_name="review",
    )
    recommendation = models.CharField(
        _("recommendation"), max_length=10, choices=Recommendation.choices, blank=True
    )
    comment = models.TextField(_("comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["assignment"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self) -> str:
        return str(self.assignment)


class ReviewScore(models.Model):
    review = models.ForeignKey(
        Review, verbose_name=_("review"), on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        ReviewCriterion,
        verbose_name=_("criterion"),
        on_delete=models.PROTECT,
        related_name="scores",
    )
    score = models.PositiveSmallIntegerField(_("score"))

    class Meta:
        ordering = ["review", "criterion__order"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="score_unique_criterion"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.score}"
