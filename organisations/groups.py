"""The two staff groups of the back office, Secretariat and Reviewer, and their permissions.

The Secretariat may do everything on the domain apps' models (but not manage superusers); a
Reviewer sees the applications assigned to them and writes reviews. Permissions are computed
from the models present, so a new model is covered on the next migrate.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions

SECRETARIAT = "Secretariat"
REVIEWER = "Reviewer"

DOMAIN_APPS = ("programme", "organisations", "grants", "reports")
ACTIONS = ("add", "change", "delete", "view")

# (app label, codename) pairs beyond "everything in the domain apps but the user model".
SECRETARIAT_EXTRA = [
    ("organisations", "view_user"),
    ("organisations", "change_user"),
    ("auth", "view_group"),
]
REVIEWER_PERMISSIONS = [
    ("grants", "view_application"),
    ("grants", "view_reviewassignment"),
    ("grants", "add_review"),
    ("grants", "change_review"),
    ("grants", "view_review"),
    ("grants", "add_reviewscore"),
    ("grants", "change_reviewscore"),
    ("grants", "view_reviewscore"),
]


def ensure_permissions(apps):
    """Create the default permissions of the apps involved, as post_migrate would."""
    for label in ("auth", *DOMAIN_APPS):
        app_config = apps.get_app_config(label)
        # The historical app configs have no models module, which create_permissions takes
        # as "nothing to do"; the real registry (when called from a test) already has one.
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        try:
            create_permissions(app_config, verbosity=0, apps=apps)
        finally:
            app_config.models_module = models_module


def permissions(apps, pairs):
    Permission = apps.get_model("auth", "Permission")
    found = []
    for app_label, codename in pairs:
        found.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return found


def sync_staff_groups(apps=global_apps, **_kwargs) -> None:
    """Create or refresh the Secretariat and Reviewer groups with their permissions.

    Runs in the migration that introduced the groups and again after every migrate
    (post_migrate), so models added later get their permissions too. Idempotent.
    """
    ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")

    domain = []
    for label in DOMAIN_APPS:
        for model in apps.get_app_config(label).get_models():
            if (label, model._meta.model_name) == ("organisations", "user"):
                continue
            domain += [(label, f"{action}_{model._meta.model_name}") for action in ACTIONS]

    secretariat, _ = Group.objects.get_or_create(name=SECRETARIAT)
    secretariat.permissions.set(permissions(apps, domain + SECRETARIAT_EXTRA))

    reviewer, _ = Group.objects.get_or_create(name=REVIEWER)
    reviewer.permissions.set(permissions(apps, REVIEWER_PERMISSIONS))
