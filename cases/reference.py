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

CASE_TYPES = (
    ("youth-support", "Youth support"),
    ("mental-health", "Mental health"),
    ("substance-use", "Substance use"),
    ("domestic-violence", "Domestic violence"),
    ("homelessness", "Homelessness"),
    ("senior-care", "Senior dependent care"),
    ("family-support", "Family support"),
)
CLOSURE_OUTCOMES = (
    ("goals-met", "Goals met"),
    ("engaged-with-services", "Engaged with community services"),
    ("declined", "Declined services"),
    ("moved", "Moved away"),
    ("unable-to-contact", "Unable to contact"),
    ("transferred", "Transferred to another agency"),
    ("deceased", "Deceased"),
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


def sync_casework_reference_data(apps: Apps) -> None:
    CaseType = apps.get_model("cases", "CaseType")
    ClosureOutcome = apps.get_model("cases", "ClosureOutcome")
    for position, (code, name) in enumerate(CASE_TYPES):
        CaseType.objects.get_or_create(code=code, defaults={"name": name, "position": position})
    for position, (code, name) in enumerate(CLOSURE_OUTCOMES):
        ClosureOutcome.objects.get_or_create(
            code=code, defaults={"name": name, "position": position}
        )


def sync_all(apps: Apps) -> None:
    """Everything the cases app's migrations seed (used by seed_demo and the browser tests,
    whose flushed databases lose migration data)."""
    from cases.instruments import load_bundled

    sync_reference_data(apps)
    sync_casework_reference_data(apps)
    load_bundled(apps)
