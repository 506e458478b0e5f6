import pytest
from axes.models import AccessAttempt
from django.contrib.auth import password_validation
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AccessLog
from tests.factories import PASSWORD, current_code

LOGIN = "/accounts/login/"


def sign_in(client, username, password, address="10.0.0.1"):
    return client.post(
        LOGIN,
        {"login": username, "password": password, "acknowledge": "on"},
        REMOTE_ADDR=address,
    )


def test_the_sign_in_page_is_styled_and_has_no_sign_up_link(client, db):
    page = client.get(LOGIN).content.decode()
    assert "Sign in" in page
    assert "bootstrap.min.css" in page
    assert "/accounts/signup/" not in page


def enter_code(client, user, steps=0):
    return client.post(reverse("mfa_authenticate"), {"code": current_code(user, steps=steps)})


def test_a_user_signs_in_with_username_password_and_code(client, officer):
    response = sign_in(client, officer.username, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    response = enter_code(client, officer)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert AccessLog.objects.filter(user=officer, action=AccessLog.Action.SIGN_IN).exists()


def test_a_wrong_password_is_refused_with_a_message_and_recorded(client, officer):
    response = sign_in(client, officer.username, "not the password")
    assert response.status_code == 200
    assert "not correct" in response.content.decode()
    row = AccessLog.objects.get(action=AccessLog.Action.SIGN_IN_FAILED)
    assert row.username == officer.username
    assert row.ip_address == "10.0.0.1"


def test_five_failures_lock_the_account_even_against_the_right_password(client, officer):
    for _ in range(4):
        assert sign_in(client, officer.username, "wrong password!").status_code == 200
    locked = sign_in(client, officer.username, "wrong password!")
    assert locked.status_code == 429
    assert "locked for 30 minutes" in locked.content.decode()

    again = sign_in(client, officer.username, PASSWORD)
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session
    assert AccessAttempt.objects.get(username=officer.username).failures_since_start >= 5
    assert AccessLog.objects.filter(
        action=AccessLog.Action.LOCKOUT, username=officer.username
    ).exists()


def test_the_lockout_holds_from_another_address(client, officer):
    for _ in range(5):
        sign_in(client, officer.username, "wrong password!", address="10.0.0.1")
    assert sign_in(client, officer.username, PASSWORD, address="10.9.9.9").status_code == 429


def test_the_lockout_ends_after_thirty_minutes(client, officer, time_machine):
    time_machine.move_to("2026-01-05 09:00", tick=False)
    for _ in range(5):
        sign_in(client, officer.username, "wrong password!")
    time_machine.move_to("2026-01-05 09:29", tick=False)
    assert sign_in(client, officer.username, PASSWORD).status_code == 429
    time_machine.move_to("2026-01-05 09:31", tick=False)
    assert sign_in(client, officer.username, PASSWORD).status_code == 302


def test_a_lockout_of_one_user_does_not_lock_another(client, officer, clinician):
    for _ in range(5):
        sign_in(client, officer.username, "wrong password!")
    assert sign_in(client, clinician.username, PASSWORD).status_code == 302


def test_an_administrator_unlocks_an_account_from_the_admin(client, officer, admin_user):
    for _ in range(5):
        sign_in(client, officer.username, "wrong password!")
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "unlock_accounts", "_selected_action": [officer.pk]},
        follow=True,
    )
    assert "1 account unlocked." in response.content.decode()
    client.logout()
    assert sign_in(client, officer.username, PASSWORD).status_code == 302


def test_many_failures_from_one_address_across_usernames_are_refused(client, officer, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/30m/ip"}
    for name in ("alice", "bob", "carol"):
        sign_in(client, name, "spray-password-1", address="10.6.6.6")
    response = sign_in(client, officer.username, PASSWORD, address="10.6.6.6")
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    # ...while the same user from their own station is not affected.
    assert sign_in(client, officer.username, PASSWORD, address="10.0.0.7").status_code == 302


def test_sign_up_is_closed(client, db):
    response = client.post(
        "/accounts/signup/",
        {
            "username": "intruder",
            "password1": "a long enough pw 1",
            "password2": "a long enough pw 1",
        },
    )
    assert "No self sign-up" in response.content.decode()
    from accounts.models import User

    assert not User.objects.filter(username="intruder").exists()


def test_sign_in_gives_a_new_session_key(client, officer):
    client.get(LOGIN)
    session = client.session
    session["probe"] = 1
    session.save()
    before = session.session_key
    sign_in(client, officer.username, PASSWORD)
    enter_code(client, officer)
    assert client.session.session_key != before


def test_sign_out_ends_the_session_on_the_server(client, officer):
    sign_in(client, officer.username, PASSWORD)
    enter_code(client, officer)
    key = client.session.session_key
    assert Session.objects.filter(session_key=key).exists()
    client.post(reverse("account_logout"))
    assert not Session.objects.filter(session_key=key).exists()
    assert client.get(reverse("home")).status_code == 302
    assert AccessLog.objects.filter(user=officer, action=AccessLog.Action.SIGN_OUT).exists()


@pytest.mark.parametrize(
    "password,accepted",
    [
        ("short pass1", False),  # 11 characters
        ("1qaz2wsx3edc", False),  # a common password (keyboard walk)
        ("correct horse battery", True),  # long, no digits or capitals: no composition rules
    ],
)
def test_password_rules(password, accepted, officer):
    try:
        password_validation.validate_password(password, officer)
    except ValidationError:
        assert not accepted
    else:
        assert accepted


def test_a_password_like_the_username_is_refused(db):
    from tests.factories import UserFactory

    user = UserFactory(username="dana.reyes.cpd", first_name="Dana", last_name="Reyes")
    with pytest.raises(ValidationError):
        password_validation.validate_password("dana.reyes.cpd1", user)


def test_the_sign_in_page_shows_the_system_use_notice(client, db):
    page = client.get(LOGIN).content.decode()
    assert "System-use notice" in page
    assert "monitored and recorded" in page
    assert 'name="acknowledge"' in page


def test_signing_in_without_accepting_the_notice_is_refused_and_not_a_failure(client, officer):
    for _ in range(6):
        response = client.post(LOGIN, {"login": officer.username, "password": PASSWORD})
        assert response.status_code == 200
        assert "Accept the system-use notice to sign in." in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert not AccessAttempt.objects.filter(username=officer.username).exists()
    assert sign_in(client, officer.username, PASSWORD).status_code == 302
