"""Housekeeping: thumbnails of a new cover photo are made in the background."""

from django.db import transaction
from django.db.models.signals import post_save


def queue_thumbnails(sender, instance, **kwargs) -> None:
    if instance.cover_photo:
        from .tasks import make_cover_thumbnails

        transaction.on_commit(lambda: make_cover_thumbnails.delay(instance.pk))


def connect() -> None:
    from .models import Initiative

    post_save.connect(queue_thumbnails, sender=Initiative, dispatch_uid="cover-thumbnails")
