"""Accounts unused for 90 days are disabled by a nightly job, and a supervisor re-enables them
(issue 5, CJIS). An account an administrator disabled is not the supervisor's to re-enable."""

from datetime import timedelta

import pytest
from allauth.usersessions.models import UserSession
from django.conf import settings as django_settings
from django.contrib.sessions.backends.db import SessionStore
from django.urls import reverse
from django.utils import timezone

from accounts import services, tasks
from accounts.models import User
from accounts.roles import Role
from audit.models import AccessLog
from cfsj.celery import ensure_local_broker_dirs
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()
DISABLED = reverse("accounts:disabled_accounts")


def account(username, *, last_login_days=None, joined_days=400, role=Role.OFFICER, **fields):
    user = UserFactory(username=username, role=role, **fields)
    user.date_joined = NOW - timedelta(days=joined_days)
    user.last_login = NOW - timedelta(days=last_login_days) if last_login_days is not None else None
    user.save()
    return user


def refreshed(user) -> User:
    return User.objects.get(pk=user.pk)


def test_an_account_unused_for_ninety_days_is_disabled_logged_and_signed_out(client):
    dormant = account("dormant")
    client.force_login(dormant)
    key = client.session.session_key
    # As a sign-in through allauth records it (force_login skips that).
    UserSession.objects.create(user=dormant, session_key=key, ip="10.0.0.1", user_agent="test")
    # Signed in long ago, and never since (the sign-in stamped today).
    dormant.last_login = NOW - timedelta(days=91)
    dormant.save()

    assert services.disable_inactive_accounts(now=NOW) == [dormant.pk]

    dormant = refreshed(dormant)
    assert not dormant.is_active
    assert dormant.deactivated_at == NOW
    assert dormant.deactivated_reason == "inactivity"
    [row] = AccessLog.objects.filter(action=AccessLog.Action.ACCOUNT_DISABLED)
    assert (row.object_id, row.detail, row.username) == (
        str(dormant.pk),
        {"reason": "inactivity"},
        "system",
    )
    assert AccessLog.objects.filter(
        action=AccessLog.Action.SESSIONS_ENDED, object_id=str(dormant.pk)
    ).exists()
    assert not SessionStore().exists(key)
    assert client.get("/").status_code == 302


def test_an_account_used_within_ninety_days_is_left_alone():
    recent = account("recent", last_login_days=89)
    assert services.disable_inactive_accounts(now=NOW) == []
    assert refreshed(recent).is_active
    assert not AccessLog.objects.filter(action=AccessLog.Action.ACCOUNT_DISABLED).exists()


def test_superusers_are_not_exempt():
    root = account("root", last_login_days=120, is_superuser=True, role=Role.ADMINISTRATOR)
    assert services.disable_inactive_accounts(now=NOW) == [root.pk]
    assert not refreshed(root).is_active


def test_an_account_never_used_counts_from_its_creation():
    never = account("never", joined_days=91)
    new = account("new", joined_days=10)
    assert services.disable_inactive_accounts(now=NOW) == [never.pk]
    assert refreshed(new).is_active


def test_a_reenabled_account_has_a_new_period(supervisor):
    back = account("back", last_login_days=200)
    services.disable_inactive_accounts(now=NOW - timedelta(days=5))
    services.reenable_account(user=refreshed(back), by=supervisor)
    assert services.disable_inactive_accounts(now=NOW) == []
    later = timezone.now() + timedelta(days=91)
    assert back.pk in services.disable_inactive_accounts(now=later)


def test_running_the_job_twice_disables_nothing_more():
    account("dormant", last_login_days=100)
    assert len(services.disable_inactive_accounts(now=NOW)) == 1
    assert services.disable_inactive_accounts(now=NOW) == []
    assert AccessLog.objects.filter(action=AccessLog.Action.ACCOUNT_DISABLED).count() == 1


def test_the_period_is_a_setting(settings):
    settings.CFSJ_INACTIVE_DAYS = 30
    month = account("month", last_login_days=31)
    assert services.disable_inactive_accounts(now=NOW) == [month.pk]


def test_an_account_disabled_by_an_administrator_is_not_touched_again():
    gone = account("gone", last_login_days=300, is_active=False)
    assert services.disable_inactive_accounts(now=NOW) == []
    assert refreshed(gone).deactivated_reason == ""


def test_the_nightly_job_is_scheduled_and_runs_the_rule(db):
    schedules = [entry["task"] for entry in django_settings.CELERY_BEAT_SCHEDULE.values()]
    assert "accounts.tasks.disable_inactive_accounts" in schedules
    assert tasks.disable_inactive_accounts.name == "accounts.tasks.disable_inactive_accounts"
    dormant = account("dormant", last_login_days=95)
    ensure_local_broker_dirs()
    result = tasks.disable_inactive_accounts.apply()
    assert result.successful() and result.result == 1
    assert not refreshed(dormant).is_active


# --- supervisor re-enable ------------------------------------------------------------------------


@pytest.fixture
def disabled_by_admin(db):
    return account("fired", last_login_days=5, is_active=False)


def test_a_supervisor_sees_the_accounts_disabled_for_inactivity_only(
    client, supervisor, disabled_account, disabled_by_admin
):
    client.force_login(supervisor)
    response = client.get(DISABLED)
    assert [a.pk for a in response.context["accounts"]] == [disabled_account.pk]
    page = response.content.decode()
    assert reverse("accounts:account_enable", args=[disabled_account.pk]) in page
    assert disabled_by_admin.username not in page
    assert AccessLog.objects.filter(
        action=AccessLog.Action.LIST, detail={"report": "disabled_accounts", "count": 1}
    ).exists()


def test_a_supervisor_reenables_an_account_disabled_for_inactivity(
    client, supervisor, disabled_account
):
    client.force_login(supervisor)
    response = client.post(reverse("accounts:account_enable", args=[disabled_account.pk]))
    assert response.status_code == 302
    user = refreshed(disabled_account)
    assert user.is_active and user.reenabled_at is not None
    assert user.deactivated_reason == "" and user.deactivated_at is None
    [row] = AccessLog.objects.filter(action=AccessLog.Action.ACCOUNT_ENABLED)
    assert (row.user, row.object_id) == (supervisor, str(user.pk))
    assert user.history.first().history_user == supervisor


def test_an_account_an_administrator_disabled_is_not_reenabled_by_a_supervisor(
    client, supervisor, disabled_by_admin
):
    client.force_login(supervisor)
    response = client.post(
        reverse("accounts:account_enable", args=[disabled_by_admin.pk]), follow=True
    )
    assert "only an administrator can re-enable it" in response.content.decode()
    assert not refreshed(disabled_by_admin).is_active
    assert not AccessLog.objects.filter(action=AccessLog.Action.ACCOUNT_ENABLED).exists()


def test_an_administrator_account_is_not_reenabled_by_a_supervisor(client, supervisor):
    root = account("root", last_login_days=120, is_superuser=True, role=Role.ADMINISTRATOR)
    admin = account("admin2", last_login_days=120, role=Role.ADMINISTRATOR)
    services.disable_inactive_accounts(now=NOW)
    client.force_login(supervisor)
    page = client.get(DISABLED).content.decode()
    assert "An administrator re-enables this account." in page
    for user in (root, admin):
        response = client.post(reverse("accounts:account_enable", args=[user.pk]), follow=True)
        assert "re-enabled by another administrator" in response.content.decode()
        assert not refreshed(user).is_active


@pytest.mark.parametrize(
    "persona", ["officer", "clinician", "clinician_other_unit", "intern", "partner", "admin_user"]
)
def test_no_one_but_a_supervisor_reenables_an_account(persona, as_persona, disabled_account):
    client = as_persona(persona)
    assert client.get(DISABLED).status_code == 403
    response = client.post(reverse("accounts:account_enable", args=[disabled_account.pk]))
    assert response.status_code == 403
    assert not refreshed(disabled_account).is_active


def test_the_anonymous_are_sent_to_sign_in(client, disabled_account):
    response = client.post(reverse("accounts:account_enable", args=[disabled_account.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not refreshed(disabled_account).is_active
