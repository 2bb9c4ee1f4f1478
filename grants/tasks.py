"""Background work of the grants app."""

from celery import shared_task

from core.images import make_thumbnails


@shared_task(acks_late=True, ignore_result=True)
def make_cover_thumbnails(initiative_id: int) -> None:
    """Make the responsive thumbnails of an initiative's cover photo. Safe to run twice:
    existing thumbnails are found by name and kept."""
    from .models import Initiative

    initiative = Initiative.objects.filter(pk=initiative_id).only("cover_photo").first()
    if initiative and initiative.cover_photo:
        make_thumbnails(initiative.cover_photo.name)


@shared_task(acks_late=True, ignore_result=True)
def send_light_report_reminders() -> int:
    """Remind small grantees of their one-page report (each reminder once, see the service)."""
    from .services.light import light_send_report_reminders

    return light_send_report_reminders()
