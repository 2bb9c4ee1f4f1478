from tests.notifications.conftest import (  # noqa: F401 (fixtures)
    celery_broker,
    smtp_sink,
    start_worker,
)
