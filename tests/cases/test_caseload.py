"""My caseload, the supervisor's team caseloads, the case list, tasks and the home page's
"My tasks" (issue 4)."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.models import Unit
from cases import casework, selectors_caseload
from cases.models import Case, CaseType, ContactPerson, Task
from tests import factories

CASELOAD = reverse("cases:caseload")
CASE_LIST = reverse("cases:case_list")
HOME = reverse("home")
TODAY = timezone.localdate()


def no_jit_queries() -> int:
    """On PostgreSQL the case reads switch JIT off in a savepoint: savepoint, set, release."""
    return 3 if connection.vendor == "postgresql" else 0


def list_log_queries() -> int:
    """The page's LIST access-log row (issue 5): the previous row's hash and the insert (+1 on
    PostgreSQL: the chain's advisory lock)."""
    return 2 + (connection.vendor == "postgresql")


def open_case(*, actor, worker, unit="clinical-support", risk="low", team=(), person=None, **kw):
    return casework.case_open(
        actor=actor,
        unit=Unit.objects.get(code=unit),
        case_type=CaseType.objects.get(code="youth-support"),
        reason="Needs support.",
        person=person
        or factories.person(first_name="Sam", last_name=f"Case{Case.objects.count()}"),
        risk=risk,
        assigned_to=worker,
        team=list(team),
        **kw,
    )


def add_task(case, *, due_in, assignee=None, done=False, title="Follow up"):
    return Task.objects.create(
        title=title,
        due_on=TODAY + timedelta(days=due_in),
        assignee=assignee or case.assigned_to,
        case=case,
        done_at=timezone.now() if done else None,
    )


def contact_days_ago(case, days, *, author, finish=True):
    return factories.contact(
        author=author,
        people=[case.person],
        finish=finish,
        occurred_at=timezone.now() - timedelta(days=days),
    )


def day(value) -> str:
    return value.strftime("%Y-%m-%d")


def row_ids(response) -> list[int]:
    return [case.pk for case in response.context["rows"]]


@pytest.fixture
def signed_in(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


# --- my caseload ------------------------------------------------------------------------------


def test_my_caseload_shows_last_contact_next_task_and_flags(
    signed_in, clinician, supervisor, officer
):
    person = factories.person(
        first_name="Ana", last_name="Ruiz", flags=["juvenile", "substance-use"]
    )
    case = open_case(actor=supervisor, worker=clinician, risk="high", person=person)
    contact_days_ago(case, 5, author=officer)
    contact_days_ago(case, 1, author=officer, finish=False)  # a draft is no contact yet
    unlinked = contact_days_ago(case, 2, author=officer)
    link = ContactPerson.objects.get(contact=unlinked)
    link.removed_at = timezone.now()  # added by mistake: not her contact
    link.save()
    add_task(case, due_in=3)
    add_task(case, due_in=1, done=True)

    response = signed_in(clinician).get(CASELOAD)

    html = response.content.decode()
    assert row_ids(response) == [case.pk]
    row = response.context["rows"][0]
    assert day(timezone.localtime(row.last_contact)) == day(TODAY - timedelta(days=5))
    assert row.next_due == TODAY + timedelta(days=3)
    assert not row.overdue
    assert "Ana Ruiz" in html
    assert day(TODAY + timedelta(days=3)) in html
    assert "Juvenile" in html
    assert "Substance use" in html  # clinicians see restricted flags


def test_my_caseload_leaves_out_a_colleagues_cases_and_closed_ones(
    signed_in, clinician, clinician_other_unit, supervisor
):
    mine = open_case(actor=supervisor, worker=clinician)
    theirs = open_case(actor=supervisor, worker=clinician_other_unit, unit="social-justice")
    # A colleague's case in my own unit: I may see it, but it is not my caseload.
    colleague = factories.UserFactory(role="clinician", units=("clinical-support",))
    unit_colleague = open_case(actor=supervisor, worker=colleague)
    closed = open_case(actor=supervisor, worker=clinician)
    closed.status = Case.Status.CLOSED
    closed.save()

    client = signed_in(clinician)

    assert row_ids(client.get(CASELOAD)) == [mine.pk]
    every_status = row_ids(client.get(CASELOAD, {"status": "all"}))
    assert sorted(every_status) == sorted([mine.pk, closed.pk])
    assert theirs.pk not in every_status and unit_colleague.pk not in every_status


def test_an_intern_s_caseload_is_the_cases_she_is_on_the_team_of(signed_in, case, intern):
    assert row_ids(signed_in(intern).get(CASELOAD)) == [case.pk]


def test_restricted_flags_are_hidden_from_who_may_not_see_them(officer, supervisor, clinician):
    person = factories.person(flags=["juvenile", "substance-use"])
    open_case(actor=supervisor, worker=clinician, team=[officer], person=person)

    [row] = selectors_caseload.caseload_rows(officer)

    assert [flag.code for flag in row.person.shown_flags] == ["juvenile"]


def test_caseload_filters_overdue_no_contact_risk_and_unit(
    signed_in, supervisor, clinician, officer
):
    clinician.units.add(Unit.objects.get(code="family-justice"))
    late = open_case(actor=supervisor, worker=clinician, risk="high")
    add_task(late, due_in=-2)
    add_task(late, due_in=5)
    contact_days_ago(late, 3, author=officer)
    quiet = open_case(actor=supervisor, worker=clinician, unit="family-justice")
    contact_days_ago(quiet, 45, author=officer)
    never = open_case(actor=supervisor, worker=clinician, risk="moderate")
    client = signed_in(clinician)

    assert row_ids(client.get(CASELOAD, {"overdue": "on"})) == [late.pk]
    assert client.get(CASELOAD, {"overdue": "on"}).context["rows"][0].overdue
    no_contact = row_ids(client.get(CASELOAD, {"no_contact_days": 30}))
    assert sorted(no_contact) == sorted([quiet.pk, never.pk])
    assert row_ids(client.get(CASELOAD, {"risk": "moderate"})) == [never.pk]
    family = Unit.objects.get(code="family-justice")
    assert row_ids(client.get(CASELOAD, {"unit": family.pk})) == [quiet.pk]


def test_caseload_sorts_by_risk_last_contact_next_due_and_opened(
    signed_in, supervisor, clinician, officer
):
    low = open_case(actor=supervisor, worker=clinician, opened_on=TODAY - timedelta(days=1))
    high = open_case(actor=supervisor, worker=clinician, risk="high", opened_on=TODAY)
    moderate = open_case(
        actor=supervisor, worker=clinician, risk="moderate", opened_on=TODAY - timedelta(days=9)
    )
    contact_days_ago(low, 20, author=officer)
    contact_days_ago(high, 2, author=officer)  # ``moderate`` never had a contact
    add_task(low, due_in=1)
    add_task(moderate, due_in=4)  # ``high`` has no open task
    client = signed_in(clinician)

    assert row_ids(client.get(CASELOAD)) == [high.pk, moderate.pk, low.pk]
    by_contact = row_ids(client.get(CASELOAD, {"sort": "last_contact"}))
    assert by_contact == [moderate.pk, low.pk, high.pk]
    assert row_ids(client.get(CASELOAD, {"sort": "next_due"})) == [low.pk, moderate.pk, high.pk]
    assert row_ids(client.get(CASELOAD, {"sort": "opened"})) == [high.pk, low.pk, moderate.pk]


def test_a_bad_filter_value_falls_back_to_the_default(signed_in, case, clinician):
    response = signed_in(clinician).get(CASELOAD, {"risk": "extreme", "no_contact_days": "x"})
    assert response.status_code == 200
    assert row_ids(response) == [case.pk]


def test_an_htmx_filter_gets_only_the_table(signed_in, case, clinician):
    response = signed_in(clinician).get(CASELOAD, {"sort": "opened"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'data-testid="case-table"' in html
    assert "<html" not in html and "<form" not in html


# --- the supervisor's team caseloads ------------------------------------------------------------


def test_a_supervisor_sees_each_workers_counts(signed_in, supervisor, clinician, officer):
    other = factories.UserFactory(role="clinician", units=("social-justice",))
    high = open_case(actor=supervisor, worker=clinician, risk="high")
    add_task(high, due_in=-1)
    add_task(high, due_in=-3)
    add_task(high, due_in=-3, done=True)
    contact_days_ago(high, 2, author=officer)
    open_case(actor=supervisor, worker=clinician, risk="moderate")  # no contact ever
    quiet = open_case(actor=supervisor, worker=other, unit="social-justice")
    contact_days_ago(quiet, 31, author=officer)
    closed = open_case(actor=supervisor, worker=other, risk="high", unit="social-justice")
    closed.status = Case.Status.CLOSED
    closed.save()

    response = signed_in(supervisor).get(CASELOAD)

    loads = {load.worker: load for load in response.context["team"]}
    assert set(loads) == {clinician, other}
    mine = loads[clinician]
    assert (mine.high, mine.moderate, mine.low, mine.open_cases) == (1, 1, 0, 2)
    assert (mine.overdue_tasks, mine.no_contact) == (2, 1)
    theirs = loads[other]
    assert (theirs.high, theirs.low, theirs.overdue_tasks, theirs.no_contact) == (0, 1, 0, 1)
    html = response.content.decode()
    assert 'data-testid="team-caseloads"' in html
    assert f"{CASE_LIST}?worker={other.pk}" in html


def test_a_clinician_does_not_see_the_team_section(signed_in, case, clinician):
    response = signed_in(clinician).get(CASELOAD)
    assert response.context["team"] == []
    assert "team-caseloads" not in response.content.decode()


# --- the case list ------------------------------------------------------------------------------


def test_a_clinician_of_another_unit_does_not_see_the_clinical_support_case(
    signed_in, case, clinician_other_unit, supervisor
):
    theirs = open_case(actor=supervisor, worker=None, unit="social-justice")
    response = signed_in(clinician_other_unit).get(CASE_LIST)
    assert row_ids(response) == [theirs.pk]
    assert case.person.full_name not in response.content.decode()


def test_an_intern_lists_only_the_cases_she_is_on(signed_in, case, intern, supervisor, clinician):
    open_case(actor=supervisor, worker=clinician)  # her supervising clinician's, not hers
    assert row_ids(signed_in(intern).get(CASE_LIST)) == [case.pk]


def test_a_supervisor_filters_the_case_list_by_worker(signed_in, case, supervisor, clinician):
    other = factories.UserFactory(role="clinician", units=("social-justice",))
    theirs = open_case(actor=supervisor, worker=other, unit="social-justice")
    client = signed_in(supervisor)
    assert sorted(row_ids(client.get(CASE_LIST))) == sorted([case.pk, theirs.pk])
    assert row_ids(client.get(CASE_LIST, {"worker": other.pk})) == [theirs.pk]


def test_the_case_list_pages_by_25(signed_in, supervisor, clinician):
    for _ in range(27):
        open_case(actor=supervisor, worker=clinician)
    client = signed_in(supervisor)
    first = client.get(CASE_LIST)
    assert len(first.context["rows"]) == 25
    assert "page=2" in first.content.decode()
    assert len(client.get(CASE_LIST, {"page": 2}).context["rows"]) == 2


# --- tasks --------------------------------------------------------------------------------------


def task_url(case):
    return reverse("cases:task_create", args=[case.pk])


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_a_task_is_added_for_a_team_member(signed_in, case, clinician, intern):
    due = TODAY + timedelta(days=7)
    response = signed_in(clinician).post(
        task_url(case), {"title": "Call the school", "due_on": due, "assignee": intern.pk}
    )
    assert response["Location"] == reverse("cases:case_detail", args=[case.pk])
    task = Task.objects.get(case=case)
    assert (task.title, task.due_on, task.assignee, task.created_by) == (
        "Call the school",
        due,
        intern,
        clinician,
    )
    assert messages_of(response) == ["Task added."]


def test_a_task_due_before_the_case_opened_is_refused_with_a_message(
    signed_in, supervisor, clinician
):
    case = open_case(actor=supervisor, worker=clinician, opened_on=TODAY - timedelta(days=10))
    response = signed_in(clinician).post(
        task_url(case),
        {"title": "Backdated", "due_on": TODAY - timedelta(days=11), "assignee": clinician.pk},
    )
    assert response.status_code == 302
    assert not Task.objects.exists()
    [message] = messages_of(response)
    assert message.startswith("A task cannot be due before the case opened")


def test_a_task_for_someone_off_the_case_is_refused(signed_in, case, clinician, officer):
    response = signed_in(clinician).post(
        task_url(case), {"title": "X", "due_on": TODAY, "assignee": officer.pk}
    )
    assert response.status_code == 302
    assert not Task.objects.exists()
    assert any("Assigned to" in message for message in messages_of(response))


def test_the_task_form_offers_the_case_team_and_defaults_to_me(case, supervisor, clinician, intern):
    from cases.forms_caseload import TaskForm

    form = TaskForm(case=case, user=supervisor)
    assert set(form.fields["assignee"].queryset) == {clinician, intern, supervisor}
    assert form.initial["assignee"] == supervisor.pk


def test_a_task_is_marked_done_and_reopened(signed_in, task, clinician, case):
    client = signed_in(clinician)
    done_url = reverse("cases:task_done", args=[task.pk])

    response = client.post(done_url)
    task.refresh_from_db()
    assert task.is_done and task.done_by == clinician
    assert response["Location"] == reverse("cases:case_detail", args=[case.pk])

    client.post(done_url, {"done": "1"})  # a double click changes nothing
    task.refresh_from_db()
    assert task.is_done

    client.post(done_url, {"done": "0", "next": HOME})
    task.refresh_from_db()
    assert not task.is_done and task.done_by is None
    assert task.history.count() == 3


def test_task_done_follows_only_a_local_next(signed_in, task, clinician):
    client = signed_in(clinician)
    url = reverse("cases:task_done", args=[task.pk])
    assert client.post(url, {"next": HOME})["Location"] == HOME
    evil = client.post(url, {"next": "https://evil.example/"})
    assert evil["Location"] == reverse("cases:case_detail", args=[task.case_id])


def test_an_officer_cannot_mark_a_task_on_a_case_she_does_not_see(signed_in, task, officer):
    response = signed_in(officer).post(reverse("cases:task_done", args=[task.pk]))
    assert response.status_code == 404
    task.refresh_from_db()
    assert not task.is_done


# --- home: my tasks -----------------------------------------------------------------------------


def test_home_lists_my_open_tasks_overdue_first(signed_in, case, clinician, intern):
    soon = add_task(case, due_in=1, title="Soon")
    late = add_task(case, due_in=-4, title="Late")
    later = add_task(case, due_in=9, title="Later")
    add_task(case, due_in=-9, title="Already done", done=True)
    add_task(case, due_in=-9, title="The intern's", assignee=intern)

    response = signed_in(clinician).get(HOME)

    assert [t.pk for t in response.context["tasks"]] == [late.pk, soon.pk, later.pk]
    html = response.content.decode()
    assert html.index("Late") < html.index("Soon") < html.index("Later")
    assert "Already done" not in html and "The intern" not in html
    assert reverse("cases:task_done", args=[late.pk]) in html
    assert reverse("cases:case_detail", args=[case.pk]) in html


def test_an_officer_home_has_no_task_list(signed_in, officer):
    response = signed_in(officer).get(HOME)
    assert "tasks" not in response.context
    assert "my-tasks-heading" not in response.content.decode()


# --- fixed query counts ---------------------------------------------------------------------------


def make_cases(count, *, supervisor, worker, officer):
    for index in range(count):
        case = open_case(
            actor=supervisor,
            worker=worker,
            risk=("low", "moderate", "high")[index % 3],
            person=factories.person(first_name="Q", last_name=f"Count{index}", flags=["juvenile"]),
        )
        contact_days_ago(case, index % 40, author=officer)
        add_task(case, due_in=(index % 5) - 2)


@pytest.mark.parametrize("count", [3, 30])
def test_caseload_runs_a_fixed_number_of_queries(
    count, signed_in, supervisor, clinician, officer, django_assert_max_num_queries
):
    make_cases(count, supervisor=supervisor, worker=supervisor, officer=officer)
    client = signed_in(supervisor)
    # 5 per request: session, user, user and group permissions, roles; 3 for the session's
    # write-back (savepoint, update, release). The caseload: the cases (last contact, next due
    # and overdue are subqueries of that one query), their people's flags. The team: the
    # supervisor's unit ids, case counts per worker, overdue task counts, the workers. The
    # filter form's units. (+3 on PostgreSQL: JIT off.) The LIST row with the count.
    with django_assert_max_num_queries(15 + no_jit_queries() + list_log_queries()):
        response = client.get(CASELOAD, {"status": "all"})
    assert len(response.context["rows"]) == count
    assert response.context["team"][0].open_cases == count


@pytest.mark.parametrize("count", [3, 30])
def test_case_list_runs_a_fixed_number_of_queries(
    count, signed_in, supervisor, clinician, officer, django_assert_max_num_queries
):
    make_cases(count, supervisor=supervisor, worker=clinician, officer=officer)
    client = signed_in(clinician)
    # 5 per request: session, user, user and group permissions, roles; 3 for the session's
    # write-back. The clinician's unit ids (visibility), the count, the page (last contact,
    # next due and overdue are subqueries of it), the flags; the filter form's units (no worker
    # choices for a clinician); the navigation's clinical-unit check (the Consultations link).
    # (+3 on PostgreSQL: JIT off.) The LIST row with the count.
    with django_assert_max_num_queries(14 + no_jit_queries() + list_log_queries()):
        response = client.get(CASE_LIST)
    assert len(response.context["rows"]) == min(count, 25)


@pytest.mark.parametrize("count", [3, 30])
def test_home_my_tasks_runs_a_fixed_number_of_queries(
    count, signed_in, supervisor, clinician, officer, django_assert_max_num_queries
):
    make_cases(count, supervisor=supervisor, worker=clinician, officer=officer)
    client = signed_in(clinician)
    # 5 per request: session, user, roles, user and group permissions; 3 for the session's
    # write-back. Drafts; unit ids (task visibility); my tasks with their case and person, in
    # one query; the consultation sections (2 clinical-unit checks, the asked, the waiting).
    with django_assert_max_num_queries(15):
        response = client.get(HOME)
    assert len(response.context["tasks"]) == min(count, 20)
