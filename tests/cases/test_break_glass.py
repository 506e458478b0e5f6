"""Break-the-glass (issue 5): a clinician or supervisor outside a case opens it only by giving a
reason; the access is logged as such, the case's supervisors are notified, and it never opens
substance-use (42 CFR Part 2) notes. Each rule is tested from the side that must not see.

``case`` is a Clinical Support case assigned to ``clinician``. The outsiders here:
``clinician_other_unit`` (Social Justice) and ``supervisor_other_unit`` (Family Justice only).
``supervisor`` belongs to all three units and is the one notified.
"""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from audit.models import AccessLog
from cases import breakglass, casework
from cases.models import BreakGlassAccess, Task
from cases.selectors_caseload import caseload_rows
from cases.services import CasesError
from tests.factories import UserFactory

TEXT = {
    "general": "CANARY-BG-GENERAL-4e1f",
    "clinical": "CANARY-BG-CLINICAL-8a0c",
    "protected": "CANARY-BG-PROTECTED-d93b",
}
REASON = "Called to the home tonight: she says she is in danger and this case may explain why."
SHORT_REASONS = ("urgent", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "1234567890 1234567890 12345")


@pytest.fixture
def supervisor_other_unit(db):
    return UserFactory(username="p_supervisor_fj", role=Role.SUPERVISOR, units=("family-justice",))


@pytest.fixture
def notes(case, clinician):
    return {
        level: casework.note_add(actor=clinician, case=case, level=level, text=text)
        for level, text in TEXT.items()
    }


def _break(client, case, reason=REASON):
    return client.post(reverse("cases:case_break_glass", args=[case.pk]), {"reason": reason})


def _html(client, name, *args, **params) -> str:
    response = client.get(reverse(name, args=args), params)
    assert response.status_code == 200, name
    return response.content.decode()


# --- who is outside ------------------------------------------------------------------------


@pytest.mark.parametrize("outsider", ["clinician_other_unit", "supervisor_other_unit"])
def test_an_outsider_gets_404_on_the_case_and_the_attempt_is_logged(
    outsider, request, client, case
):
    user = request.getfixturevalue(outsider)
    client.force_login(user)
    assert client.get(reverse("cases:case_detail", args=[case.pk])).status_code == 404
    assert AccessLog.objects.filter(
        user=user, action=AccessLog.Action.DENIED, object_id=str(case.pk)
    ).exists()


def test_a_supervisor_sees_the_cases_of_their_own_units(client, case, supervisor_other_unit):
    case.unit = case.unit.__class__.objects.get(code="family-justice")
    case.save()
    client.force_login(supervisor_other_unit)
    assert client.get(reverse("cases:case_detail", args=[case.pk])).status_code == 200


def test_a_section_lead_in_no_unit_sees_every_case_and_its_protected_notes_without_a_grant(
    client, case, clinician
):
    from cases import breakglass, casework

    note = casework.note_add(actor=clinician, case=case, level="protected", text="Methadone.")
    lead = UserFactory(username="p_section_lead", role=Role.SUPERVISOR, units=())
    client.force_login(lead)
    html = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert note.text in html
    assert not breakglass.breakable_cases(lead).exists()


def test_a_supervisor_outside_the_unit_sees_neither_assessments_nor_tasks_of_the_case(
    client, assessment, task, supervisor_other_unit
):
    client.force_login(supervisor_other_unit)
    assert client.get(reverse("cases:assessment_detail", args=[assessment.pk])).status_code == 404
    assert client.post(reverse("cases:task_done", args=[task.pk])).status_code == 404


@pytest.mark.parametrize("persona", ["officer", "partner", "admin_user", "intern_unassigned"])
def test_who_may_not_break_the_glass_gets_404_on_its_page(persona, request, client, case):
    if persona == "intern_unassigned":
        user = UserFactory(username="p_intern_x", role=Role.INTERN, units=("clinical-support",))
    else:
        user = request.getfixturevalue(persona)
    client.force_login(user)
    url = reverse("cases:case_break_glass", args=[case.pk])
    assert client.get(url).status_code == 404
    assert _break(client, case).status_code == 404
    assert not BreakGlassAccess.objects.exists()
    with pytest.raises(CasesError):
        breakglass.break_glass(user=user, case=case, reason=REASON, request=None)


def test_the_cases_one_sees_and_those_one_could_break_into_are_every_case_once(
    case, clinician_other_unit, supervisor_other_unit, clinician, supervisor
):
    from accounts import access
    from cases.models import Case

    other = casework.case_open(
        actor=supervisor,
        unit=case.unit.__class__.objects.get(code="social-justice"),
        case_type=case.case_type,
        reason="Housing.",
        person=case.person,
    )
    everything = set(Case.objects.values_list("pk", flat=True))
    for user in (clinician_other_unit, supervisor_other_unit, clinician, supervisor):
        seen = set(access.visible_to(user, Case).values_list("pk", flat=True))
        breakable = set(breakglass.breakable_cases(user).values_list("pk", flat=True))
        assert seen | breakable == everything and not seen & breakable, user
    assert set(breakglass.breakable_cases(clinician_other_unit)) == {case}
    assert set(breakglass.breakable_cases(clinician)) == {other}


def test_who_already_sees_the_case_is_sent_to_it_without_a_grant(client, case, clinician):
    client.force_login(clinician)
    response = _break(client, case)
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:case_detail", args=[case.pk])
    assert not BreakGlassAccess.objects.exists()


# --- the page and the reason -----------------------------------------------------------------


def test_the_page_shows_the_number_unit_and_name_and_nothing_of_the_content(
    client, case, notes, clinician_other_unit
):
    client.force_login(clinician_other_unit)
    html = _html(client, "cases:case_break_glass", case.pk)
    assert f"#{case.pk}" in html and "Clinical Support" in html and "Maria Santos" in html
    assert "access log" in html and "supervisor" in html
    for secret in [*TEXT.values(), case.reason, str(case.case_type)]:
        assert secret not in html


@pytest.mark.parametrize("reason", SHORT_REASONS)
def test_a_reason_that_is_not_one_is_refused_and_what_was_typed_is_kept(
    reason, client, case, clinician_other_unit
):
    client.force_login(clinician_other_unit)
    response = _break(client, case, reason)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Say in a sentence or two why you need this case now" in html
    assert reason in html  # the textarea keeps it
    assert not BreakGlassAccess.objects.exists()
    assert not AccessLog.objects.filter(action=AccessLog.Action.BREAK_GLASS).exists()
    assert client.get(reverse("cases:case_detail", args=[case.pk])).status_code == 404


def test_breaking_the_glass_logs_the_reason_and_opens_the_case_with_a_banner(
    client, case, clinician_other_unit, settings
):
    settings.CFSJ_BREAK_GLASS_HOURS = 3
    client.force_login(clinician_other_unit)
    response = _break(client, case)
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:case_detail", args=[case.pk])

    grant = BreakGlassAccess.objects.get(user=clinician_other_unit, case=case)
    assert grant.reason == REASON
    assert timedelta(hours=2, minutes=59) < grant.expires_at - timezone.now() <= timedelta(hours=3)
    logged = AccessLog.objects.get(action=AccessLog.Action.BREAK_GLASS, user=clinician_other_unit)
    assert logged.object_id == str(case.pk)
    assert logged.detail["reason"] == REASON
    assert logged.detail["expires_at"] == grant.expires_at.isoformat()

    html = _html(client, "cases:case_detail", case.pk)
    assert 'data-testid="break-glass-banner"' in html
    assert timezone.localtime(grant.expires_at).strftime("%Y-%m-%d %H:%M") in html
    view = AccessLog.objects.filter(action=AccessLog.Action.VIEW, user=clinician_other_unit).get()
    assert view.detail["break_glass"] == grant.pk


def test_a_case_in_ones_own_scope_shows_no_banner_and_logs_no_grant(client, case, clinician):
    client.force_login(clinician)
    html = _html(client, "cases:case_detail", case.pk)
    assert "break-glass-banner" not in html
    assert "break_glass" not in AccessLog.objects.get(action=AccessLog.Action.VIEW).detail


def test_a_grant_opens_the_case_for_reading_only(client, case, clinician_other_unit):
    client.force_login(clinician_other_unit)
    _break(client, case)
    assert client.get(reverse("cases:case_update", args=[case.pk])).status_code == 403
    note = client.post(
        reverse("cases:note_create", args=[case.pk]), {"text": "x", "level": "general"}
    )
    assert note.status_code == 403
    assert "Save note" not in _html(client, "cases:case_detail", case.pk)


def test_an_expired_grant_no_longer_opens_the_case(client, case, clinician_other_unit, settings):
    settings.CFSJ_BREAK_GLASS_HOURS = 8
    client.force_login(clinician_other_unit)
    _break(client, case)
    url = reverse("cases:case_detail", args=[case.pk])
    assert client.get(url).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(hours=8, minutes=1)):
        client.force_login(clinician_other_unit)  # the session itself timed out long ago
        assert client.get(url).status_code == 404
        # …and the way in is offered again.
        page = client.get(reverse("cases:case_break_glass", args=[case.pk]))
        assert page.status_code == 200


def test_a_grant_does_not_put_the_case_on_the_users_caseload(client, case, clinician_other_unit):
    client.force_login(clinician_other_unit)
    _break(client, case)
    assert caseload_rows(clinician_other_unit) == []
    assert f"/cases/{case.pk}/" not in _html(client, "cases:caseload")


# --- what a grant never opens -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("outsider", "reads"),
    [
        ("clinician_other_unit", {"general", "clinical"}),
        ("supervisor_other_unit", {"general", "clinical"}),
    ],
)
def test_under_a_grant_protected_notes_stay_closed_everywhere(
    outsider, reads, request, client, case, notes
):
    client.force_login(request.getfixturevalue(outsider))
    assert _break(client, case).status_code == 302
    pages = {
        "case page": _html(client, "cases:case_detail", case.pk),
        "person page": _html(client, "cases:person_detail", case.person.pk),
    }
    for where, html in pages.items():
        for level, text in TEXT.items():
            assert (text in html) == (level in reads), f"{outsider} / {where} / {level}"
    search = _html(client, "cases:person_search", q="Maria Santos")
    for text in TEXT.values():
        assert text not in search


def test_under_a_grant_a_protected_note_answers_404_on_its_own_urls(
    client, case, intern, clinician_other_unit
):
    pending = casework.note_add(actor=intern, case=case, level="protected", text="CANARY-BG-PEND")
    client.force_login(clinician_other_unit)
    _break(client, case)
    assert client.post(reverse("cases:note_cosign", args=[pending.pk])).status_code == 404


def test_the_supervisors_of_the_cases_unit_still_read_its_protected_notes(
    client, case, notes, supervisor
):
    client.force_login(supervisor)
    assert TEXT["protected"] in _html(client, "cases:case_detail", case.pk)


# --- notification ------------------------------------------------------------------------------


@pytest.fixture
def celery_in_process(monkeypatch):
    """``delay`` runs the task here and now: the broker is what leaves the process."""
    from cases.tasks import notify_break_glass

    monkeypatch.setattr(notify_break_glass, "delay", lambda *args: notify_break_glass(*args))


def test_the_units_supervisor_gets_a_review_task_and_an_email_without_the_reason(
    client,
    case,
    supervisor,
    supervisor_other_unit,
    clinician_other_unit,
    mailoutbox,
    celery_in_process,
    django_capture_on_commit_callbacks,
):
    client.force_login(clinician_other_unit)
    with django_capture_on_commit_callbacks(execute=True):
        _break(client, case)

    (review,) = Task.objects.filter(case=case, title__startswith="Review break-the-glass")
    assert review.assignee == supervisor  # of the case's unit; not the Family Justice one
    assert review.due_on == timezone.localdate() and review.urgent
    assert f"#{case.pk}" in review.title and clinician_other_unit.display_name in review.title

    (mail,) = mailoutbox
    assert mail.to == [supervisor.email]
    body = mail.subject + mail.body
    assert f"#{case.pk}" in body and clinician_other_unit.display_name in body
    # The person's name (not "Santos" alone: the factory may give a worker that surname too).
    for secret in [REASON, "danger", case.reason, case.person.full_name, *TEXT.values()]:
        assert secret not in body
    assert BreakGlassAccess.objects.get().notified_at is not None


def test_the_email_goes_out_once_whatever_the_retries(case, clinician_other_unit, mailoutbox):
    grant = breakglass.break_glass(
        user=clinician_other_unit, case=case, reason=REASON, request=None
    )
    assert breakglass.send_break_glass_notice(grant_id=grant.pk) == 1
    assert breakglass.send_break_glass_notice(grant_id=grant.pk) == 0
    assert len(mailoutbox) == 1


def test_a_unit_without_a_supervisor_notifies_every_supervisor_but_the_one_who_broke_in(
    case, supervisor, supervisor_other_unit
):
    supervisor.units.remove(case.unit)
    supervisor.__dict__.pop("unit_ids", None)
    breakglass.break_glass(user=supervisor, case=case, reason=REASON, request=None)
    reviews = Task.objects.filter(case=case, title__startswith="Review break-the-glass")
    assert [t.assignee for t in reviews] == [supervisor_other_unit]


# --- the person page ---------------------------------------------------------------------------


def test_the_person_page_lists_the_cases_one_cannot_open_by_number_and_unit(
    client, case, notes, clinician_other_unit
):
    client.force_login(clinician_other_unit)
    html = _html(client, "cases:person_detail", case.person.pk)
    assert 'data-testid="cases-beyond-reach"' in html
    assert f"#{case.pk} (Clinical Support" in html
    assert reverse("cases:case_break_glass", args=[case.pk]) in html
    assert str(case.case_type) not in html and case.reason not in html


@pytest.mark.parametrize("persona", ["officer", "clinician", "supervisor"])
def test_the_person_page_offers_no_way_in_to_who_cannot_or_need_not(persona, request, client, case):
    client.force_login(request.getfixturevalue(persona))
    html = _html(client, "cases:person_detail", case.person.pk)
    assert "cases-beyond-reach" not in html
    assert reverse("cases:case_break_glass", args=[case.pk]) not in html


# --- the setting -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [("eight", "is not a whole number"), ("0", "CFSJ_BREAK_GLASS_HOURS must be at least 1")],
)
def test_a_bad_break_glass_duration_stops_the_process(value, message):
    from tests.test_settings import PRODUCTION, run

    result = run("check", **{**PRODUCTION, "CFSJ_BREAK_GLASS_HOURS": value})
    assert result.returncode != 0
    assert message in result.stderr
