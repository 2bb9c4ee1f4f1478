from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The read-only JSON API (``/api/v1/``, django-ninja): published editions, initiatives,
    organisations, countries and themes, for machines; its OpenAPI document and documentation
    page. It reads across the domain apps through their selectors, like the public site."""

    name = "api"
    verbose_name = _("API")
