from tests.portal.conftest import (  # noqa: F401 (fixtures)
    _private_media,
    member,
    member_client,
    organisation,
    secretary,
)
