from django.contrib import admin

# What the admin may show: users, roles, reference data, sign-in records. Never clinical content.
ALLOWED_IN_ADMIN = {
    "auth.Group",
    "account.EmailAddress",
    "axes.AccessAttempt",
    "axes.AccessLog",
    "axes.AccessFailureLog",
    "accounts.User",
    "accounts.Unit",
    "accounts.PartnerOrganisation",
    "cases.PopulationFlag",
    "cases.ContactType",
    "cases.Disposition",
    "cases.CaseType",
    "cases.ClosureOutcome",
    "cases.Instrument",  # definitions only (questions, rules), no answers
    "cases.InstrumentVersion",
}


def test_the_admin_registers_no_clinical_or_case_content():
    registered = {model._meta.label for model in admin.site._registry}
    assert registered - ALLOWED_IN_ADMIN == set(), (
        "A model was added to the admin: decide whether administrators may see it "
        "(separation of duties) and list it in ALLOWED_IN_ADMIN."
    )
