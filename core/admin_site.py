"""The back office's admin site: Django's, with the list of apps and models that every page
shows in its side bar made cheaply (issue 14).

Django builds that list for each request from scratch: for each of some sixty registered
models, two URLs reversed, the plural name translated, then everything sorted by those lazy
names; a tenth of a short back-office page's time. The names and URLs depend only on the
language, the script prefix and the URL configuration, so they are worked out once per
combination; what depends on the person (which models they may see, add or change) is still
asked of each model's admin at every request, as Django does.

``core.admin_apps.BackOfficeAdminConfig`` replaces ``django.contrib.admin`` in
``INSTALLED_APPS``, so that ``admin.site`` is a ``BackOfficeSite``.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib import admin
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.text import capfirst
from django.utils.translation import get_language


class BackOfficeSite(admin.AdminSite):
    """``_build_app_dict`` as Django's, with the names and URLs kept per language."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._names_and_urls: dict[tuple, dict] = {}

    def register(self, *args, **kwargs):
        self._names_and_urls = {}
        return super().register(*args, **kwargs)

    def unregister(self, *args, **kwargs):
        self._names_and_urls = {}
        return super().unregister(*args, **kwargs)

    def _reverse(self, name: str, **kwargs) -> str | None:
        try:
            return reverse(name, kwargs=kwargs or None, current_app=self.name)
        except NoReverseMatch:
            return None

    def names_and_urls(self) -> dict:
        """Each registered model's plural name and list and add URLs, each app's name and URL,
        in the current language (as Django's ``_build_app_dict`` finds them)."""
        key = (get_language(), get_script_prefix(), get_urlconf())
        found = self._names_and_urls.get(key)
        if found is None:
            models, app_labels = {}, set()
            for model in self._registry:
                prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
                app_labels.add(model._meta.app_label)
                models[model] = {
                    "name": str(capfirst(model._meta.verbose_name_plural)),
                    "admin_url": self._reverse(f"{prefix}_changelist"),
                    "add_url": self._reverse(f"{prefix}_add"),
                }
            found = {
                "models": models,
                "apps": {
                    label: {
                        "name": str(apps.get_app_config(label).verbose_name),
                        "app_url": reverse(
                            "admin:app_list", kwargs={"app_label": label}, current_app=self.name
                        ),
                    }
                    for label in app_labels
                },
            }
            self._names_and_urls[key] = found
        return found

    def _build_app_dict(self, request, label=None):
        known = self.names_and_urls()
        app_dict = {}
        for model, model_admin in self._registry.items():
            app_label = model._meta.app_label
            if label and app_label != label:
                continue
            has_module_perms = model_admin.has_module_permission(request)
            if not has_module_perms:
                continue
            perms = model_admin.get_model_perms(request)
            if True not in perms.values():
                continue
            names = known["models"][model]
            model_dict = {
                "model": model,
                "name": names["name"],
                "object_name": model._meta.object_name,
                "perms": perms,
                "admin_url": None,
                "add_url": None,
            }
            if perms.get("change") or perms.get("view"):
                model_dict["view_only"] = not perms.get("change")
                model_dict["admin_url"] = names["admin_url"]
            if perms.get("add"):
                model_dict["add_url"] = names["add_url"]
            if app_label in app_dict:
                app_dict[app_label]["models"].append(model_dict)
            else:
                app_dict[app_label] = {
                    **known["apps"][app_label],
                    "app_label": app_label,
                    "has_module_perms": has_module_perms,
                    "models": [model_dict],
                }
        return app_dict
