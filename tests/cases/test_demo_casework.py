"""The demo casework (cases.demo_casework), made by seed_demo on a small city."""

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from accounts import demo
from accounts.models import User
from cases.models import Assessment, Case, CaseStatusChange, Consultation, Note, Task


@pytest.fixture
def seeded(db):
    # 40 people → 12 cases: quick, and the casework makes sure even this holds every state.
    call_command("seed_demo", allow_demo_accounts=True, people=40, contacts=80)


def test_the_cases_spread_over_the_three_units_and_their_workers(seeded):
    assert 12 <= Case.objects.count() <= 20
    units = set(Case.objects.values_list("unit__code", flat=True))
    assert units == {"clinical-support", "family-justice", "social-justice"}
    clinical = Case.objects.filter(unit__code="clinical-support")
    assert clinical.filter(assigned_to__username="clinician").exists()
    assert clinical.filter(team__username="intern").exists()
    assert Case.objects.filter(assigned_to__username__startswith="sw.").exists()


def test_every_status_is_present_with_its_history(seeded):
    assert set(Case.objects.values_list("status", flat=True)) == set(Case.Status.values)
    for case in Case.objects.all():
        changes = list(case.status_changes.all())
        assert changes[0].from_status == ""
        assert changes[-1].to_status == case.status
        assert [c.at for c in changes] == sorted(c.at for c in changes)
    # A closed case was reopened somewhere in the city.
    assert CaseStatusChange.objects.filter(from_status="closed", to_status="open").exists()
    closed = Case.objects.filter(status="closed")
    assert all(case.closed_on and case.closure_outcome_id for case in closed)


def test_notes_exist_at_every_level_and_protected_only_on_substance_use_cases(seeded):
    assert set(Note.objects.values_list("level", flat=True)) == set(Note.Level.values)
    protected = Note.objects.filter(level=Note.Level.PROTECTED)
    assert not protected.exclude(case__case_type__code="substance-use").exists()


def test_intern_notes_are_co_signed_by_the_clinician_or_still_pending(seeded):
    intern = User.objects.get(username="intern")
    pending = Note.objects.filter(status=Note.Status.PENDING)
    assert pending.exists()
    assert not pending.exclude(author=intern).exists()
    assert not pending.filter(cosigner__isnull=True).exists()
    cosigned = Note.objects.filter(author=intern, status=Note.Status.SIGNED)
    assert cosigned.exists()
    assert not cosigned.exclude(cosigner__username="clinician").exists()
    assert not cosigned.filter(cosigned_at__isnull=True).exists()


def test_some_tasks_are_overdue_and_some_done(seeded):
    today = timezone.localdate()
    assert Task.objects.filter(done_at__isnull=True, due_on__lt=today).exists()
    assert Task.objects.filter(done_at__isnull=False).exists()


def test_consultations_in_every_state_and_some_with_a_case(seeded):
    assert set(Consultation.objects.values_list("status", flat=True)) == set(
        Consultation.Status.values
    )
    assert Consultation.objects.filter(case__isnull=False, case__assigned_to__isnull=False).exists()
    answered = Consultation.objects.filter(status=Consultation.Status.ANSWERED)
    assert not answered.filter(answer="").exists()
    # A contact with the tick has exactly its one consultation.
    from_contacts = Consultation.objects.filter(contact__isnull=False)
    assert from_contacts.count() == from_contacts.values("contact").distinct().count()


def test_assessments_of_both_instruments_scored_by_their_rule(seeded):
    by_code = {
        code: Assessment.objects.filter(instrument_version__instrument__code=code)
        for code in ("lap", "cssrs-screener")
    }
    assert by_code["lap"].exists()
    assert not by_code["lap"].exclude(performed_by__username="officer").exists()
    assert by_code["cssrs-screener"].exists()
    assert not by_code["cssrs-screener"].filter(case__isnull=True).exists()
    assert not Assessment.objects.filter(result_code="").exists()


def test_the_extra_caseworkers_are_demo_users(seeded):
    assert User.objects.filter(username="sw.garcia").exists()
    assert not demo.holds_non_demo_data()
    assert set(User.objects.values_list("username", flat=True)) == demo.DEMO_USERNAMES


def test_the_same_seed_gives_the_same_casework(db):
    def snapshot():
        call_command("seed_demo", allow_demo_accounts=True, people=40, contacts=60)
        return list(
            Case.objects.order_by("pk").values_list(
                "person__first_name", "person__last_name", "status", "assigned_to__username"
            )
        )

    before = transaction.savepoint()
    first = snapshot()
    transaction.savepoint_rollback(before)
    assert not Case.objects.exists()
    assert snapshot() == first
