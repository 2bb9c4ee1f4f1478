from tests.portal.conftest import (  # noqa: F401 (fixtures)
    _private_media,
    initiative,
    member,
    organisation,
    report,
    secretary,
)
