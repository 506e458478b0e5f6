"""Role groups with their permissions, and the Cambridge defaults for units and partner
organisations (reference data an administrator edits afterwards)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = {
    "officer": ("find_people", "log_contact", "attend_safetynet"),
    "clinician": ("find_people", "log_contact", "manage_cases", "attend_safetynet"),
    "intern": ("find_people", "log_contact", "manage_cases"),
    "supervisor": ("find_people", "log_contact", "manage_cases", "supervise", "attend_safetynet"),
    "partner": ("attend_safetynet",),
    "administrator": (),
}
ADMINISTRATOR_MODEL_PERMISSIONS = (
    "accounts.add_user",
    "accounts.change_user",
    "accounts.view_user",
    "accounts.add_unit",
    "accounts.change_unit",
    "accounts.view_unit",
    "accounts.add_partnerorganisation",
    "accounts.change_partnerorganisation",
    "accounts.view_partnerorganisation",
    "auth.view_group",
    "axes.view_accessattempt",
    "axes.delete_accessattempt",
    "axes.view_accessfailurelog",
    "axes.view_accesslog",
    "account.add_emailaddress",
    "account.change_emailaddress",
    "account.view_emailaddress",
)
UNITS = (
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


def forwards(apps, schema_editor):
    # Permissions are normally created after all migrations ran; roles need them now.
    for app_label in ("accounts", "auth", "axes", "account"):
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True  # the migration state's stub lacks it
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def permission(dotted):
        app_label, codename = dotted.split(".")
        return Permission.objects.get(content_type__app_label=app_label, codename=codename)

    for role, capabilities in ROLES.items():
        group, _ = Group.objects.get_or_create(name=role)
        perms = [permission(f"accounts.{codename}") for codename in capabilities]
        if role == "administrator":
            perms += [permission(dotted) for dotted in ADMINISTRATOR_MODEL_PERMISSIONS]
        group.permissions.add(*perms)

    Unit = apps.get_model("accounts", "Unit")
    for code, name, is_clinical, closure_needs_approval in UNITS:
        Unit.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "is_clinical": is_clinical,
                "closure_needs_approval": closure_needs_approval,
            },
        )
    PartnerOrganisation = apps.get_model("accounts", "PartnerOrganisation")
    for code, name, kind in ORGANISATIONS:
        PartnerOrganisation.objects.get_or_create(code=code, defaults={"name": name, "kind": kind})


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("axes", "0010_accessattemptexpiration"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
