"""Person search is limited per user (issue 5): 30 searches a minute by default, the 31st is
answered 429 with a friendly message and written to the access log as a denied attempt."""

import time_machine
from django.urls import reverse

from audit.models import AccessLog
from cfsj.lib.ratelimit import limit, parse_rate

SEARCH = reverse("cases:person_search")
PICKER = reverse("cases:contact_person_picker")
START = "2025-06-15 12:00:05-04:00"


def denied_searches() -> list[AccessLog]:
    return [
        log
        for log in AccessLog.objects.filter(action=AccessLog.Action.DENIED)
        if log.detail == {"rate_limited": "search"}
    ]


def test_the_31st_search_in_a_minute_is_refused_and_audited(client, officer):
    client.force_login(officer)
    with time_machine.travel(START, tick=False):
        for n in range(30):
            assert client.get(SEARCH, {"q": f"Santos {n}"}).status_code == 200
        response = client.get(SEARCH, {"q": "Santos"})
    assert response.status_code == 429
    assert "Please wait a minute and try again." in response.content.decode()
    [log] = denied_searches()
    assert log.user == officer
    assert "Santos" not in str(log.detail)  # the query text is never logged


def test_an_htmx_search_over_the_limit_gets_the_message_fragment_only(client, officer, settings):
    settings.CFSJ_SEARCH_RATE = "1/m"
    client.force_login(officer)
    with time_machine.travel(START, tick=False):
        client.get(SEARCH, {"q": "Santos"}, headers={"HX-Request": "true"})
        response = client.get(SEARCH, {"q": "Santos"}, headers={"HX-Request": "true"})
    assert response.status_code == 429
    page = response.content.decode()
    assert 'data-testid="rate-limited"' in page
    assert "<html" not in page


def test_the_contact_form_picker_shares_the_search_limit(client, officer, settings):
    settings.CFSJ_SEARCH_RATE = "2/m"
    client.force_login(officer)
    with time_machine.travel(START, tick=False):
        assert client.get(SEARCH, {"q": "Santos"}).status_code == 200
        assert (
            client.get(PICKER, {"q": "Santos"}, headers={"HX-Request": "true"}).status_code == 200
        )
        response = client.get(PICKER, {"q": "Santos"}, headers={"HX-Request": "true"})
    assert response.status_code == 429
    assert 'data-testid="rate-limited"' in response.content.decode()
    assert len(denied_searches()) == 1


def test_opening_the_search_page_without_a_query_does_not_count(client, officer, settings):
    settings.CFSJ_SEARCH_RATE = "1/m"
    client.force_login(officer)
    with time_machine.travel(START, tick=False):
        for _ in range(5):
            assert client.get(SEARCH).status_code == 200
        assert client.get(SEARCH, {"q": "Santos"}).status_code == 200


def test_another_user_is_not_affected(client, officer, clinician, settings):
    settings.CFSJ_SEARCH_RATE = "3/m"
    with time_machine.travel(START, tick=False):
        client.force_login(officer)
        for _ in range(4):
            client.get(SEARCH, {"q": "Santos"})
        assert client.get(SEARCH, {"q": "Santos"}).status_code == 429
        client.force_login(clinician)
        assert client.get(SEARCH, {"q": "Santos"}).status_code == 200


def test_the_limit_lifts_when_the_minute_is_over(client, officer, settings):
    settings.CFSJ_SEARCH_RATE = "3/m"
    client.force_login(officer)
    with time_machine.travel(START, tick=False) as clock:
        for _ in range(3):
            assert client.get(SEARCH, {"q": "Santos"}).status_code == 200
        assert client.get(SEARCH, {"q": "Santos"}).status_code == 429
        clock.shift(61)
        # The session's idle clock moved too; sign in again as the user would.
        client.force_login(officer)
        assert client.get(SEARCH, {"q": "Santos"}).status_code == 200


def test_rates_are_read_as_count_per_period():
    assert parse_rate("30/m") == (30, 60)
    assert parse_rate("10/h") == (10, 3600)
    assert parse_rate("5/10m") == (5, 600)
    for bad in ("30", "thirty/m", "30/w", "0/m", "30/0m"):
        try:
            parse_rate(bad)
        except ValueError:
            continue
        raise AssertionError(f"{bad!r} was accepted")


def test_the_helper_counts_each_scope_separately(rf, officer):
    # Exports will call the same helper with their own scope and rate.
    request = rf.get("/")
    request.user = officer
    with time_machine.travel(START, tick=False):
        assert limit(request, "export", "1/h")
        assert not limit(request, "export", "1/h")
        assert limit(request, "search", "1/m")
