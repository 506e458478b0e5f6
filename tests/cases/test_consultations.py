"""Consultations: an officer asks the Clinical Support Unit; a clinician takes, answers and may
open a case; the officer reads the answer (issue 4)."""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Unit
from accounts.roles import Role
from audit.models import AccessLog
from cases import consultations, services
from cases.models import Case, CaseType, Consultation, ContactType, Disposition, PopulationFlag
from tests import factories

QUEUE = reverse("cases:consultation_queue")
NEW = reverse("cases:consultation_create")


def detail(consultation) -> str:
    return reverse("cases:consultation_detail", args=[consultation.pk])


def action(name: str, consultation) -> str:
    return reverse(f"cases:consultation_{name}", args=[consultation.pk])


@pytest.fixture
def taken(consultation, clinician):
    return consultations.consultation_take(actor=clinician, consultation=consultation)


def test_an_officer_asks_about_a_person_and_lands_on_the_request(client, officer, person):
    client.force_login(officer)
    assert "Ask the Clinical Support Unit" in client.get(NEW, {"person": person.pk}).text
    response = client.post(
        f"{NEW}?person={person.pk}", {"question": "Does she have a clinician?", "urgency": "urgent"}
    )
    consultation = Consultation.objects.get()
    assert response["Location"] == detail(consultation)
    assert consultation.requested_by == officer
    assert consultation.person == person
    assert consultation.urgency == Consultation.Urgency.URGENT
    assert consultation.status == Consultation.Status.OPEN


def test_an_empty_question_is_refused_on_the_form(client, officer, person):
    client.force_login(officer)
    response = client.post(f"{NEW}?person={person.pk}", {"question": " ", "urgency": "routine"})
    assert response.status_code == 200
    assert not Consultation.objects.exists()


def test_the_person_page_links_to_the_request_form(client, officer, person):
    client.force_login(officer)
    page = client.get(reverse("cases:person_detail", args=[person.pk])).text
    assert f"{NEW}?person={person.pk}" in page


def test_a_request_from_a_contact_must_involve_the_person(officer, contact):
    other = factories.person(first_name="Other", last_name="Person")
    with pytest.raises(services.CasesError):
        consultations.consultation_request(
            actor=officer, person=other, question="?", urgency="routine", contact=contact
        )


def test_the_queue_shows_the_request_to_a_clinician_but_not_to_an_officer(
    client, consultation, clinician, officer
):
    client.force_login(clinician)
    assert consultation.question in client.get(QUEUE).text
    client.force_login(officer)
    assert client.get(QUEUE).status_code == 403


def test_the_queue_puts_waiting_emergencies_first_and_old_answers_away(
    client, clinician, officer, person
):
    def ask(question, urgency):
        return consultations.consultation_request(
            actor=officer, person=person, question=question, urgency=urgency
        )

    ask("routine one", "routine")
    ask("emergency one", "emergency")
    answered = ask("answered long ago", "urgent")
    answered = consultations.consultation_answer(
        actor=factories.UserFactory(role=Role.SUPERVISOR), consultation=answered, answer="Done."
    )
    answered.answered_at = timezone.now() - timedelta(days=30)
    answered.save()
    client.force_login(clinician)
    page = client.get(QUEUE).text
    assert page.index("emergency one") < page.index("routine one")
    assert "answered long ago" not in page


def test_take_then_answer_and_the_officer_reads_the_answer(
    client, consultation, clinician, officer
):
    client.force_login(clinician)
    assert client.post(action("take", consultation)).status_code == 302
    client.post(action("answer", consultation), {"answer": "Yes: Morgan sees her weekly."})
    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.ANSWERED
    assert consultation.taken_by == clinician
    assert consultation.answered_at is not None

    client.force_login(officer)
    assert "Morgan sees her weekly" in client.get(detail(consultation)).text
    home = client.get(reverse("home")).text
    assert "My consultation requests" in home
    assert "Morgan sees her weekly" in home


def test_the_officer_gets_no_case_link_nor_any_action(client, consultation, clinician, officer):
    unit = Unit.objects.get(code="clinical-support")
    case = consultations.consultation_open_case(
        actor=clinician,
        consultation=consultation,
        unit=unit,
        case_type=CaseType.objects.get(code="mental-health"),
        reason="Needs follow-up",
        risk="moderate",
    )
    client.force_login(officer)
    page = client.get(detail(consultation)).text
    assert reverse("cases:case_detail", args=[case.pk]) not in page
    assert action("take", consultation) not in page
    assert action("answer", consultation) not in page
    assert client.post(action("take", consultation)).status_code == 403


def test_opening_the_request_is_access_logged(client, consultation, clinician):
    client.force_login(clinician)
    client.get(detail(consultation))
    assert AccessLog.objects.filter(
        user=clinician, action=AccessLog.Action.VIEW, object_id=str(consultation.pk)
    ).exists()


def test_only_the_clinician_who_took_it_or_a_supervisor_answers(taken, supervisor):
    colleague = factories.UserFactory(role=Role.CLINICIAN, units=("clinical-support",))
    with pytest.raises(services.CasesError, match="Take the consultation"):
        consultations.consultation_answer(actor=colleague, consultation=taken, answer="Hi")
    consultations.consultation_answer(actor=supervisor, consultation=taken, answer="Answered.")
    taken.refresh_from_db()
    assert taken.answer == "Answered."
    assert taken.taken_by.username == "p_clinician"  # the supervisor did not take it over


def test_a_clinician_must_take_before_answering_and_cannot_take_it_twice(
    client, consultation, clinician
):
    with pytest.raises(services.CasesError):
        consultations.consultation_answer(actor=clinician, consultation=consultation, answer="x")
    consultations.consultation_take(actor=clinician, consultation=consultation)
    colleague = factories.UserFactory(role=Role.CLINICIAN, units=("clinical-support",))
    with pytest.raises(services.CasesError, match="already took"):
        consultations.consultation_take(actor=colleague, consultation=consultation)


def test_an_empty_answer_is_refused_with_a_message(client, taken, clinician):
    client.force_login(clinician)
    response = client.post(action("answer", taken), {"answer": "  "}, follow=True)
    assert "Write an answer" in response.text
    taken.refresh_from_db()
    assert taken.status == Consultation.Status.TAKEN


def test_a_clinician_opens_a_case_from_the_request(client, consultation, clinician, person):
    client.force_login(clinician)
    response = client.post(
        action("open_case", consultation),
        {
            "unit": Unit.objects.get(code="clinical-support").pk,
            "case_type": CaseType.objects.get(code="mental-health").pk,
            "risk": "moderate",
            "reason": "Several crisis calls this month.",
        },
    )
    consultation.refresh_from_db()
    case = consultation.case
    assert response["Location"] == reverse("cases:case_detail", args=[case.pk])
    assert case.person == person
    assert case.assigned_to == clinician
    assert case.risk == Case.Risk.MODERATE
    assert case.status_changes.count() == 1
    assert consultation.taken_by == clinician
    # A second case from the same request is refused.
    client.post(
        action("open_case", consultation),
        {
            "unit": Unit.objects.get(code="clinical-support").pk,
            "case_type": CaseType.objects.get(code="mental-health").pk,
            "risk": "low",
            "reason": "Again",
        },
    )
    assert Case.objects.count() == 1


def test_a_case_is_opened_only_in_the_clinicians_own_units(consultation, clinician):
    with pytest.raises(services.CasesError, match="own units"):
        consultations.consultation_open_case(
            actor=clinician,
            consultation=consultation,
            unit=Unit.objects.get(code="family-justice"),
            case_type=CaseType.objects.get(code="family-support"),
            reason="x",
            risk="low",
        )


def _contact_values(person, **overrides):
    values = {
        "occurred_at": timezone.now() - timedelta(hours=1),
        "location": "Central Square",
        "contact_type": ContactType.objects.get(code="crisis"),
        "people": [person],
        "narrative": "Agitated; calmed down.",
        "disposition": Disposition.objects.get(code="information"),
        "incident_number": "",
        "consultation_requested": True,
        "flags": PopulationFlag.objects.none(),
        "finish": True,
    }
    values.update(overrides)
    return values


def test_a_contact_with_the_tick_asks_for_one_consultation(officer, person):
    key = uuid.uuid4()
    contact = services.contact_save(actor=officer, submission_key=key, **_contact_values(person))
    consultation = Consultation.objects.get()
    assert consultation.contact == contact
    assert consultation.person == person
    assert consultation.requested_by == officer
    assert consultation.urgency == Consultation.Urgency.ROUTINE
    assert consultation.question.startswith("Consultation requested from contact ")
    # The same form submitted twice, then an edit: still one request.
    services.contact_save(actor=officer, submission_key=key, **_contact_values(person))
    services.contact_save(
        actor=officer,
        submission_key=key,
        contact=contact,
        **_contact_values(person, narrative="Edited."),
    )
    assert Consultation.objects.count() == 1


def test_a_draft_with_the_tick_asks_only_when_finished(officer, person):
    key = uuid.uuid4()
    draft = services.contact_save(
        actor=officer, submission_key=key, **_contact_values(person, finish=False)
    )
    assert not Consultation.objects.exists()
    services.contact_save(
        actor=officer, submission_key=key, contact=draft, **_contact_values(person)
    )
    assert Consultation.objects.filter(contact=draft).count() == 1


def test_another_officer_cannot_see_someone_elses_request(client, consultation):
    other = factories.UserFactory(role=Role.OFFICER, units=("family-justice",))
    client.force_login(other)
    assert client.get(detail(consultation)).status_code == 404
    assert consultation.question not in client.get(reverse("home")).text


def test_a_clinicians_home_counts_the_waiting_requests(client, consultation, clinician):
    client.force_login(clinician)
    home = client.get(reverse("home")).text
    assert "1 consultation request is waiting" in home
    assert QUEUE in home


@pytest.mark.parametrize("count", [1, 15])
def test_the_queue_runs_a_fixed_number_of_queries(
    count, client, clinician, officer, person, django_assert_max_num_queries
):
    for n in range(count):
        consultations.consultation_request(
            actor=officer, person=person, question=f"question {n}", urgency="routine"
        )
    client.force_login(clinician)
    # session + user; groups (roles); user and group permissions (the capability check); the
    # clinical-unit check for the page and again for the visible queryset; the consultations
    # with person, asker and taker in one query; the session save (savepoint, update, release).
    with django_assert_max_num_queries(11):
        response = client.get(QUEUE)
    assert response.text.count("question ") == count
