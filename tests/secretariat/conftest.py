# The portal's world (an organisation, its member, an initiative with an approved workplan, a
# secretary): the secretariat's screens work on the same rows.
from tests.portal.conftest import (  # noqa: F401 (fixtures)
    _private_media,
    initiative,
    member,
    member_client,
    organisation,
    report,
    secretary,
)
