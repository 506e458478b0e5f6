import pytest
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from accounts import access
from accounts.demo import DEMO_USERS
from accounts.models import User
from tests.factories import UserFactory


def test_seed_demo_on_an_empty_database_makes_one_user_per_role(db):
    call_command("seed_demo", allow_demo_accounts=True, people=40, contacts=60)
    for spec in DEMO_USERS:
        user = User.objects.get(username=spec.username)
        assert access.home_role(user) == spec.role
    assert User.objects.get(username="intern").supervising_clinician.username == "clinician"
    assert User.objects.get(username="partner").organisation.code == "cps"


def test_demo_users_sign_in_with_the_demo_password(db, settings, rf):
    settings.CFSJ_DEMO_PASSWORD = "a-demo-password-from-env"
    call_command("seed_demo", allow_demo_accounts=True, people=40, contacts=60)
    request = rf.post("/accounts/login/")
    assert authenticate(request, username="officer", password="a-demo-password-from-env")


def test_seed_demo_twice_changes_nothing(db, capsys):
    call_command("seed_demo", allow_demo_accounts=True, people=40, contacts=60)
    call_command("seed_demo", allow_demo_accounts=True, people=40, contacts=60)
    assert "already present" in capsys.readouterr().out
    assert User.objects.count() == len(DEMO_USERS)


def test_seed_demo_refuses_a_database_with_real_data(db):
    UserFactory(username="real.officer")
    with pytest.raises(CommandError, match="not demo data"):
        call_command("seed_demo", allow_demo_accounts=True, people=40, contacts=60)
    assert not User.objects.filter(username="officer").exists()


def test_seed_demo_if_empty_skips_a_database_with_real_data_quietly(db, capsys):
    UserFactory(username="real.officer")
    call_command("seed_demo", "--if-empty", "--allow-demo-accounts")
    assert "refuses" in capsys.readouterr().out
    assert not User.objects.filter(username="officer").exists()


def test_seed_demo_refuses_to_make_shared_password_accounts_with_debug_off(db, settings):
    # No default accounts in production (issue 5): the tests run with DEBUG off, as production.
    settings.DEBUG = False
    for arguments in ((), ("--if-empty",)):
        with pytest.raises(CommandError, match="DEBUG off"):
            call_command("seed_demo", *arguments, people=40, contacts=60)
    assert not User.objects.exists()


def test_seed_demo_runs_with_debug_on_without_being_told(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", people=40, contacts=60)
    assert User.objects.filter(username="officer").exists()


def test_the_default_demo_password_is_documented():
    # README and DESIGN.md promise this default when CFSJ_DEMO_PASSWORD is unset.
    import os

    if "CFSJ_DEMO_PASSWORD" not in os.environ:
        assert settings.CFSJ_DEMO_PASSWORD == "demo-password-change-me"
