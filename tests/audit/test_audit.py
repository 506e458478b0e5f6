import pytest
from django.urls import reverse

from accounts.models import Unit
from audit.models import AccessLog, RecordsAreNotDeleted
from audit.selectors import record_trail
from audit.services import log_access


def test_a_change_made_in_the_admin_is_kept_in_the_history_with_who_made_it(client, admin_user):
    unit = Unit.objects.get(code="social-justice")
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:accounts_unit_change", args=[unit.pk]),
        {"code": unit.code, "name": "Social Justice and Outreach Unit", "active": "on"},
    )
    assert response.status_code == 302
    latest = unit.history.latest()
    assert latest.history_user == admin_user
    assert latest.name == "Social Justice and Outreach Unit"
    assert latest.prev_record.name == "Social Justice Unit"


def test_audited_records_cannot_be_deleted(db):
    unit = Unit.objects.get(code="social-justice")
    with pytest.raises(RecordsAreNotDeleted):
        unit.delete()
    with pytest.raises(RecordsAreNotDeleted):
        Unit.objects.filter(pk=unit.pk).delete()
    assert Unit.objects.filter(pk=unit.pk).exists()


def test_bulk_updates_that_would_escape_the_history_are_refused(db):
    with pytest.raises(RecordsAreNotDeleted):
        Unit.objects.update(active=False)
    assert Unit.objects.filter(active=True).count() == 3


def test_users_are_deactivated_not_deleted(officer):
    with pytest.raises(RecordsAreNotDeleted):
        officer.delete()


def test_the_admin_offers_no_delete(client, admin_user, officer):
    client.force_login(admin_user)
    page = client.get(reverse("admin:accounts_user_change", args=[officer.pk])).content.decode()
    assert "deletelink" not in page
    response = client.get(reverse("admin:accounts_user_delete", args=[officer.pk]))
    assert response.status_code == 403


def test_access_log_rows_are_append_only(officer, rf):
    row = log_access(request=rf.get("/"), action=AccessLog.Action.VIEW, user=officer)
    row.detail = {"tampered": True}
    with pytest.raises(RecordsAreNotDeleted):
        row.save()
    with pytest.raises(RecordsAreNotDeleted):
        row.delete()
    with pytest.raises(RecordsAreNotDeleted):
        AccessLog.objects.all().delete()
    with pytest.raises(RecordsAreNotDeleted):
        AccessLog.objects.update(action="view")


def test_a_logged_read_records_user_record_time_and_address(officer, rf):
    unit = Unit.objects.get(code="family-justice")
    request = rf.get("/", REMOTE_ADDR="10.1.2.3")
    request.user = officer
    row = log_access(request=request, action=AccessLog.Action.VIEW, obj=unit)
    assert (row.user, row.object_id, row.ip_address) == (officer, str(unit.pk), "10.1.2.3")
    assert row.content_type.model == "unit"
    assert row.at is not None


def test_the_address_behind_a_trusted_proxy_is_the_forwarded_one(officer, rf, settings):
    settings.CFSJ_TRUSTED_PROXY_COUNT = 1
    request = rf.get("/", REMOTE_ADDR="10.0.0.254", HTTP_X_FORWARDED_FOR="203.0.113.9, 10.9.9.9")
    request.user = officer
    row = log_access(request=request, action=AccessLog.Action.VIEW)
    assert row.ip_address == "10.9.9.9"


def test_a_record_trail_shows_changes_and_reads_in_few_queries(
    officer, supervisor, rf, django_assert_max_num_queries
):
    unit = Unit.objects.get(code="family-justice")
    unit.name = "Family Justice Unit (Youth)"
    unit._history_user = supervisor
    unit.save()
    request = rf.get("/")
    request.user = officer
    log_access(request=request, action=AccessLog.Action.VIEW, obj=unit)
    # history rows with users; the access content type (cached after first use); access rows
    with django_assert_max_num_queries(3):
        trail = record_trail(unit)
    assert trail.history[0].who == supervisor.display_name
    renamed = ("name", "Family Justice Unit", "Family Justice Unit (Youth)")
    assert renamed in trail.history[0].changes
    assert trail.history[-1].kind == "created"
    assert [row.user for row in trail.accesses] == [officer]
