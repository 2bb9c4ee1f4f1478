"""What every template may show: the site's own name (``SITE_NAME``), in the page's language
where the catalogues translate it."""

from django.conf import settings
from django.utils.translation import gettext


def site(request) -> dict:
    return {"site_name": gettext(settings.SITE_NAME)}
