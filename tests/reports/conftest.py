from tests.portal.conftest import (  # noqa: F401 (fixtures)
    _private_media,
    initiative,
    media_root,
    member,
    member_client,
    organisation,
    report,
    secretary,
)
