"""seed_demo and the demo people (the city itself is tested in test_demo_data.py)."""

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from cases.models import Contact, Person


def test_seed_demo_refuses_a_database_with_real_people_and_no_users(db):
    Person(first_name="Real", last_name="Person").save()
    with pytest.raises(CommandError, match="not demo data"):
        call_command("seed_demo", allow_demo_accounts=True)
    assert not User.objects.exists()


def test_seed_demo_says_what_it_made_and_can_make_a_small_city(db, capsys):
    call_command("seed_demo", allow_demo_accounts=True, people=40, contacts=60)
    out = capsys.readouterr().out
    assert 30 <= Person.objects.count() <= 50
    assert f"{Person.objects.count()} people in" in out
    assert f"{Contact.objects.count()} contacts" in out
