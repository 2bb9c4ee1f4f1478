"""Access-matrix cases of the public site ("public"): pages of published content, by slug.

None names an organisation's private object: unpublished editions, initiatives and the
organisations with no published initiative are a 404 to everyone (``tests/public``).
"""

from tests.portal.access import Exempt

PUBLISHED_ONLY = "a public page of published content, by slug (unpublished is a 404 to all)"


def access_cases(world):
    return [
        Exempt("public:programme", PUBLISHED_ONLY),
        Exempt("public:edition", PUBLISHED_ONLY),
        Exempt("public:old-edition", "a permanent redirect to a published edition's page"),
        Exempt("public:old-initiative", "a permanent redirect to an initiative's page"),
        Exempt("public:initiative", PUBLISHED_ONLY),
        Exempt("public:country", PUBLISHED_ONLY),
        Exempt("public:theme", PUBLISHED_ONLY),
        Exempt("public:organisation", PUBLISHED_ONLY),
    ]
