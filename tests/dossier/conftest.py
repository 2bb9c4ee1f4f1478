import pytest

from tests.notifications.conftest import (  # noqa: F401 (fixtures)
    celery_broker,
    smtp_sink,
    start_worker,
)


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Uploads of each test go to a folder of their own, thrown away."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
