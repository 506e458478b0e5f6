"""Role groups and the Cambridge default reference data, made idempotently.

Called by migration 0002 (with the migration's app registry) and by ``seed_demo`` (with the
live one, so that a test database flushed by a transactional test gets them back). A change to
``accounts.roles`` needs a new migration that calls :func:`sync_roles_and_reference_data` again;
``tests/accounts/test_access.py`` fails until it exists.
"""

from django.apps.registry import Apps
from django.contrib.auth.management import create_permissions
from django.utils import timezone

from accounts.roles import ADMINISTRATOR_MODEL_PERMISSIONS, ROLE_CAPABILITIES, Role

UNITS = (
    # code, name, is_clinical, closure_needs_approval
    ("family-justice", "Family Justice Unit", False, False),
    ("social-justice", "Social Justice Unit", False, False),
    ("clinical-support", "Clinical Support Unit", True, True),
)
ORGANISATIONS = (
    ("cpd", "Cambridge Police Department", "police"),
    ("cps", "Cambridge Public Schools", "school"),
    ("cha", "Cambridge Health Alliance", "health"),
    ("dhsp", "Department of Human Service Programs", "human_services"),
)
_PERMISSION_APPS = ("accounts", "auth", "axes", "account", "cases")


def sync_roles_and_reference_data(apps: Apps, *, in_migration: bool = False) -> None:
    for app_label in _PERMISSION_APPS:
        app_config = apps.get_app_config(app_label)
        if in_migration:
            # The migration state's app stub has no models module; create_permissions wants one.
            app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        if in_migration:
            app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def permission(dotted: str):
        app_label, codename = dotted.split(".")
        # None while the model's own migration has not run yet; a later migration calls this
        # again (accounts 0003 for the cases reference lists).
        return Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()

    for role, capabilities in ROLE_CAPABILITIES.items():
        group, _ = Group.objects.get_or_create(name=str(role))
        perms = [permission(f"accounts.{codename}") for codename in capabilities]
        if role == Role.ADMINISTRATOR:
            perms += [permission(dotted) for dotted in ADMINISTRATOR_MODEL_PERMISSIONS]
        group.permissions.add(*[p for p in perms if p is not None])

    for code, name, is_clinical, closure_needs_approval in UNITS:
        _create_with_history(
            apps,
            "Unit",
            code=code,
            name=name,
            is_clinical=is_clinical,
            closure_needs_approval=closure_needs_approval,
            active=True,
        )
    for code, name, kind in ORGANISATIONS:
        _create_with_history(
            apps, "PartnerOrganisation", code=code, name=name, kind=kind, active=True
        )


def _create_with_history(apps: Apps, model_name: str, **fields) -> None:
    # Reference rows get their "created" history row too: simple-history does not run inside
    # migrations, and a history that starts at the first edit would hide the original value.
    Model = apps.get_model("accounts", model_name)
    Historical = apps.get_model("accounts", f"Historical{model_name}")
    if Model.objects.filter(code=fields["code"]).exists():
        return
    obj = Model(**fields)
    obj.save_base(raw=True)  # raw: no simple-history signal; the row below is the one
    Historical.objects.create(
        id=obj.pk,
        history_date=timezone.now(),
        history_type="+",
        history_change_reason="seeded",
        **fields,
    )
