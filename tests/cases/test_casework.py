from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Unit
from cases import casework
from cases.models import CareTeamMember, Case, CaseStatusChange, CaseType, ClosureOutcome, Note
from cases.services import CasesError

S = Case.Status


def outcome(code="goals-met"):
    return ClosureOutcome.objects.get(code=code)


def move(case, actor, to, reason="Reason given.", **kwargs):
    return casework.case_transition(actor=actor, case=case, to_status=to, reason=reason, **kwargs)


# --- lifecycle -------------------------------------------------------------------------------


def test_a_case_goes_through_its_lifecycle_with_dated_reasoned_changes(case, clinician, supervisor):
    move(case, clinician, S.ACTIVE)
    move(case, clinician, S.CLOSING, closure_outcome=outcome())
    move(case, supervisor, S.CLOSED, reason="Goals met; family engaged with CHA.")
    case.refresh_from_db()
    assert case.status == S.CLOSED
    assert case.closed_on == timezone.localdate()
    assert case.closure_approved_by == supervisor
    changes = list(case.status_changes.values_list("from_status", "to_status", "actor__username"))
    assert changes == [
        ("", S.OPEN, "p_supervisor"),
        (S.OPEN, S.ACTIVE, "p_clinician"),
        (S.ACTIVE, S.CLOSING, "p_clinician"),
        (S.CLOSING, S.CLOSED, "p_supervisor"),
    ]
    # The reason is encrypted at rest, so it is compared in Python, not looked up in SQL.
    reasons = [change.reason for change in CaseStatusChange.objects.filter(case=case)]
    assert "Goals met; family engaged with CHA." in reasons


@pytest.mark.parametrize(
    "start,to",
    [(S.OPEN, S.CLOSED), (S.OPEN, S.REFERRED), (S.ACTIVE, S.OPEN), (S.ACTIVE, S.CLOSED)],
)
def test_illegal_transitions_are_refused_with_the_reason(case, clinician, supervisor, start, to):
    if start == S.ACTIVE:
        move(case, clinician, S.ACTIVE)
    with pytest.raises(CasesError, match="cannot become"):
        move(case, supervisor, to)
    case.refresh_from_db()
    assert case.status == start


def test_closing_needs_a_closure_outcome(case, clinician):
    with pytest.raises(CasesError, match="closure outcome"):
        move(case, clinician, S.CLOSING)


def test_a_change_needs_a_reason(case, clinician):
    with pytest.raises(CasesError, match="reason"):
        move(case, clinician, S.ACTIVE, reason="  ")


def test_a_clinician_cannot_approve_closure_where_the_unit_requires_a_supervisor(case, clinician):
    move(case, clinician, S.CLOSING, closure_outcome=outcome())
    with pytest.raises(CasesError, match="supervisor approves"):
        move(case, clinician, S.CLOSED)


def test_in_a_unit_without_approval_the_worker_closes(person, clinician_other_unit, supervisor):
    case = casework.case_open(
        actor=supervisor,
        unit=Unit.objects.get(code="social-justice"),
        case_type=CaseType.objects.get(code="homelessness"),
        reason="Shelter placement.",
        person=person,
        assigned_to=clinician_other_unit,
    )
    move(case, clinician_other_unit, S.CLOSING, closure_outcome=outcome("moved"))
    move(case, clinician_other_unit, S.CLOSED)
    case.refresh_from_db()
    assert case.status == S.CLOSED and case.closure_approved_by is None


def test_a_closed_case_reopens(case, clinician, supervisor):
    move(case, clinician, S.CLOSING, closure_outcome=outcome())
    move(case, supervisor, S.CLOSED)
    move(case, clinician, S.OPEN, reason="New incident at school.")
    case.refresh_from_db()
    assert (case.status, case.closed_on, case.closure_outcome) == (S.OPEN, None, None)


def test_the_status_form_refuses_an_illegal_move_with_a_message(client, clinician, case):
    client.force_login(clinician)
    response = client.post(
        reverse("cases:case_transition", args=[case.pk]),
        {"to_status": S.CLOSED, "reason": "done", "version": case.version},
        follow=True,
    )
    assert "Choose a new status and give a reason." in response.content.decode()
    case.refresh_from_db()
    assert case.status == S.OPEN


def test_the_assigned_worker_joins_the_care_team_and_leaves_it_at_closure(
    case, clinician, supervisor
):
    assert CareTeamMember.objects.filter(person=case.person, user=clinician, ended_on=None).exists()
    move(case, clinician, S.CLOSING, closure_outcome=outcome())
    move(case, supervisor, S.CLOSED)
    assert not CareTeamMember.objects.filter(person=case.person, user=clinician, ended_on=None)


def test_a_transfer_keeps_the_history(case, clinician, supervisor, clinician_other_unit):
    casework.case_transfer(
        actor=supervisor, case=case, to_user=clinician_other_unit, reason="Caseload balance"
    )
    case.refresh_from_db()
    assert case.assigned_to == clinician_other_unit
    holders = [h.assigned_to_id for h in case.history.all()]
    assert clinician.pk in holders and clinician_other_unit.pk in holders
    # The reason is on the transfer row (encrypted), not in the history's plain-text column.
    assert case.history.first().history_change_reason == "transfer"
    transfer = case.transfers.get()
    assert (transfer.from_user, transfer.to_user, transfer.actor, transfer.reason) == (
        clinician,
        clinician_other_unit,
        supervisor,
        "Caseload balance",
    )


def test_the_case_page_shows_who_transferred_the_case_to_whom_and_why(
    client, case, clinician, supervisor, clinician_other_unit
):
    casework.case_transfer(
        actor=supervisor, case=case, to_user=clinician_other_unit, reason="Caseload balance"
    )
    client.force_login(supervisor)
    html = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "Caseload balance" in html
    assert clinician_other_unit.display_name in html


def test_a_case_cannot_open_in_the_future(person, supervisor):
    with pytest.raises(CasesError, match="future"):
        casework.case_open(
            actor=supervisor,
            unit=Unit.objects.get(code="clinical-support"),
            case_type=CaseType.objects.first(),
            reason="x",
            person=person,
            opened_on=timezone.localdate() + timedelta(days=3),
        )


def test_a_clinician_opens_a_case_from_the_person_page(client, clinician, person):
    client.force_login(clinician)
    url = reverse("cases:case_create") + f"?person={person.pk}"
    data = {
        "person": person.pk,
        "unit": Unit.objects.get(code="clinical-support").pk,
        "case_type": CaseType.objects.get(code="mental-health").pk,
        "reason": "Referred by the school nurse.",
        "risk": "moderate",
        "status": "open",
        "assigned_to": clinician.pk,
    }
    response = client.post(url, data)
    case = Case.objects.get(person=person)  # reason is encrypted, so not a lookup key
    assert case.reason == "Referred by the school nurse."
    assert response["Location"] == reverse("cases:case_detail", args=[case.pk])
    assert case.assigned_to == clinician


# --- concurrent edits ------------------------------------------------------------------------


def test_the_second_of_two_concurrent_edits_is_told_and_loses_nothing(
    client, clinician, supervisor, case
):
    url = reverse("cases:case_update", args=[case.pk])
    opened_version = case.version
    base = {"case_type": case.case_type_id, "risk": "low", "reason": case.reason}
    client.force_login(supervisor)
    first = client.post(url, {**base, "goals": "Supervisor's plan", "version": opened_version})
    assert first.status_code == 302

    client.force_login(clinician)
    second = client.post(
        url, {**base, "risk": "high", "goals": "Clinician's plan", "version": opened_version}
    )
    html = second.content.decode()
    assert second.status_code == 409
    assert "Someone else changed this case" in html
    assert "Clinician&#x27;s plan" in html or "Clinician's plan" in html  # kept in the form
    assert "Supervisor&#x27;s plan" in html or "Supervisor's plan" in html  # shown as current
    case.refresh_from_db()
    assert case.goals == "Supervisor's plan"

    # Saving again from the refreshed form succeeds.
    again = client.post(
        url, {**base, "risk": "high", "goals": "Clinician's plan", "version": case.version}
    )
    assert again.status_code == 302
    case.refresh_from_db()
    assert (case.goals, case.risk) == ("Clinician's plan", "high")


def test_a_stale_status_change_is_refused(case, clinician):
    stale = case.version
    move(case, clinician, S.ACTIVE, version=stale)
    with pytest.raises(casework.StaleRecord):
        move(case, clinician, S.CLOSING, version=stale, closure_outcome=outcome())


# --- notes and co-signature ------------------------------------------------------------------


def test_an_intern_note_is_pending_until_the_supervising_clinician_cosigns(
    client, pending_note, clinician
):
    assert pending_note.status == Note.Status.PENDING
    assert pending_note.cosigner == clinician
    client.force_login(clinician)
    client.post(reverse("cases:note_cosign", args=[pending_note.pk]))
    pending_note.refresh_from_db()
    assert pending_note.status == Note.Status.SIGNED
    assert pending_note.cosigned_at is not None


def test_a_cosign_by_someone_other_than_the_supervisor_is_refused(pending_note, supervisor, intern):
    for user in (supervisor, intern):
        with pytest.raises(CasesError, match="supervising clinician"):
            casework.note_cosign(actor=user, note=pending_note)


def test_a_signed_note_is_never_edited_and_corrections_are_addenda(client, clinician, case):
    note = casework.note_add(actor=clinician, case=case, level="clinical", text="First version.")
    client.force_login(clinician)
    client.post(
        reverse("cases:note_create", args=[case.pk]),
        {"level": "clinical", "text": "Correction: second visit.", "addendum_to": note.pk},
    )
    note.refresh_from_db()
    assert note.text == "First version."
    addendum = Note.objects.get(addendum_to=note)
    assert addendum.text == "Correction: second visit."
    html = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert html.index("First version.") < html.index("Correction: second visit.")


def test_a_clinician_writes_a_note_from_the_case_page(client, clinician, case):
    client.force_login(clinician)
    response = client.post(
        reverse("cases:note_create", args=[case.pk]), {"level": "general", "text": "Home visit."}
    )
    assert response.status_code == 302
    note = Note.objects.get()
    assert (note.author, note.status, note.level) == (clinician, Note.Status.SIGNED, "general")


def test_an_empty_note_is_refused_with_a_message(client, clinician, case):
    client.force_login(clinician)
    response = client.post(
        reverse("cases:note_create", args=[case.pk]), {"level": "general", "text": ""}, follow=True
    )
    assert "The note is empty" in response.content.decode()
    assert not Note.objects.exists()


@pytest.mark.parametrize("notes", [1, 15])
def test_the_case_page_runs_a_fixed_number_of_queries(
    notes, client, supervisor, clinician, case, django_assert_max_num_queries
):
    for n in range(notes):
        casework.note_add(actor=clinician, case=case, level="clinical", text=f"note {n}")
    client.force_login(supervisor)
    # session, user, groups/permissions; the case with its relations, team and status changes;
    # notes with authors; flags; tasks; assessments; access-log insert; note form's level
    # checks; the audit trail (3); savepoints.
    with django_assert_max_num_queries(40):
        assert client.get(reverse("cases:case_detail", args=[case.pk])).status_code == 200
