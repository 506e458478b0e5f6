import pytest
from django.core.management import call_command

HEADINGS = {
    "officer": "Officer — today",
    "clinician": "Clinician — today",
    "intern": "Clinical intern — today",
    "supervisor": "Supervisor — today",
    "partner": "Safety Net partner — today",
    "admin": "Administrator — today",
}


@pytest.fixture
def demo(db):
    # A small city: the full one takes seconds per test and these pages need only the users.
    call_command("seed_demo", allow_demo_accounts=True, people=40, contacts=60)
    from accounts.models import User
    from tests.factories import give_second_factor

    give_second_factor(User.objects.all())


@pytest.mark.parametrize("username", sorted(HEADINGS))
def test_each_demo_user_sees_the_home_of_their_role(username, demo, client, django_user_model):
    client.force_login(django_user_model.objects.get(username=username))
    page = client.get("/").content.decode()
    assert HEADINGS[username] in page
    for other, heading in HEADINGS.items():
        if other != username:
            assert heading not in page


@pytest.mark.parametrize("username", ["officer", "clinician", "intern", "supervisor", "partner"])
def test_only_administrators_see_the_administration_link(username, demo, client, django_user_model):
    client.force_login(django_user_model.objects.get(username=username))
    assert 'href="/admin/"' not in client.get("/").content.decode()


def test_the_administrator_sees_the_administration_link(demo, client, django_user_model):
    client.force_login(django_user_model.objects.get(username="admin"))
    assert 'href="/admin/"' in client.get("/").content.decode()


def test_a_user_without_a_role_is_told_to_ask_for_one(client, db):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    assert "No role assigned" in client.get("/").content.decode()


def test_a_deactivated_user_cannot_use_a_live_session(client, officer):
    client.force_login(officer)
    officer.is_active = False
    officer.save()
    assert client.get("/").status_code == 302


def test_pages_fit_a_phone(client, officer):
    client.force_login(officer)
    page = client.get("/").content.decode()
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in page
    assert "navbar-toggler" in page  # the menu collapses behind a button on narrow screens


def test_no_page_loads_anything_from_another_site(client, officer):
    client.force_login(officer)
    page = client.get("/").content.decode()
    assert "http://" not in page and "https://" not in page
    assert "/static/js/vendor/htmx.min.js" in page
    assert "/static/css/vendor/bootstrap.min.css" in page


def test_error_pages_are_friendly(client, partner):
    client.force_login(partner)
    not_found = client.get("/no-such-page/")
    assert not_found.status_code == 404
    assert "There is no page here, or it is not open to you." in not_found.content.decode()
    forbidden = client.get("/admin/login/")
    assert forbidden.status_code == 403
    assert "Your role does not allow this page." in forbidden.content.decode()


def test_the_server_error_page_renders_without_a_request_context(rf):
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
