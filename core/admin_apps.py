"""``django.contrib.admin`` with the back office's site (``core.admin_site.BackOfficeSite``)
as ``admin.site``; in its own module, which imports no model (it is read while the apps load)."""

from django.contrib.admin.apps import AdminConfig


class BackOfficeAdminConfig(AdminConfig):
    default_site = "core.admin_site.BackOfficeSite"
