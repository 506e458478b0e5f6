"""The case lists write one access-log row per page load with how many rows matched, never the
filters (issue 5: "list result sets: how many rows, not the query text")."""

from audit.models import AccessLog
from tests.cases.test_caseload import CASE_LIST, CASELOAD, open_case


def list_rows() -> list[dict]:
    return [row.detail for row in AccessLog.objects.filter(action=AccessLog.Action.LIST)]


def test_the_case_list_logs_how_many_cases_matched_across_pages(client, clinician, supervisor):
    for index in range(27):
        open_case(actor=supervisor, worker=clinician, risk=("high", "low", "low")[index % 3])
    client.force_login(clinician)

    client.get(CASE_LIST)
    client.get(CASE_LIST, {"page": 2})
    client.get(CASE_LIST, {"risk": "high"}, headers={"HX-Request": "true"})

    assert list_rows() == [
        {"list": "case_list", "count": 9},
        {"list": "case_list", "count": 27},
        {"list": "case_list", "count": 27},
    ]
    [latest, *_] = AccessLog.objects.filter(action=AccessLog.Action.LIST)
    assert latest.user == clinician
    assert "high" not in str(latest.detail)  # the filter is not logged


def test_my_caseload_logs_its_count_and_a_supervisor_the_team_shown(client, clinician, supervisor):
    open_case(actor=supervisor, worker=clinician)
    open_case(actor=supervisor, worker=clinician)
    open_case(actor=supervisor, worker=supervisor)

    client.force_login(clinician)
    client.get(CASELOAD)
    client.force_login(supervisor)
    client.get(CASELOAD, {"status": "all"})

    assert list_rows() == [
        {"list": "caseload", "count": 1, "team_workers": 2},
        {"list": "caseload", "count": 2},
    ]


def test_a_refused_list_logs_no_count(client, officer):
    client.force_login(officer)
    assert client.get(CASE_LIST).status_code == 403
    assert client.get(CASELOAD).status_code == 403
    assert list_rows() == []
