"""The Cambridge defaults for people and contacts reference data, made idempotently (by
migration and by seed_demo, like accounts.reference)."""

from django.apps.registry import Apps

FLAGS = (
    # code, name, restricted
    ("juvenile", "Juvenile", False),
    ("homeless", "Homeless", False),
    ("mental-health", "Mental health", False),
    ("substance-use", "Substance use", True),
    ("senior-care", "Senior dependent care", False),
    ("dv-sa-survivor", "DV/SA survivor", False),
)
CONTACT_TYPES = (
    ("call-for-service", "Call for service"),
    ("outreach", "Outreach"),
    ("welfare-check", "Welfare check"),
    ("crisis", "Crisis"),
    ("school-visit", "School visit"),
    ("home-visit", "Home visit"),
    ("follow-up", "Follow-up"),
)
DISPOSITIONS = (
    # code, name, outcome (fixed meaning)
    ("no-action", "No action", "no_action"),
    ("information", "Information given", "information"),
    ("referral", "Referral made", "referral"),
    ("transported", "Transported for evaluation", "transport"),
    ("diverted", "Diverted", "diversion"),
    ("summons", "Summons", "summons"),
    ("arrest", "Arrest", "arrest"),
    ("other", "Other", "other"),
)


def sync_reference_data(apps: Apps) -> None:
    PopulationFlag = apps.get_model("cases", "PopulationFlag")
    ContactType = apps.get_model("cases", "ContactType")
    Disposition = apps.get_model("cases", "Disposition")
    for position, (code, name, restricted) in enumerate(FLAGS):
        PopulationFlag.objects.get_or_create(
            code=code, defaults={"name": name, "restricted": restricted, "position": position}
        )
    for position, (code, name) in enumerate(CONTACT_TYPES):
        ContactType.objects.get_or_create(code=code, defaults={"name": name, "position": position})
    for position, (code, name, outcome) in enumerate(DISPOSITIONS):
        Disposition.objects.get_or_create(
            code=code, defaults={"name": name, "outcome": outcome, "position": position}
        )
