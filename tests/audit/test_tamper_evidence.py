"""Issue 5, tamper-evident audit: append-only triggers under the application, the access log's
hash chain and verify_audit, the retention purge, and denied attempts in the access log."""

from datetime import timedelta

import pytest
import time_machine
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from accounts import access
from accounts.models import Unit
from audit.models import AccessLog, AuditedModel, RecordsAreNotDeleted, RewritePermit
from audit.selectors import verify_chain
from audit.services import audit_rewrite, log_access, retention_years
from audit.triggers import protected_tables_present, unprotect, unprotected
from cases.models import Case

HISTORY_TABLE = "accounts_historicalunit"


def raw(sql: str, params=()) -> int:
    # A savepoint of its own: on PostgreSQL a refused statement aborts the enclosing transaction.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def logged(user, n: int = 3) -> list[AccessLog]:
    return [
        log_access(request=None, action=AccessLog.Action.VIEW, user=user, detail={"n": i})
        for i in range(n)
    ]


@pytest.fixture
def renamed_unit(db):
    unit = Unit.objects.get(code="family-justice")
    unit.name = "Family Justice Unit (renamed)"
    unit.save()
    return unit


# --- triggers ----------------------------------------------------------------------------------


def test_every_history_table_and_the_access_log_have_their_triggers(db):
    tables = protected_tables_present(connection)
    assert "audit_accesslog" in tables
    assert {"accounts_historicaluser", "cases_historicalnote", HISTORY_TABLE} <= set(tables)
    assert unprotected(connection) == []


def test_a_history_table_without_its_triggers_is_noticed(db):
    unprotect(connection, [HISTORY_TABLE])  # rolled back with the test's transaction
    assert unprotected(connection) == [HISTORY_TABLE]


def test_raw_sql_cannot_change_or_delete_access_log_rows(officer):
    row = logged(officer, 1)[0]
    with pytest.raises(DatabaseError, match="append-only"):
        raw("UPDATE audit_accesslog SET detail = '{}' WHERE id = %s", [row.pk])
    with pytest.raises(DatabaseError, match="append-only"):
        raw("DELETE FROM audit_accesslog WHERE id = %s", [row.pk])
    assert AccessLog.objects.get(pk=row.pk).detail == {"n": 0}


def test_raw_sql_cannot_change_or_delete_history_rows(renamed_unit):
    with pytest.raises(DatabaseError, match="append-only"):
        raw("UPDATE accounts_historicalunit SET name = 'Forged'")
    with pytest.raises(DatabaseError, match="append-only"):
        raw("DELETE FROM accounts_historicalunit")
    assert renamed_unit.history.filter(name="Family Justice Unit (renamed)").exists()


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_postgresql_refuses_truncate_of_the_audit_tables(db):
    with pytest.raises(DatabaseError, match="append-only"):
        raw("TRUNCATE accounts_historicalunit")
    with pytest.raises(DatabaseError, match="append-only"):
        raw("TRUNCATE audit_accesslog")


def test_a_rewrite_permit_lets_statements_through_and_is_gone_afterwards(officer, renamed_unit):
    row = logged(officer, 1)[0]
    with audit_rewrite("test: rotate keys", by="tester"):
        assert RewritePermit.objects.get().created_by == "tester"
        assert raw("UPDATE accounts_historicalunit SET name = name") >= 1
        assert raw("DELETE FROM audit_accesslog WHERE id = %s", [row.pk]) == 1
    assert not RewritePermit.objects.exists()
    with pytest.raises(DatabaseError):
        raw("UPDATE accounts_historicalunit SET name = name")


def test_a_failed_rewrite_rolls_back_its_permit_too(officer):
    with pytest.raises(ZeroDivisionError), audit_rewrite("test"):
        1 / 0  # noqa: B018
    assert not RewritePermit.objects.exists()


def test_every_audited_model_refuses_bulk_updates():
    audited = [m for m in apps.get_models() if issubclass(m, AuditedModel)]
    assert Case in audited and Unit in audited
    for model in audited:
        with pytest.raises(RecordsAreNotDeleted):
            model._default_manager.update()
        with pytest.raises(RecordsAreNotDeleted):
            model._default_manager.all().delete()


# --- hash chain --------------------------------------------------------------------------------


def test_each_row_is_chained_to_the_previous_one(officer):
    first, second, _ = logged(officer)
    assert second.prev_hash == first.row_hash
    assert len(second.row_hash) == 64


def test_a_clean_chain_verifies(officer, capsys):
    logged(officer, 5)
    call_command("verify_audit")
    assert "5 access-log rows verified" in capsys.readouterr().out


def test_a_changed_row_is_reported_at_that_row(officer, capsys):
    rows = logged(officer, 4)
    with audit_rewrite("test: tamper"):
        raw("UPDATE audit_accesslog SET detail = %s WHERE id = %s", ['{"n": 99}', rows[2].pk])
    with pytest.raises(CommandError):
        call_command("verify_audit")
    err = capsys.readouterr().err
    assert f"Broken link at access-log row {rows[2].pk}" in err
    assert "contents no longer match" in err


def test_a_deleted_middle_row_is_reported_at_the_row_after_it(officer, capsys):
    rows = logged(officer, 4)
    with audit_rewrite("test: tamper"):
        raw("DELETE FROM audit_accesslog WHERE id = %s", [rows[1].pk])
    report = verify_chain()
    assert report.broken_at == rows[2].pk
    assert f"row_hash of row {rows[0].pk}" in report.problem


def test_a_deleted_oldest_row_is_reported(officer):
    rows = logged(officer, 3)
    with audit_rewrite("test: tamper"):
        raw("DELETE FROM audit_accesslog WHERE id = %s", [rows[0].pk])
    assert verify_chain().broken_at == rows[1].pk


def test_a_rewrite_permit_left_behind_fails_verification(officer, capsys):
    logged(officer, 2)
    RewritePermit.objects.create(reason="forgotten", created_by="someone")
    with pytest.raises(CommandError):
        call_command("verify_audit")
    assert "Rewrite permit" in capsys.readouterr().err


# --- retention ---------------------------------------------------------------------------------


def _logged_at(when, user) -> AccessLog:
    with time_machine.travel(when, tick=False):
        return log_access(request=None, action=AccessLog.Action.VIEW, user=user)


def test_the_retention_floor_is_one_year_whatever_the_setting(settings):
    settings.CFSJ_AUDIT_RETENTION_YEARS = 0
    assert retention_years() == 1
    settings.CFSJ_AUDIT_RETENTION_YEARS = 6
    assert retention_years() == 6


def test_rows_older_than_six_years_are_purged_by_default(officer):
    now = timezone.now()
    with time_machine.travel(now - timedelta(days=7 * 365), tick=False):
        old = log_access(request=None, action=AccessLog.Action.VIEW, user=officer)
        unit = Unit.objects.get(code="social-justice")
        unit.name = "Social Justice Unit (old)"
        unit.save()
    recent = _logged_at(now - timedelta(days=5 * 365), officer)
    call_command("purge_audit", verbosity=0)
    assert not AccessLog.objects.filter(pk=old.pk).exists()
    assert AccessLog.objects.filter(pk=recent.pk).exists()
    assert not unit.history.filter(name="Social Justice Unit (old)").exists()
    purge = AccessLog.objects.get(action=AccessLog.Action.PURGE)
    assert purge.detail["access_rows"] >= 1 and purge.detail["history_rows"] >= 1
    assert verify_chain().ok
    assert not RewritePermit.objects.exists()


def test_a_six_month_old_row_is_kept_even_with_a_zero_year_setting(officer, settings):
    settings.CFSJ_AUDIT_RETENTION_YEARS = 0
    now = timezone.now()
    two_years = _logged_at(now - timedelta(days=2 * 365), officer)
    six_months = _logged_at(now - timedelta(days=182), officer)
    call_command("purge_audit", verbosity=0)
    assert not AccessLog.objects.filter(pk=two_years.pk).exists()
    assert AccessLog.objects.filter(pk=six_months.pk).exists()


def test_a_dry_run_deletes_nothing(officer, capsys):
    old = _logged_at(timezone.now() - timedelta(days=8 * 365), officer)
    call_command("purge_audit", dry_run=True)
    assert "would delete 1 access-log rows" in capsys.readouterr().out
    assert AccessLog.objects.filter(pk=old.pk).exists()
    assert not AccessLog.objects.filter(action=AccessLog.Action.PURGE).exists()


def test_the_chain_still_verifies_after_repeated_purges_and_new_rows(officer):
    now = timezone.now()
    for years in (9, 8, 7):
        _logged_at(now - timedelta(days=years * 365), officer)
    logged(officer, 2)
    call_command("purge_audit", verbosity=0)
    assert verify_chain().ok
    with time_machine.travel(now + timedelta(days=10 * 365), tick=False):
        logged(officer, 1)
        call_command("purge_audit", verbosity=0)
        logged(officer, 1)
    report = verify_chain()
    assert report.ok, report.problem


def test_a_purge_that_removed_every_row_still_verifies(officer):
    _logged_at(timezone.now() - timedelta(days=7 * 365), officer)
    call_command("purge_audit", verbosity=0)
    assert list(AccessLog.objects.values_list("action", flat=True)) == ["purge"]
    assert verify_chain().ok


# --- denied attempts ---------------------------------------------------------------------------


def test_an_officer_opening_a_case_he_cannot_see_leaves_a_denied_entry(client, officer, case):
    client.force_login(officer)
    response = client.get(reverse("cases:case_detail", args=[case.pk]), REMOTE_ADDR="10.4.4.4")
    assert response.status_code == 404
    denied = AccessLog.objects.get(action=AccessLog.Action.DENIED)
    assert (denied.user, denied.object_id, denied.content_type.model) == (
        officer,
        str(case.pk),
        "case",
    )
    assert (denied.ip_address, denied.detail) == ("10.4.4.4", {})


def test_a_case_that_does_not_exist_is_a_plain_404_without_an_entry(client, officer, case):
    client.force_login(officer)
    response = client.get(reverse("cases:case_detail", args=[case.pk + 1000]))
    assert response.status_code == 404
    assert not AccessLog.objects.filter(action=AccessLog.Action.DENIED).exists()


def test_the_access_module_logs_denials_outside_a_request_without_an_address(officer):
    class MyUnits(access.Policy):
        def visible(self, user, queryset):
            return queryset.filter(pk__in=user.unit_ids)

    access._policies[Unit] = MyUnits()
    try:
        other = Unit.objects.get(code="social-justice")
        with pytest.raises(access.Http404):
            access.get_visible_or_404(officer, Unit, pk=other.pk)
        with pytest.raises(access.Http404):
            access.get_visible_or_404(officer, Unit, pk="not-a-number")
    finally:
        del access._policies[Unit]
    denied = AccessLog.objects.get(action=AccessLog.Action.DENIED)
    assert (denied.object_id, denied.ip_address, denied.user) == (str(other.pk), None, officer)
