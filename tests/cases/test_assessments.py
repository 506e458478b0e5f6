import copy
import json
import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from audit.models import AccessLog
from cases import assessments
from cases.instruments import InstrumentFileError, load_definition
from cases.models import Assessment, Instrument, InstrumentVersion, Task
from cases.scoring import AnswerError, score
from cases.services import CasesError
from tests.factories import UserFactory

LAP_ALL_NO = {f"q{n}": "no" for n in range(1, 12)}
CSSRS_HIGH = {"q1": "yes", "q2": "yes", "q3": "yes", "q4": "yes", "q5": "no", "q6": "no"}


def new_url(code, person, case=None):
    query = f"?person={person.pk}" + (f"&case={case.pk}" if case else "")
    return reverse("cases:assessment_create", args=[code]) + query


def detail_url(assessment):
    return reverse("cases:assessment_detail", args=[assessment.pk])


def version(code, number="1"):
    return InstrumentVersion.objects.get(instrument__code=code, version=number)


def record(actor, person, code, answers, case=None, number="1"):
    return assessments.assessment_record(
        actor=actor,
        person=person,
        case=case,
        instrument_version=version(code, number),
        raw_answers=answers,
    )


def radio_checked(html, name, value):
    """True when the radio button ``name``=``value`` is rendered checked."""
    for tag in re.findall(r"<input[^>]*>", html):
        if f'name="{name}"' in tag and f'value="{value}"' in tag:
            return " checked" in tag
    raise AssertionError(f"no radio {name}={value}")


# --- recording ---------------------------------------------------------------------------------


def test_an_officer_records_a_lap_screen_and_sees_the_result(client, officer, person):
    client.force_login(officer)
    answers = {**LAP_ALL_NO, "q2": "yes", "worries": "He said he has a gun now."}
    response = client.post(new_url("lap", person), {**answers, "spoke_with_hotline": "yes"})

    assessment = Assessment.objects.get()
    assert response["Location"] == detail_url(assessment)
    assert assessment.instrument_version == version("lap")
    assert assessment.performed_by == officer and assessment.person == person
    assert assessment.case is None
    assert assessment.answers["q2"] == "yes" and assessment.answers["officer_belief"] is False
    assert assessment.result_code == "screened_in_protocol"
    assert assessment.result_details["path"] == "protocol_q1_q3"
    page = client.get(detail_url(assessment)).content.decode()
    assert "Screened in according to the protocol" in page
    assert "Protocol: a Yes to one of questions 1–3" in page
    assert re.search(r'data-testid="hotline">\s*Yes', page)
    assert "He said he has a gun now." in page
    assert "Version 1" in page


def test_four_yes_answers_among_questions_4_to_11_screen_in_by_the_protocol(officer, person):
    answers = {**LAP_ALL_NO, "q4": "yes", "q5": "yes", "q8": "yes", "q11": "yes"}
    assessment = record(officer, person, "lap", answers)
    assert assessment.result_code == "screened_in_protocol"
    assert assessment.result_details == {
        "high_danger_yes": [],
        "other_yes_count": 4,
        "spoke_with_hotline": None,
        "path": "protocol_q4_q11",
    }


def test_the_officer_may_screen_in_on_belief(client, officer, person):
    assessment = record(officer, person, "lap", {**LAP_ALL_NO, "officer_belief": "on"})
    assert assessment.result_code == "screened_in_belief"
    client.force_login(officer)
    page = client.get(detail_url(assessment)).content.decode()
    assert "The officer&#x27;s belief" in page or "The officer's belief" in page
    assert re.search(r'data-testid="hotline">\s*Not recorded', page)


def test_a_clinician_records_a_suicide_risk_screen_on_her_case(client, clinician, case):
    client.force_login(clinician)
    answers = {"q1": "yes", "q2": "no", "q6": "yes", "q6_recent": "no"}
    response = client.post(new_url("cssrs-screener", case.person, case), answers)

    assessment = Assessment.objects.get()
    assert response["Location"] == detail_url(assessment)
    assert assessment.case == case
    assert assessment.instrument_version == version("cssrs-screener")
    assert assessment.result_code == "moderate"
    assert not Task.objects.filter(urgent=True).exists()  # only a high result is urgent
    page = client.get(detail_url(assessment)).content.decode()
    assert "Moderate risk: further evaluation" in page
    assert page.count("Not asked") == 3  # q3–q5 are skipped after No to question 2


def test_a_high_suicide_risk_screen_creates_an_urgent_task_for_the_case_worker(
    client, intern, clinician, case
):
    client.force_login(intern)
    client.post(new_url("cssrs-screener", case.person, case), CSSRS_HIGH)

    assessment = Assessment.objects.get()
    assert assessment.result_code == "high"
    task = Task.objects.get(urgent=True)
    assert task.assignee == clinician  # the case's assigned worker, not the intern
    assert task.case == case
    assert task.due_on == timezone.localdate()
    assert task.created_by == intern
    assert task.title == "Urgent: behavioural-health evaluation for Maria Santos"


def test_a_high_screen_by_an_officer_without_a_case_goes_to_a_clinical_supervisor(
    officer, supervisor, person
):
    record(officer, person, "cssrs-screener", CSSRS_HIGH)
    task = Task.objects.get(urgent=True)
    assert task.assignee == supervisor  # member of the Clinical Support Unit
    assert task.case is None


def test_a_high_screen_by_a_clinician_without_a_case_stays_with_her(clinician, person):
    record(clinician, person, "cssrs-screener", CSSRS_HIGH)
    assert Task.objects.get(urgent=True).assignee == clinician


# --- bad answers ---------------------------------------------------------------------------------


def test_missing_answers_come_back_with_a_message_and_keep_what_was_entered(
    client, officer, person
):
    client.force_login(officer)
    answers = {**LAP_ALL_NO, "q1": "yes", "worries": "Threats by text message."}
    del answers["q3"], answers["q7"]
    response = client.post(new_url("lap", person), answers)

    assert response.status_code == 200
    assert not Assessment.objects.exists()
    html = response.content.decode()
    assert re.search(r'id="q3-error">\s*An answer is required', html)
    assert re.search(r'id="q7-error">\s*An answer is required', html)
    assert 'href="#question-q3"' in html  # the summary links to the question
    q3_inputs = [tag for tag in re.findall(r"<input[^>]*>", html) if 'name="q3"' in tag]
    assert q3_inputs and all('aria-invalid="true"' in tag for tag in q3_inputs)
    assert radio_checked(html, "q1", "yes")
    assert not radio_checked(html, "q1", "no")
    assert radio_checked(html, "q2", "no")
    assert "Threats by text message." in html


def test_an_answer_of_the_wrong_kind_is_refused_at_its_question(client, officer, person):
    client.force_login(officer)
    response = client.post(new_url("lap", person), {**LAP_ALL_NO, "q4": "maybe"})
    assert re.search(r'id="q4-error">\s*Not one of the allowed answers', response.content.decode())
    assert not Assessment.objects.exists()


def test_the_service_names_each_bad_answer(officer, person):
    with pytest.raises(AnswerError) as error:
        record(officer, person, "cssrs-screener", {"q1": "sometimes", "q2": "yes"})
    assert set(error.value.errors) == {"q1", "q3", "q4", "q5", "q6"}
    assert not Assessment.objects.exists()


def test_a_skipped_question_is_shown_with_when_it_is_needed(client, officer, person):
    client.force_login(officer)
    html = client.get(new_url("cssrs-screener", person)).content.decode()
    assert html.count("Only needed when the answer to question 2 is “Yes”.") == 3
    assert "Only needed when the answer to question 6 is “Yes”." in html


# --- refusals -------------------------------------------------------------------------------------


def test_without_a_person_the_page_points_to_person_search(client, officer):
    client.force_login(officer)
    response = client.get(reverse("cases:assessment_create", args=["lap"]))
    assert response.status_code == 200
    assert reverse("cases:person_search") in response.content.decode()
    assert "<form" not in response.content.decode().split('id="main"')[1]


def test_an_unknown_or_retired_instrument_answers_404(client, officer, person):
    client.force_login(officer)
    assert client.get(new_url("no-such-screen", person)).status_code == 404
    lap = Instrument.objects.get(code="lap")
    lap.active = False
    lap.save()
    assert client.get(new_url("lap", person)).status_code == 404


def test_a_case_of_another_person_answers_404(client, clinician, case):
    from tests.factories import person as make_person

    other = make_person(first_name="Jon", last_name="Other")
    client.force_login(clinician)
    assert client.get(new_url("cssrs-screener", other, case)).status_code == 404


def test_the_service_refuses_a_case_or_person_the_actor_cannot_see(officer, intern, case, person):
    with pytest.raises(CasesError):
        record(officer, person, "lap", LAP_ALL_NO, case=case)  # the officer is not on it
    from tests.factories import person as make_person

    stranger = make_person(first_name="Jon", last_name="Other")
    with pytest.raises(CasesError):
        record(intern, stranger, "lap", LAP_ALL_NO)  # not on the intern's care team
    assert not Assessment.objects.exists()


# --- versions ----------------------------------------------------------------------------------


def cssrs_v2():
    """A changed C-SSRS: question 1 reworded and question 3 asked of everyone."""
    definition = copy.deepcopy(version("cssrs-screener").definition)
    definition["version"] = "2"
    definition["questions"][0]["text"] = "In the past month, have you wished you were dead?"
    del definition["questions"][2]["asked_if"]
    return definition


def test_a_changed_instrument_is_a_new_version_and_old_answers_keep_theirs(
    client, supervisor, assessment
):
    v2, created = load_definition(apps, cssrs_v2())
    assert created and assessments.latest_version("cssrs-screener") == v2
    client.force_login(supervisor)
    person, case = assessment.person, assessment.case

    # Under v2 question 3 is needed even after No to question 2; under v1 it was skipped.
    answers = {"q1": "yes", "q2": "no", "q6": "no"}
    response = client.post(new_url("cssrs-screener", person, case), answers)
    assert re.search(r'id="q3-error">\s*An answer is required', response.content.decode())
    client.post(new_url("cssrs-screener", person, case), {**answers, "q3": "yes"})
    new = Assessment.objects.exclude(pk=assessment.pk).get()
    assert new.instrument_version == v2
    assert new.result_code == "moderate"

    assessment.refresh_from_db()
    assert assessment.instrument_version.version == "1"
    assert score(assessment.instrument_version.definition, assessment.answers).code == (
        assessment.result_code
    )
    old_page = client.get(detail_url(assessment)).content.decode()
    assert "Have you wished you were dead or wished you could go to sleep" in old_page
    assert "In the past month, have you wished you were dead?" not in old_page
    assert "Version 1" in old_page and "Moderate risk" in old_page
    new_page = client.get(detail_url(new)).content.decode()
    assert "In the past month, have you wished you were dead?" in new_page
    assert "Version 2" in new_page


def test_a_changed_definition_under_an_existing_version_is_refused(db):
    definition = copy.deepcopy(version("cssrs-screener").definition)
    assert load_definition(apps, definition)[1] is False  # the same file loads as a no-op
    definition["questions"][0]["text"] = "Reworded without a new version."
    with pytest.raises(InstrumentFileError):
        load_definition(apps, definition)
    assert version("cssrs-screener").definition["questions"][0]["text"].startswith("Have you")


def test_the_load_instrument_command_loads_a_file_and_refuses_a_changed_one(db, tmp_path, capsys):
    path = tmp_path / "cssrs-2.json"
    path.write_text(json.dumps(cssrs_v2()), encoding="utf-8")
    call_command("load_instrument", str(path))
    assert "loaded" in capsys.readouterr().out
    assert version("cssrs-screener", "2").definition == cssrs_v2()
    call_command("load_instrument", str(path))
    assert "already loaded, unchanged" in capsys.readouterr().out

    changed = {**cssrs_v2(), "name": "Renamed under the same version"}
    path.write_text(json.dumps(changed), encoding="utf-8")
    with pytest.raises(CommandError, match="new version"):
        call_command("load_instrument", str(path))
    assert InstrumentVersion.objects.filter(instrument__code="cssrs-screener").count() == 2


# --- who sees an assessment ------------------------------------------------------------------


@pytest.fixture
def officers_lap(officer, person):
    return record(officer, person, "lap", {**LAP_ALL_NO, "q1": "yes"})


def test_the_officer_who_ran_a_lap_screen_sees_it_and_the_view_is_logged(
    client, officer, officers_lap
):
    client.force_login(officer)
    assert client.get(detail_url(officers_lap)).status_code == 200
    log = AccessLog.objects.get(action=AccessLog.Action.VIEW, object_id=str(officers_lap.pk))
    assert log.user == officer


def test_another_officer_cannot_see_an_officers_lap_screen(client, officers_lap):
    client.force_login(UserFactory(role=Role.OFFICER, units=("family-justice",)))
    assert client.get(detail_url(officers_lap)).status_code == 404


@pytest.mark.parametrize("persona", ["clinician_other_unit", "partner", "admin_user", "officer"])
def test_outsiders_cannot_see_an_assessment_on_a_case(persona, as_persona, assessment):
    assert as_persona(persona).get(detail_url(assessment)).status_code == 404
    assert not AccessLog.objects.filter(object_id=str(assessment.pk), action="view").exists()


def test_the_intern_on_the_case_sees_its_assessment(client, intern, assessment):
    client.force_login(intern)
    response = client.get(detail_url(assessment))
    assert response.status_code == 200
    assert "Moderate risk: further evaluation" in response.content.decode()


def test_the_list_shows_only_what_the_user_may_open(officer, clinician, officers_lap, assessment):
    assert list(assessments.assessments_visible_to(officer)) == [officers_lap]
    mine = assessments.assessments_visible_to(clinician, case=assessment.case)
    assert list(mine) == [assessment]
    # A clinician sees a screen outside any case about a person she may see.
    assert set(assessments.assessments_visible_to(clinician, person=assessment.person)) == {
        assessment,
        officers_lap,
    }


def test_the_fragment_lists_assessments_and_links_to_new_screens(clinician, assessment):
    listed = list(assessments.assessments_visible_to(clinician, case=assessment.case))
    html = render_to_string(
        "cases/_assessments.html",
        {
            "assessments": listed,
            "assessment_person": assessment.person,
            "assessment_case": assessment.case,
        },
    )
    assert detail_url(assessment) in html
    assert "Moderate risk: further evaluation" in html
    query = f"?person={assessment.person.pk}&amp;case={assessment.case.pk}"
    assert reverse("cases:assessment_create", args=["lap"]) + query in html
    assert reverse("cases:assessment_create", args=["cssrs-screener"]) + query in html
    empty = render_to_string("cases/_assessments.html", {"assessments": []})
    assert "No assessments." in empty and "Run LAP screen" not in empty


@pytest.mark.parametrize("extra", [0, 10])
def test_the_assessment_page_runs_a_fixed_number_of_queries(
    extra, client, clinician, assessment, django_assert_max_num_queries
):
    for _ in range(extra):
        record(clinician, assessment.person, "cssrs-screener", CSSRS_HIGH, case=assessment.case)
    client.force_login(clinician)
    # The session and the user (2); the user's role names and permissions (3); the user's
    # units for the case rule (1); the assessment with its version, instrument, author, person
    # and case through the visible queryset (1: the case and person rules are subqueries); the
    # access-log's content type (1, until cached), chain head (1; +1 on PostgreSQL: the chain
    # lock) and insert (1); the session's idle-timeout write in a savepoint (3). However many
    # questions or other assessments there are.
    with django_assert_max_num_queries(13 + (connection.vendor == "postgresql")):
        assert client.get(detail_url(assessment)).status_code == 200


# --- markup -----------------------------------------------------------------------------------


class _FormMarkup(HTMLParser):
    def __init__(self):
        super().__init__()
        self.labels: set[str] = set()
        self.controls: list[str] = []
        self.fieldsets = self.legends = 0
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "label" and attrs.get("for"):
            self.labels.add(attrs["for"])
        if tag in ("input", "textarea") and attrs.get("type") not in ("hidden", "submit"):
            self.controls.append(attrs.get("id", ""))
        self.fieldsets += tag == "fieldset"
        self.legends += tag == "legend"
        self.scripts += tag == "script" and "src" not in attrs


@pytest.mark.parametrize("code", ["lap", "cssrs-screener"])
def test_every_question_is_a_fieldset_with_a_legend_and_every_control_a_label(
    code, client, officer, person
):
    client.force_login(officer)
    html = client.get(new_url(code, person)).content.decode()
    form = html[html.index('id="assessment-form"') :]
    markup = _FormMarkup()
    markup.feed(form)
    questions = len(version(code).definition["questions"])
    assert markup.fieldsets == markup.legends == questions
    assert markup.controls and all(control in markup.labels for control in markup.controls)
    markup = _FormMarkup()
    markup.feed(html)
    assert markup.scripts == 0  # no inline scripts


def test_a_double_submitted_screen_records_one_assessment_and_one_urgent_task(
    client, clinician, case
):
    from cases.models import Assessment, Task

    client.force_login(clinician)
    url = reverse("cases:assessment_create", args=["cssrs-screener"])
    url += f"?person={case.person.pk}&case={case.pk}"
    data = {
        "submission_key": "0b0c4b6e-8f51-4a55-a8a6-0d1f3e5a9c21",
        "q1": "yes",
        "q2": "yes",
        "q3": "yes",
        "q4": "yes",
        "q5": "no",
        "q6": "no",
    }
    first = client.post(url, data)
    second = client.post(url, data)
    assert Assessment.objects.count() == 1
    assert second["Location"] == first["Location"]
    assert Task.objects.filter(urgent=True).count() == 1
