from django.contrib import admin
from django.urls import reverse

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


def test_the_password_button_on_a_users_history_version_leads_to_the_password_page(
    client, admin_user, officer
):
    officer.first_name = "Renamed"
    officer.save()
    version = officer.history.order_by("-history_id").first()
    client.force_login(admin_user)
    url = reverse("admin:accounts_user_simple_history", args=[officer.pk, version.history_id])
    html = client.get(url).content.decode()
    password_url = reverse("admin:auth_user_password_change", args=[officer.pk])
    assert f'href="{password_url}"' in html
    assert client.get(password_url).status_code == 200
