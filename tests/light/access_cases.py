"""Access-matrix cases of the light track's pages (small grants). The applicant has no account:
each page of their application is reached by the signed token of the link emailed to them, which
names one application and cannot be made for another (a token altered by one character is a
404: tests/portal/test_light_pages.py); the map and the form are public, by the edition's slug."""

from tests.portal.access import Exempt

SIGNED = (
    "a small-grant applicant's page, reached by the signed token emailed to them (no account); "
    "an altered token is a 404"
)


def access_cases(world):
    return [
        Exempt("calls:light_apply", "the one-page form of a public light-track call, by slug"),
        Exempt("calls:light_application", SIGNED),
        Exempt("calls:light_confirm", SIGNED),
        Exempt("calls:light_agreement", SIGNED),
        Exempt("calls:light_payee", SIGNED),
        Exempt("calls:light_report", SIGNED),
        Exempt("public:actions_map", "the public map of a published edition, by slug"),
    ]
