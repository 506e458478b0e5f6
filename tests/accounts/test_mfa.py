"""The second factor (issue 5): asked at every sign-in, enrolment forced on every URL for a user
without one, never skipped by a password reset."""

import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django.core import mail
from django.db import connection
from django.urls import reverse

from accounts.roles import Role
from audit.models import AccessLog
from tests.factories import PASSWORD, UserFactory, current_code, totp_code

LOGIN = "/accounts/login/"


def password_step(client, user):
    return client.post(LOGIN, {"login": user.username, "password": PASSWORD, "acknowledge": "on"})


@pytest.fixture
def newcomer(db):
    """An officer whose administrator just created the account: no second factor yet."""
    return UserFactory(
        username="newcomer", role=Role.OFFICER, units=("family-justice",), totp=False
    )


@pytest.fixture
def new_admin(db):
    return UserFactory(username="new_admin", role=Role.ADMINISTRATOR, totp=False)


# --- enforcement ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/", "/people/", "/accounts/security/", "/accounts/sessions/", "/accounts/2fa/"]
)
def test_a_user_without_a_second_factor_is_sent_to_enrolment_from_every_page(url, client, newcomer):
    client.force_login(newcomer)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_the_admin_too_sends_an_administrator_without_a_second_factor_to_enrolment(
    client, new_admin
):
    client.force_login(new_admin)
    for url in ("/admin/", reverse("admin:accounts_user_changelist")):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == reverse("mfa_activate_totp")


def test_a_post_without_a_second_factor_is_refused_before_the_view_runs(client, newcomer):
    client.force_login(newcomer)
    response = client.post(
        reverse("cases:person_create"), {"first_name": "Never", "last_name": "Saved"}
    )
    assert response["Location"] == reverse("mfa_activate_totp")
    from cases.models import Person

    assert not Person.objects.filter(first_name="Never").exists()


def test_an_htmx_request_without_a_second_factor_gets_a_whole_page_redirect(client, newcomer):
    client.force_login(newcomer)
    response = client.get("/people/", {"q": "santos"}, headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("mfa_activate_totp")


def test_enrolment_and_what_it_needs_stay_open_without_a_second_factor(client, newcomer):
    client.force_login(newcomer)
    # allauth asks for the password again before enrolment: that page must open.
    response = client.get(reverse("mfa_activate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert client.get(reverse("account_reauthenticate")).status_code == 200
    assert client.get(reverse("account_logout")).status_code == 200
    assert client.get(reverse("healthz")).status_code == 200


def test_recovery_codes_alone_do_not_count_as_a_second_factor(client, newcomer):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    RecoveryCodes.activate(newcomer)
    client.force_login(newcomer)
    assert client.get("/")["Location"] == reverse("mfa_activate_totp")


def test_a_user_with_a_second_factor_is_not_sent_anywhere(client, officer):
    client.force_login(officer)
    assert client.get("/").status_code == 200


def test_the_second_factor_is_looked_up_at_sign_in_not_on_each_page(client, officer, newcomer):
    from django.test.utils import CaptureQueriesContext

    def looked_up(queries) -> bool:
        return any("mfa_authenticator" in query["sql"] for query in queries.captured_queries)

    with CaptureQueriesContext(connection) as at_sign_in:
        client.force_login(officer)
    with CaptureQueriesContext(connection) as first_page:
        client.get("/")
    assert looked_up(at_sign_in) and not looked_up(first_page)
    # Until they enrol, a user without one is looked up again on every page.
    client.force_login(newcomer)
    with CaptureQueriesContext(connection) as page:
        client.get("/")
    assert looked_up(page)


def test_the_local_demo_may_turn_enforcement_off(client, newcomer, settings):
    settings.CFSJ_MFA_REQUIRED = False
    client.force_login(newcomer)
    assert client.get("/").status_code == 200


# --- enrolment -----------------------------------------------------------------------------


def test_a_new_user_signs_in_enrols_an_authenticator_app_and_gets_recovery_codes(
    client, newcomer, django_capture_on_commit_callbacks
):
    # No second factor yet: the password signs in, and every page leads to enrolment.
    response = password_step(client, newcomer)
    assert response["Location"] == reverse("home")
    assert client.get("/")["Location"] == reverse("mfa_activate_totp")
    # allauth asks for the password once more before a second factor is added.
    response = client.get(reverse("mfa_activate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    response = client.post(
        response["Location"], {"password": PASSWORD, "next": reverse("mfa_activate_totp")}
    )
    assert response["Location"] == reverse("mfa_activate_totp")

    page = client.get(reverse("mfa_activate_totp"))
    html = page.content.decode()
    assert page.status_code == 200
    assert re.search(r'<img src="data:image/svg\+xml;base64,[^"]+"', html)
    assert "<script" not in html.split("</head>")[1] and "style=" not in html
    secret = client.session[SECRET_SESSION_KEY]

    wrong = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert wrong.status_code == 200
    assert "Incorrect code" in wrong.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    codes = client.get(reverse("mfa_view_recovery_codes")).content.decode()
    assert codes.count("<li>") >= 10
    assert client.get("/").status_code == 200
    added = AccessLog.objects.filter(user=newcomer, action=AccessLog.Action.MFA_ADDED)
    assert sorted(added.values_list("detail__type", flat=True)) == ["recovery_codes", "totp"]


def test_the_authenticator_app_shows_the_department_as_issuer(client, newcomer, settings):
    from allauth.mfa.adapter import get_adapter

    assert settings.MFA_TOTP_ISSUER == settings.CFSJ_DEPARTMENT_NAME
    url = get_adapter().build_totp_url(newcomer, "JBSWY3DPEHPK3PXP")
    assert "issuer=Cambridge%20Police%20Department" in url


def test_the_authenticator_secret_is_stored_encrypted(officer):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT data FROM mfa_authenticator WHERE user_id = %s AND type = 'totp'",
            [officer.pk],
        )
        (stored,) = cursor.fetchone()
    assert '"enc1:' in stored


# --- sign-in -------------------------------------------------------------------------------


def test_the_password_alone_does_not_sign_in_a_user_with_a_second_factor(client, officer):
    response = password_step(client, officer)
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    assert client.get("/")["Location"].startswith(LOGIN)
    page = client.get(reverse("mfa_authenticate")).content.decode()
    assert "Authenticator code" in page


def test_a_wrong_code_does_not_sign_in_and_the_right_one_does(client, officer):
    password_step(client, officer)
    wrong = client.post(reverse("mfa_authenticate"), {"code": "123456"})
    assert wrong.status_code == 200
    assert "Incorrect code" in wrong.content.decode()
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("mfa_authenticate"), {"code": current_code(officer)})
    assert response["Location"] == reverse("home")
    assert client.session["_auth_user_id"] == str(officer.pk)


def test_a_code_works_only_once(client, officer):
    code = current_code(officer)
    password_step(client, officer)
    client.post(reverse("mfa_authenticate"), {"code": code})
    client.post(reverse("account_logout"))
    password_step(client, officer)
    replay = client.post(reverse("mfa_authenticate"), {"code": code})
    assert replay.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_recovery_code_signs_in_once(client, officer):
    recovery = Authenticator.objects.get(user=officer, type=Authenticator.Type.RECOVERY_CODES)
    code = recovery.wrap().get_unused_codes()[0]
    password_step(client, officer)
    assert client.post(reverse("mfa_authenticate"), {"code": code})["Location"] == "/"
    client.post(reverse("account_logout"))
    password_step(client, officer)
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 200
    assert "_auth_user_id" not in client.session


def test_the_admin_sign_in_goes_through_the_same_second_factor(client, admin_user):
    response = client.get("/admin/login/?next=/admin/")
    assert response["Location"].startswith(LOGIN)
    password_step(client, admin_user)
    assert client.get("/admin/")["Location"].startswith("/admin/login/")
    client.post(reverse("mfa_authenticate"), {"code": current_code(admin_user)})
    assert client.get("/admin/").status_code == 200


# --- password reset ------------------------------------------------------------------------


def test_a_password_reset_does_not_sign_in_and_the_next_sign_in_asks_for_the_code(
    client, officer, settings
):
    assert settings.ACCOUNT_LOGIN_ON_PASSWORD_RESET is False
    client.post(reverse("account_reset_password"), {"email": officer.email})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", mail.outbox[0].body)
    response = client.get(link.group(1))
    new_password = "a brand new passphrase 42"
    response = client.post(
        response["Location"], {"password1": new_password, "password2": new_password}
    )
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert client.get("/")["Location"].startswith(LOGIN)
    assert AccessLog.objects.filter(user=officer, action=AccessLog.Action.PASSWORD_RESET).exists()

    response = client.post(
        LOGIN, {"login": officer.username, "password": new_password, "acknowledge": "on"}
    )
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
