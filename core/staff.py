"""The two staff groups of the back office, Secretariat and Reviewer, and their permissions.

Each app says, when it loads (its ``AppConfig.ready``), what the groups may do with its models:
by default the Secretariat may do everything with them; an app can leave some models out, add
single permissions, and give the Reviewer group a few. The groups are made (or refreshed) from
what the apps said after every migrate, so a new model is covered on the next migrate.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions

SECRETARIAT = "Secretariat"
REVIEWER = "Reviewer"
ACTIONS = ("add", "change", "delete", "view")


@dataclass(frozen=True)
class StaffAccess:
    exclude_models: tuple[str, ...] = ()  # model names the Secretariat does not manage in full
    secretariat: tuple[str, ...] = ()  # single permissions (codenames) the Secretariat gets too
    reviewer: tuple[str, ...] = ()  # the Reviewer group's permissions (codenames)


ACCESS: dict[str, StaffAccess] = {}
# The groups' names are shown to the Secretariat, who assigns people to them.
BASE_SECRETARIAT = [("auth", "view_group")]


def register_staff_access(
    app_label: str, *, exclude_models=(), secretariat=(), reviewer=()
) -> None:
    """What the staff groups may do with the models of ``app_label`` (see the module)."""
    ACCESS[app_label] = StaffAccess(tuple(exclude_models), tuple(secretariat), tuple(reviewer))


def ensure_permissions(apps, labels):
    """Create the default permissions of the apps involved, as post_migrate would."""
    for label in ("auth", *labels):
        app_config = apps.get_app_config(label)
        # The historical app configs have no models module, which create_permissions takes
        # as "nothing to do"; the real registry (when called from a test) already has one.
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        try:
            create_permissions(app_config, verbosity=0, apps=apps)
        finally:
            app_config.models_module = models_module


def _present(apps, label: str) -> bool:
    try:
        apps.get_app_config(label)
    except LookupError:  # an app that did not exist yet at this point of the migrations
        return False
    return True


def permissions(apps, pairs):
    Permission = apps.get_model("auth", "Permission")
    return [
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
        for app_label, codename in pairs
    ]


def sync_staff_groups(apps=global_apps, **_kwargs) -> None:
    """Create or refresh the Secretariat and Reviewer groups with their permissions.

    Runs in the migration that introduced the groups and again after every migrate
    (post_migrate), so models added later get their permissions too. Idempotent.
    """
    labels = [label for label in ACCESS if _present(apps, label)]
    ensure_permissions(apps, labels)
    Group = apps.get_model("auth", "Group")

    secretariat_pairs = list(BASE_SECRETARIAT)
    reviewer_pairs = []
    for label in labels:
        access = ACCESS[label]
        for model in apps.get_app_config(label).get_models():
            if model._meta.model_name in access.exclude_models:
                continue
            secretariat_pairs += [
                (label, f"{action}_{model._meta.model_name}") for action in ACTIONS
            ]
        secretariat_pairs += [(label, codename) for codename in access.secretariat]
        reviewer_pairs += [(label, codename) for codename in access.reviewer]

    secretariat, _ = Group.objects.get_or_create(name=SECRETARIAT)
    secretariat.permissions.set(permissions(apps, secretariat_pairs))

    reviewer, _ = Group.objects.get_or_create(name=REVIEWER)
    reviewer.permissions.set(permissions(apps, reviewer_pairs))


def is_secretariat(user) -> bool:
    """Staff who run the programme (the Secretariat group, or a superuser). Reviewers are staff
    too but are not secretariat. Remembered on the user object for the request."""
    if not (user is not None and user.is_authenticated and user.is_active and user.is_staff):
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_is_secretariat", None)
    if cached is None:
        cached = user.groups.filter(name=SECRETARIAT).exists()
        user._is_secretariat = cached
    return cached
