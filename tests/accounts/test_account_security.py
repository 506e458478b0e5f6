"""Changing password, e-mail and second factor (re-authentication first), seeing and ending
sessions, disabling accounts, and the access-log rows each of these leaves (issue 5)."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from accounts.sessions import end_all_sessions
from audit.models import AccessLog
from tests.factories import PASSWORD, current_code

LOGIN = "/accounts/login/"


def signed_in_client(user, *, steps: int = 0, agent: str = "Station A") -> Client:
    """A client signed in the real way (password, then code), so that allauth records the
    session. ``steps``: another valid code, for a second sign-in within the same 30 seconds."""
    client = Client(HTTP_USER_AGENT=agent)
    client.post(LOGIN, {"login": user.username, "password": PASSWORD, "acknowledge": "on"})
    response = client.post(reverse("mfa_authenticate"), {"code": current_code(user, steps=steps)})
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(user.pk)
    return client


def reauthenticate(client) -> None:
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302


def is_signed_out(client) -> bool:
    response = client.get("/")
    return response.status_code == 302 and response["Location"].startswith(LOGIN)


def logged(action, **filters):
    return AccessLog.objects.filter(action=action, **filters)


# --- the page ------------------------------------------------------------------------------


def test_the_user_menu_leads_to_account_security_with_its_four_entries(client, officer):
    client.force_login(officer)
    home = client.get("/").content.decode()
    assert f'href="{reverse("account_security")}"' in home
    page = client.get(reverse("account_security")).content.decode()
    for name in ("account_change_password", "account_email", "mfa_index", "usersessions_list"):
        assert f'href="{reverse(name)}"' in page, name
    assert "Authenticator app active." in page


def test_the_account_pages_render_in_the_cfsj_layout_without_inline_code(client, officer):
    client.force_login(officer)
    for name in ("account_security", "mfa_index", "usersessions_list", "account_email"):
        html = client.get(reverse(name)).content.decode()
        body = html.split("</head>", 1)[1]
        assert "bootstrap.min.css" in html, name
        assert "<script" not in body and "<style" not in body and "style=" not in body, name


# --- re-authentication ---------------------------------------------------------------------


def test_changing_the_password_needs_the_current_password(client, officer):
    client.force_login(officer)
    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": "a guess",
            "password1": "new passphrase 1234",
            "password2": "new passphrase 1234",
        },
    )
    assert response.status_code == 200
    officer.refresh_from_db()
    assert officer.check_password(PASSWORD)
    assert not logged(AccessLog.Action.PASSWORD_CHANGED).exists()


def test_adding_an_email_address_asks_for_the_password_first(client, officer):
    client.force_login(officer)
    response = client.post(
        reverse("account_email"), {"action_add": "", "email": "dana@elsewhere.example"}
    )
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert not officer.emailaddress_set.filter(email="dana@elsewhere.example").exists()

    reauthenticate(client)
    client.post(reverse("account_email"), {"action_add": "", "email": "dana@elsewhere.example"})
    assert officer.emailaddress_set.filter(email="dana@elsewhere.example").exists()
    row = logged(AccessLog.Action.EMAIL_CHANGED, user=officer).get()
    assert row.detail == {"added": "dana@elsewhere.example"}


def test_making_another_address_primary_is_logged_as_an_email_change(client, officer):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=officer, email=officer.email, primary=True, verified=True)
    EmailAddress.objects.create(user=officer, email="new@example.invalid", verified=True)
    client.force_login(officer)
    reauthenticate(client)
    client.post(reverse("account_email"), {"action_primary": "", "email": "new@example.invalid"})
    officer.refresh_from_db()
    assert officer.email == "new@example.invalid"
    row = logged(AccessLog.Action.EMAIL_CHANGED, user=officer).get()
    assert row.detail == {"primary": "new@example.invalid", "previous": "p_officer@example.invalid"}


def test_removing_the_authenticator_app_asks_to_confirm_first_and_then_forces_enrolment(
    client, officer
):
    client.force_login(officer)
    response = client.post(reverse("mfa_deactivate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert Authenticator.objects.filter(user=officer).count() == 2

    reauthenticate(client)
    client.post(reverse("mfa_deactivate_totp"))
    assert not Authenticator.objects.filter(user=officer).exists()
    removed = logged(AccessLog.Action.MFA_REMOVED, user=officer)
    assert sorted(removed.values_list("detail__type", flat=True)) == ["recovery_codes", "totp"]
    # This very session has no second factor any more.
    assert client.get("/")["Location"] == reverse("mfa_activate_totp")


def test_new_recovery_codes_need_confirmation_and_replace_the_old_ones(
    client, officer, django_capture_on_commit_callbacks
):
    old = Authenticator.objects.get(user=officer, type="recovery_codes").wrap().get_unused_codes()
    client.force_login(officer)
    response = client.post(reverse("mfa_generate_recovery_codes"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))

    reauthenticate(client)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("mfa_generate_recovery_codes"))
    new = Authenticator.objects.get(user=officer, type="recovery_codes").wrap().get_unused_codes()
    assert set(new).isdisjoint(old)
    assert logged(AccessLog.Action.MFA_CODES_RESET, user=officer).count() == 1


def test_a_code_confirms_too_when_the_user_prefers_it(client, officer):
    client.force_login(officer)
    response = client.post(
        reverse("mfa_reauthenticate"),
        {"code": current_code(officer), "next": reverse("mfa_generate_recovery_codes")},
    )
    assert response["Location"] == reverse("mfa_generate_recovery_codes")
    assert client.get(reverse("mfa_generate_recovery_codes")).status_code == 200


# --- sessions ------------------------------------------------------------------------------


def test_a_password_change_signs_the_user_out_everywhere(officer):
    here = signed_in_client(officer, agent="Station A")
    there = signed_in_client(officer, steps=1, agent="Phone")
    assert UserSession.objects.filter(user=officer).count() == 2

    new_password = "a brand new passphrase 42"
    response = here.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": new_password, "password2": new_password},
    )
    assert response.status_code == 302
    assert is_signed_out(here)
    assert is_signed_out(there)
    assert not UserSession.objects.filter(user=officer).exists()
    assert logged(AccessLog.Action.PASSWORD_CHANGED, user=officer).count() == 1
    ended = logged(AccessLog.Action.SESSIONS_ENDED, object_id=str(officer.pk)).get()
    assert ended.detail == {"count": 2, "reason": "password changed"}


def test_the_user_sees_their_sessions_and_signs_out_the_others(officer, clinician):
    here = signed_in_client(officer, agent="Station A")
    there = signed_in_client(officer, steps=1, agent="Forgotten station")
    colleague = signed_in_client(clinician, agent="Colleague's browser")

    page = here.get(reverse("usersessions_list")).content.decode()
    assert "Station A" in page and "Forgotten station" in page
    assert "Colleague&#x27;s browser" not in page and "Colleague's browser" not in page

    here.post(reverse("usersessions_list"))
    assert here.get("/").status_code == 200
    assert is_signed_out(there)
    assert colleague.get("/").status_code == 200
    ended = logged(AccessLog.Action.SESSIONS_ENDED, user=officer).get()
    assert ended.detail == {"count": 1, "reason": "ended by the user"}


def test_ending_all_sessions_removes_the_session_rows_and_logs_the_count(officer, clinician):
    first = signed_in_client(officer)
    second = signed_in_client(officer, steps=1)
    colleague = signed_in_client(clinician)
    keys = [c.session.session_key for c in (first, second)]

    assert end_all_sessions(user=officer) == 2

    assert not Session.objects.filter(session_key__in=keys).exists()
    assert not UserSession.objects.filter(user=officer).exists()
    assert colleague.get("/").status_code == 200
    row = logged(AccessLog.Action.SESSIONS_ENDED).get()
    assert row.object_id == str(officer.pk)
    assert row.detail["count"] == 2


# --- the administrator ----------------------------------------------------------------------


def _user_change_form(user) -> dict:
    return {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "groups": [g.pk for g in user.groups.all()],
        "units": [u.pk for u in user.units.all()],
    }


def test_disabling_a_user_in_the_admin_signs_them_out_at_once(officer, admin_user):
    station = signed_in_client(officer)
    admin = Client()
    admin.force_login(admin_user)
    data = _user_change_form(officer)  # is_active left unticked
    response = admin.post(reverse("admin:accounts_user_change", args=[officer.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    officer.refresh_from_db()
    assert not officer.is_active

    assert is_signed_out(station)
    disabled = logged(AccessLog.Action.ACCOUNT_DISABLED, user=admin_user).get()
    assert disabled.object_id == str(officer.pk)
    ended = logged(AccessLog.Action.SESSIONS_ENDED, user=admin_user).get()
    assert ended.detail == {"count": 1, "reason": "account disabled"}


def test_saving_an_active_user_in_the_admin_ends_no_session(officer, admin_user):
    station = signed_in_client(officer)
    admin = Client()
    admin.force_login(admin_user)
    data = {**_user_change_form(officer), "is_active": "on", "first_name": "Renamed"}
    admin.post(reverse("admin:accounts_user_change", args=[officer.pk]), data)
    assert station.get("/").status_code == 200
    assert not logged(AccessLog.Action.SESSIONS_ENDED).exists()
    assert not logged(AccessLog.Action.ACCOUNT_DISABLED).exists()


def test_an_administrator_removes_a_lost_second_factor_and_the_user_enrols_again(
    officer, admin_user
):
    lost_phone = signed_in_client(officer)
    admin = Client()
    admin.force_login(admin_user)
    response = admin.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "remove_second_factor", "_selected_action": [officer.pk]},
        follow=True,
    )
    assert "Second factor removed from 1 account." in response.content.decode()
    assert not Authenticator.objects.filter(user=officer).exists()
    assert logged(AccessLog.Action.MFA_REMOVED, user=admin_user).count() == 2
    assert is_signed_out(lost_phone)

    # At the next sign-in the password lets them in only as far as enrolment.
    client = Client()
    client.post(LOGIN, {"login": officer.username, "password": PASSWORD, "acknowledge": "on"})
    assert client.get("/")["Location"] == reverse("mfa_activate_totp")


@pytest.mark.parametrize("persona", ["officer", "supervisor"])
def test_only_administrators_may_remove_a_second_factor(persona, as_persona, clinician):
    client = as_persona(persona)
    client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "remove_second_factor", "_selected_action": [clinician.pk]},
    )
    assert Authenticator.objects.filter(user=clinician).count() == 2
    assert not logged(AccessLog.Action.MFA_REMOVED).exists()


def test_the_admin_shows_neither_authenticator_secrets_nor_session_rows(client, admin_user):
    from django.contrib import admin

    assert not admin.site.is_registered(Authenticator)
    assert not admin.site.is_registered(UserSession)


def test_a_password_set_by_an_administrator_signs_the_owner_out_everywhere(officer, admin_user):
    station = signed_in_client(officer)
    admin = Client()
    admin.force_login(admin_user)
    new = "a-new-and-long-password-2026"
    response = admin.post(
        reverse("admin:auth_user_password_change", args=[officer.pk]),
        {"password1": new, "password2": new, "usable_password": "true"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert is_signed_out(station)
    changed = logged(AccessLog.Action.PASSWORD_CHANGED, user=admin_user).get()
    assert changed.object_id == str(officer.pk)
    ended = logged(AccessLog.Action.SESSIONS_ENDED, user=admin_user).get()
    assert ended.detail["reason"] == "password set by an administrator"
