from datetime import timedelta

import pytest
from django.urls import reverse

HOME = "/"


@pytest.fixture
def signed_in_officer(client, officer, time_machine):
    time_machine.move_to("2026-03-02 08:00", tick=False)
    client.force_login(officer)
    assert client.get(HOME).status_code == 200
    return client


def test_a_session_idle_for_thirty_minutes_ends(signed_in_officer, time_machine):
    key = signed_in_officer.session.session_key
    time_machine.shift(timedelta(minutes=31))
    response = signed_in_officer.get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert signed_in_officer.session.session_key != key
    assert signed_in_officer.get(HOME).status_code == 302


def test_activity_within_the_idle_window_keeps_the_session(signed_in_officer, time_machine):
    for _ in range(4):
        time_machine.shift(timedelta(minutes=25))
        assert signed_in_officer.get(HOME).status_code == 200


def test_a_session_ends_after_twelve_hours_whatever_the_activity(signed_in_officer, time_machine):
    for _ in range(11 * 4 + 3):  # a request every 15 minutes for 11h45
        time_machine.shift(timedelta(minutes=15))
        assert signed_in_officer.get(HOME).status_code == 200
    time_machine.shift(timedelta(minutes=20))
    assert signed_in_officer.get(HOME).status_code == 302


def test_an_htmx_request_after_the_timeout_is_told_to_go_to_sign_in(
    signed_in_officer, time_machine
):
    time_machine.shift(timedelta(minutes=31))
    response = signed_in_officer.get(HOME, HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("account_login")


def test_idle_timeout_is_a_setting(signed_in_officer, time_machine, settings):
    settings.SESSION_IDLE_TIMEOUT = timedelta(minutes=5)
    time_machine.shift(timedelta(minutes=6))
    assert signed_in_officer.get(HOME).status_code == 302
