"""The audit review for supervisors (issue 5): who viewed a person, per-user activity and its CSV
export, unusual volume, and the weekly review. Administrators are refused like everyone else who
is not a supervisor (separation of duties); every page is itself logged."""

import csv
import io
from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from audit import selectors
from audit.models import AccessLog, AuditReview
from audit.services import log_access
from cases.models import Person
from tests import factories

NOT_SUPERVISORS = (
    "officer",
    "clinician",
    "clinician_other_unit",
    "intern",
    "partner",
    "admin_user",
)
# A Wednesday; its week started on Monday 2025-06-09 and last week on 2025-06-02.
WEDNESDAY = "2025-06-11 10:00:00-04:00"
LAST_WEEK = date(2025, 6, 2)


def plant(user, action=AccessLog.Action.VIEW, obj=None, **detail):
    """An access-log row written as the application writes them (through log_access)."""
    return log_access(request=None, action=action, obj=obj, user=user, detail=detail)


def rows_of(response) -> list[AccessLog]:
    return list(response.context["page"].object_list)


def logged(action, **detail) -> list[AccessLog]:
    return [row for row in AccessLog.objects.filter(action=action) if row.detail == detail]


# --- who viewed this person --------------------------------------------------------------------


def test_a_supervisor_sees_who_viewed_a_person_their_contacts_and_cases(
    client, officer, clinician, supervisor, person, contact, case, pending_note
):
    client.force_login(officer)
    client.get(reverse("cases:person_detail", args=[person.pk]), REMOTE_ADDR="10.0.0.7")
    client.get(reverse("cases:contact_detail", args=[contact.pk]))
    client.force_login(clinician)
    client.get(reverse("cases:case_detail", args=[case.pk]))
    plant(clinician, obj=pending_note)
    other = factories.person(first_name="Other", last_name="Person")
    plant(officer, obj=other)

    client.force_login(supervisor)
    response = client.get(reverse("audit:person_accesses", args=[person.pk]))

    assert response.status_code == 200
    seen = {(row.user, row.content_type.model, row.object_id) for row in rows_of(response)}
    assert (officer, "person", str(person.pk)) in seen
    assert (officer, "contact", str(contact.pk)) in seen
    assert (clinician, "case", str(case.pk)) in seen
    assert (clinician, "note", str(pending_note.pk)) in seen
    assert not any(obj_id == str(other.pk) and model == "person" for _, model, obj_id in seen)
    page = response.content.decode()
    assert "10.0.0.7" in page
    assert officer.display_name in page


def test_who_viewed_includes_reads_of_a_duplicate_record_merged_into_the_person(
    client, officer, supervisor, person
):
    from cases import merge

    duplicate = factories.person(first_name="Mariah", last_name="Santos")
    plant(officer, obj=duplicate)
    merge.person_merge(actor=supervisor, keep=person, merge_away=duplicate, choices={})
    unrelated = factories.person(first_name="Other", last_name="Person")
    plant(officer, obj=unrelated)
    client.force_login(supervisor)
    rows = rows_of(client.get(reverse("audit:person_accesses", args=[person.pk])))
    assert str(duplicate.pk) in {row.object_id for row in rows}
    assert str(unrelated.pk) not in {row.object_id for row in rows}


def test_who_viewed_lists_newest_first_fifty_a_page(client, officer, supervisor, person):
    with time_machine.travel("2025-06-01 09:00:00-04:00", tick=True):
        for _ in range(55):
            plant(officer, obj=person)
    client.force_login(supervisor)
    first = rows_of(client.get(reverse("audit:person_accesses", args=[person.pk])))
    second = rows_of(client.get(reverse("audit:person_accesses", args=[person.pk]), {"page": 2}))
    assert len(first) == 50
    assert [row.at for row in first] == sorted((row.at for row in first), reverse=True)
    assert first[-1].at >= second[0].at


def test_opening_who_viewed_is_itself_logged(client, supervisor, person):
    client.force_login(supervisor)
    client.get(reverse("audit:person_accesses", args=[person.pk]))
    [row] = logged(AccessLog.Action.VIEW, report="who_viewed")
    assert (row.user, row.object_id) == (supervisor, str(person.pk))


@pytest.mark.parametrize("persona", NOT_SUPERVISORS)
def test_no_one_but_a_supervisor_sees_who_viewed_a_person(persona, as_persona, officer, person):
    plant(officer, obj=person)
    response = as_persona(persona).get(reverse("audit:person_accesses", args=[person.pk]))
    assert response.status_code == 403
    assert officer.username not in response.content.decode()
    assert not logged(AccessLog.Action.VIEW, report="who_viewed")


def test_the_anonymous_are_sent_to_sign_in_from_every_audit_page(client, officer, person):
    for url in (
        reverse("audit:person_accesses", args=[person.pk]),
        reverse("audit:user_activity", args=[officer.pk]),
        reverse("audit:user_export", args=[officer.pk]),
        reverse("audit:unusual"),
        reverse("audit:review_list"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_the_who_viewed_link_is_shown_to_supervisors_only(as_persona, person):
    url = reverse("cases:person_detail", args=[person.pk])
    link = reverse("audit:person_accesses", args=[person.pk])
    assert link in as_persona("supervisor").get(url).content.decode()
    for persona in ("officer", "clinician"):
        page = as_persona(persona).get(url).content.decode()
        assert link not in page, persona


# --- per-user activity and its export ----------------------------------------------------------


def test_a_users_activity_is_counted_by_action_and_by_day(client, officer, supervisor, person):
    with time_machine.travel("2025-06-02 09:00:00-04:00", tick=False):
        plant(officer, obj=person)
        plant(officer, obj=person)
        plant(officer, AccessLog.Action.SEARCH, results=3)
    with time_machine.travel("2025-06-04 09:00:00-04:00", tick=False):
        plant(officer, AccessLog.Action.LIST, list="case_list", count=2)
    with time_machine.travel("2025-07-01 09:00:00-04:00", tick=False):
        plant(officer, obj=person)  # outside the period
    plant(supervisor, obj=person)  # someone else

    client.force_login(supervisor)
    response = client.get(
        reverse("audit:user_activity", args=[officer.pk]),
        {"start": "2025-06-01", "end": "2025-06-30"},
    )

    activity = response.context["activity"]
    assert dict(activity.by_action) == {"Viewed": 2, "Searched": 1, "Listed": 1}
    assert activity.by_day == [(date(2025, 6, 2), 3), (date(2025, 6, 4), 1)]
    assert len(rows_of(response)) == 4
    assert {row.user for row in rows_of(response)} == {officer}


def test_failed_sign_ins_against_the_username_are_part_of_the_users_activity(
    client, officer, supervisor
):
    log_access(request=None, action=AccessLog.Action.SIGN_IN_FAILED, username=officer.username)
    log_access(request=None, action=AccessLog.Action.SIGN_IN_FAILED, username="someone.else")
    client.force_login(supervisor)
    response = client.get(reverse("audit:user_activity", args=[officer.pk]))
    assert [row.username for row in rows_of(response)] == [officer.username]


def test_bad_dates_give_a_clear_error_and_keep_what_was_typed(client, officer, supervisor):
    client.force_login(supervisor)
    url = reverse("audit:user_activity", args=[officer.pk])
    response = client.get(url, {"start": "2025-13-40", "end": "2025-06-30"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter a valid date." in page
    assert 'value="2025-13-40"' in page
    assert "activity" not in response.context

    response = client.get(url, {"start": "2025-06-30", "end": "2025-06-01"})
    page = response.content.decode()
    assert "The start date is after the end date." in page
    assert 'value="2025-06-30"' in page and 'value="2025-06-01"' in page


def test_the_activity_page_is_itself_logged(client, officer, supervisor):
    client.force_login(supervisor)
    client.get(reverse("audit:user_activity", args=[officer.pk]))
    [row] = logged(AccessLog.Action.VIEW, report="user_activity")
    assert (row.user, row.object_id) == (supervisor, str(officer.pk))


def test_the_staff_list_links_to_each_users_activity(client, officer, supervisor, admin_user):
    client.force_login(supervisor)
    page = client.get(reverse("audit:user_list")).content.decode()
    for user in (officer, admin_user):
        assert reverse("audit:user_activity", args=[user.pk]) in page
    assert logged(AccessLog.Action.LIST, report="staff", count=3)


def export(client, user, **period):
    query = period or {"start": "2025-06-01", "end": "2025-06-30"}
    return client.get(reverse("audit:user_export", args=[user.pk]), query)


def test_the_export_is_a_csv_with_formulas_neutralised_and_is_logged(
    client, officer, supervisor, case
):
    with time_machine.travel("2025-06-03 09:00:00-04:00", tick=False):
        plant(officer, obj=case)
        # A reason is typed by a user: a spreadsheet must not run it.
        plant(officer, AccessLog.Action.BREAK_GLASS, obj=case, reason='=HYPERLINK("http://x")')
    client.force_login(supervisor)

    response = export(client, officer)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    header, *rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert header[:3] == ["when", "user", "action"]
    assert len(rows) == 2
    reasons = [row[header.index("reason")] for row in rows]
    assert '\'=HYPERLINK("http://x")' in reasons
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    [row] = AccessLog.objects.filter(action=AccessLog.Action.EXPORT)
    assert row.user == supervisor
    assert row.object_id == str(officer.pk)
    assert row.detail == {
        "report": "user_activity",
        "rows": 2,
        "start": "2025-06-01",
        "end": "2025-06-30",
    }


def test_the_eleventh_export_in_an_hour_is_refused_and_audited(client, officer, supervisor):
    client.force_login(supervisor)
    with time_machine.travel("2025-06-15 12:00:05-04:00", tick=False):
        for _ in range(10):
            assert export(client, officer).status_code == 200
        response = export(client, officer)
    assert response.status_code == 429
    [denied] = logged(AccessLog.Action.DENIED, rate_limited="export")
    assert denied.user == supervisor
    assert AccessLog.objects.filter(action=AccessLog.Action.EXPORT).count() == 10


def test_the_export_rate_is_a_setting(client, officer, supervisor, settings):
    settings.CFSJ_EXPORT_RATE = "1/h"
    client.force_login(supervisor)
    with time_machine.travel("2025-06-15 12:00:05-04:00", tick=False):
        assert export(client, officer).status_code == 200
        assert export(client, officer).status_code == 429


def test_an_export_with_bad_dates_goes_back_to_the_report_and_counts_nothing(
    client, officer, supervisor
):
    client.force_login(supervisor)
    response = export(client, officer, start="yesterday")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("audit:user_activity", args=[officer.pk]))
    assert "start=yesterday" in response["Location"]
    assert not AccessLog.objects.filter(action=AccessLog.Action.EXPORT).exists()


@pytest.mark.parametrize("persona", NOT_SUPERVISORS)
def test_no_one_but_a_supervisor_exports_a_users_activity(persona, as_persona, officer):
    plant(officer, AccessLog.Action.SEARCH, results=1)
    response = export(as_persona(persona), officer)
    assert response.status_code == 403
    assert not AccessLog.objects.filter(action=AccessLog.Action.EXPORT).exists()


# --- unusual volume ----------------------------------------------------------------------------


def read_daily(user, *, records: int, days: int, first_id: int = 1, until="2025-06-09 07:00"):
    """``user`` opens ``records`` different people on each of the ``days`` days before
    ``until``."""
    end = timezone.make_aware(timezone.datetime.fromisoformat(until))
    for day in range(1, days + 1):
        with time_machine.travel(end - timedelta(days=day), tick=False):
            for n in range(records):
                plant(user, obj=Person(pk=first_id + n))


def read_now(user, *, records: int, first_id: int = 1000, times: int = 1):
    for n in range(records):
        for _ in range(times):
            plant(user, obj=Person(pk=first_id + n))


@pytest.fixture
def volumes(settings, officer, clinician, intern, supervisor):
    """Baselines over 20 of the 30 days before 2025-06-10 08:00, then the last few hours:
    the officer usually opens 2 records a day and opened 12; the clinician usually 5 and opened
    12; the intern (no history) 6; the supervisor one record 30 times."""
    settings.CFSJ_UNUSUAL_FLOOR = 10
    settings.CFSJ_UNUSUAL_FACTOR = 3
    read_daily(officer, records=2, days=20)
    read_daily(clinician, records=5, days=20)
    with time_machine.travel("2025-06-10 07:00:00", tick=False):
        read_now(officer, records=12)
        read_now(clinician, records=12)
        read_now(intern, records=6)
        read_now(supervisor, records=1, times=30)


def test_a_user_opening_far_more_records_than_usual_is_flagged(volumes, officer):
    with time_machine.travel("2025-06-10 08:00:00", tick=False):
        found = selectors.unusual_volume()
    assert [(u.user, u.records, u.median) for u in found] == [(officer, 12, 2.0)]


def test_unusual_volume_is_counted_in_aggregate_queries(volumes, django_assert_max_num_queries):
    # The window's counts per user, the baselines per user and day, the flagged users.
    with (
        time_machine.travel("2025-06-10 08:00:00", tick=False),
        django_assert_max_num_queries(3),
    ):
        assert len(selectors.unusual_volume()) == 1


def test_the_window_and_thresholds_are_settings(volumes, settings, clinician, officer):
    settings.CFSJ_UNUSUAL_FACTOR = 2
    with time_machine.travel("2025-06-10 08:00:00", tick=False):
        assert {u.user for u in selectors.unusual_volume()} == {officer, clinician}
        settings.CFSJ_UNUSUAL_FLOOR = 13
        assert selectors.unusual_volume() == []
    settings.CFSJ_UNUSUAL_FLOOR = 10
    with time_machine.travel("2025-06-11 09:00:00", tick=False):
        assert selectors.unusual_volume() == []  # the reads left the 24-hour window


def test_the_unusual_volume_page_shows_the_flagged_and_is_logged(volumes, client, supervisor):
    client.force_login(supervisor)
    with time_machine.travel("2025-06-10 08:00:00", tick=False):
        client.force_login(supervisor)
        response = client.get(reverse("audit:unusual"))
    assert [u.user.username for u in response.context["found"]] == ["p_officer"]
    assert 'data-testid="unusual-' in response.content.decode()
    assert logged(AccessLog.Action.LIST, report="unusual_volume", count=1)


# --- weekly review ------------------------------------------------------------------------------


@pytest.fixture
def last_week_events(officer, clinician, case):
    """Last week (of WEDNESDAY): a denied attempt, failed sign-ins, a lockout, a break-the-glass
    opening; and a view this week, which last week's summary must not count."""
    with time_machine.travel("2025-06-04 15:00:00-04:00", tick=False):
        plant(officer, AccessLog.Action.DENIED, obj=case)
        log_access(request=None, action=AccessLog.Action.SIGN_IN_FAILED, username="p_officer")
        log_access(request=None, action=AccessLog.Action.SIGN_IN_FAILED, username="p_officer")
        log_access(request=None, action=AccessLog.Action.LOCKOUT, username="p_officer")
        plant(
            clinician,
            AccessLog.Action.BREAK_GLASS,
            obj=case,
            reason="Youth missing overnight; on-call needed the safety plan.",
        )
    with time_machine.travel("2025-06-10 09:00:00-04:00", tick=False):
        plant(officer, obj=case)


def review_url(week=LAST_WEEK, name="audit:review_detail"):
    return reverse(name, kwargs={"week": week})


def test_a_weeks_summary_shows_denials_sign_in_problems_and_break_glass_reasons(
    last_week_events, client, supervisor
):
    with time_machine.travel(WEDNESDAY, tick=False):
        client.force_login(supervisor)
        response = client.get(review_url())
    summary = response.context["summary"]
    assert dict(summary.by_action) == {
        "Failed sign-in": 2,
        "Denied": 1,
        "Locked out": 1,
        "Broke the glass": 1,
    }
    assert len(summary.denied) == 1 and len(summary.sign_in_problems) == 3
    assert "Youth missing overnight; on-call needed the safety plan." in response.content.decode()
    assert summary.ended and summary.review is None
    assert logged(AccessLog.Action.VIEW, report="weekly_review", week="2025-06-02")


def test_a_weeks_summary_lists_the_days_of_unusual_volume(settings, client, officer, supervisor):
    settings.CFSJ_UNUSUAL_FLOOR = 10
    read_daily(officer, records=2, days=20, until="2025-06-02 00:00")
    with time_machine.travel("2025-06-05 11:00:00-04:00", tick=False):
        read_now(officer, records=15)
    with time_machine.travel(WEDNESDAY, tick=False):
        client.force_login(supervisor)
        summary = client.get(review_url()).context["summary"]
    assert [(u.user, u.day, u.records) for u in summary.unusual] == [
        (officer, date(2025, 6, 5), 15)
    ]


def test_acknowledging_a_week_records_the_review_and_logs_it(client, supervisor):
    with time_machine.travel(WEDNESDAY, tick=False):
        client.force_login(supervisor)
        response = client.post(
            review_url(name="audit:review_acknowledge"), {"comment": "Denial followed up."}
        )
        page = client.get(review_url()).content.decode()
    assert response.status_code == 302
    review = AuditReview.objects.get(week_start=LAST_WEEK)
    assert (review.reviewer, review.comment) == (supervisor, "Denial followed up.")
    [row] = AccessLog.objects.filter(action=AccessLog.Action.REVIEWED)
    assert (row.user, row.object_id, row.detail) == (
        supervisor,
        str(review.pk),
        {"week": "2025-06-02"},
    )
    assert 'data-testid="reviewed"' in page and "Denial followed up." in page
    assert review.history.first().history_user == supervisor


def test_a_week_that_has_not_ended_cannot_be_acknowledged(client, supervisor):
    this_week = LAST_WEEK + timedelta(days=7)
    with time_machine.travel(WEDNESDAY, tick=False):
        client.force_login(supervisor)
        assert 'data-testid="not-ended"' in client.get(review_url(this_week)).content.decode()
        response = client.post(review_url(this_week, "audit:review_acknowledge"), follow=True)
    assert "This week has not ended yet" in response.content.decode()
    assert not AuditReview.objects.exists()
    assert not AccessLog.objects.filter(action=AccessLog.Action.REVIEWED).exists()


def test_a_week_already_acknowledged_is_not_acknowledged_again(client, supervisor):
    other = factories.UserFactory(username="p_supervisor2", role="supervisor")
    with time_machine.travel(WEDNESDAY, tick=False):
        client.force_login(supervisor)
        client.post(review_url(name="audit:review_acknowledge"), {"comment": "First."})
        client.force_login(other)
        response = client.post(
            review_url(name="audit:review_acknowledge"), {"comment": "Second."}, follow=True
        )
    assert "already acknowledged by" in response.content.decode()
    assert AuditReview.objects.get().comment == "First."
    assert AccessLog.objects.filter(action=AccessLog.Action.REVIEWED).count() == 1


def test_a_comment_too_long_is_refused_and_kept(client, supervisor):
    long_comment = "x" * 2001
    with time_machine.travel(WEDNESDAY, tick=False):
        client.force_login(supervisor)
        response = client.post(
            review_url(name="audit:review_acknowledge"), {"comment": long_comment}
        )
    assert response.status_code == 200
    assert "at most 2000 characters" in response.content.decode()
    assert long_comment in response.content.decode()
    assert not AuditReview.objects.exists()


def test_weeks_start_on_mondays_and_have_begun(client, supervisor):
    with time_machine.travel(WEDNESDAY, tick=False):
        client.force_login(supervisor)
        assert client.get(review_url(date(2025, 6, 3))).status_code == 404  # a Tuesday
        assert client.get(review_url(date(2025, 6, 16))).status_code == 404  # next week
        assert client.get("/audit/reviews/2025-02-30/").status_code == 404


def test_the_review_list_shows_the_last_twelve_weeks_and_their_state(client, supervisor):
    AuditReview.objects.create(week_start=LAST_WEEK - timedelta(days=7), reviewer=supervisor)
    with time_machine.travel(WEDNESDAY, tick=False):
        client.force_login(supervisor)
        response = client.get(reverse("audit:review_list"))
    weeks = response.context["weeks"]
    assert len(weeks) == 12
    assert weeks[0].week_start == LAST_WEEK and weeks[0].review is None
    assert weeks[1].review is not None and weeks[1].review.reviewer == supervisor
    page = response.content.decode()
    assert "Not reviewed" in page and "Reviewed by" in page


def test_the_supervisors_home_says_the_weekly_review_is_due_until_it_is_acknowledged(
    client, supervisor
):
    with time_machine.travel(WEDNESDAY, tick=False):
        client.force_login(supervisor)
        assert 'data-testid="audit-review-due"' in client.get("/").content.decode()
        client.post(review_url(name="audit:review_acknowledge"), {"comment": ""})
        assert 'data-testid="audit-review-due"' not in client.get("/").content.decode()


@pytest.mark.parametrize("persona", NOT_SUPERVISORS)
def test_no_one_but_a_supervisor_is_told_of_or_records_a_weekly_review(persona, as_persona):
    with time_machine.travel(WEDNESDAY, tick=False):
        client = as_persona(persona)
        home = client.get("/")
        response = client.post(review_url(name="audit:review_acknowledge"), {"comment": "x"})
    assert "audit-review-due" not in home.content.decode()
    assert response.status_code == 403
    assert not AuditReview.objects.exists()


# --- navigation -------------------------------------------------------------------------------


def test_only_supervisors_get_the_audit_entry(as_persona):
    audit = reverse("audit:review_list")
    for persona in ("supervisor", *NOT_SUPERVISORS):
        items = as_persona(persona).get("/").context["nav_items"]
        assert (audit in [item["url"] for item in items]) == (persona == "supervisor"), persona
