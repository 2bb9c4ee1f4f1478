# The portal's world (an organisation, its member, an initiative with an approved workplan, a
# secretary): the secretariat's screens work on the same rows.
# A real Celery worker on Redis, for the retention job (test_retention_worker.py).
from tests.notifications.conftest import (  # noqa: F401,E402 (fixtures)
    celery_broker,
    smtp_sink,
    start_worker,
)
from tests.portal.conftest import (  # noqa: F401 (fixtures)
    _private_media,
    initiative,
    member,
    member_client,
    organisation,
    report,
    secretary,
)
