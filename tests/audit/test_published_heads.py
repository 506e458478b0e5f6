"""Issue 5, tamper evidence beyond the chain: the head published outside the database catches
the one thing the chain alone cannot, the deletion of the newest rows."""

import json

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from audit.heads import check_heads, publish_head, read_heads
from audit.models import AccessLog
from audit.selectors import verify_chain
from audit.services import audit_rewrite, log_access
from audit.tasks import publish_audit_head


def logged(user, n: int) -> list[AccessLog]:
    return [log_access(request=None, action=AccessLog.Action.VIEW, user=user) for _ in range(n)]


def delete_rows(*ids: int) -> None:
    with audit_rewrite("test: tamper"), transaction.atomic(), connection.cursor() as cursor:
        for pk in ids:
            cursor.execute("DELETE FROM audit_accesslog WHERE id = %s", [pk])


def test_publishing_appends_the_last_rows_id_and_hash(officer, tmp_path):
    rows = logged(officer, 3)
    path = tmp_path / "heads.log"
    publish_head(path)
    logged(officer, 1)
    publish_head(path)
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert [line["id"] for line in lines] == [rows[-1].pk, rows[-1].pk + 1]
    assert lines[0]["hash"] == rows[-1].row_hash


def test_an_empty_log_publishes_nothing(db, tmp_path):
    assert publish_head(tmp_path / "heads.log") is None
    assert not (tmp_path / "heads.log").exists()


def test_deleting_the_newest_rows_leaves_a_valid_chain_but_fails_against_the_published_head(
    officer, tmp_path, capsys
):
    rows = logged(officer, 4)
    path = tmp_path / "heads.log"
    publish_head(path)
    delete_rows(rows[3].pk, rows[2].pk)
    assert verify_chain().ok  # the shorter chain is still well linked
    with pytest.raises(CommandError):
        call_command("verify_audit", heads=path)
    assert f"row {rows[3].pk}, published as the head" in capsys.readouterr().err


def test_a_rewritten_tail_fails_against_the_published_head(officer, tmp_path):
    rows = logged(officer, 2)
    path = tmp_path / "heads.log"
    publish_head(path)
    with audit_rewrite("test: tamper"), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_accesslog SET row_hash = %s WHERE id = %s", ["0" * 64, rows[1].pk]
        )
    assert "no longer has the hash" in check_heads(read_heads(path))[0]


def test_an_intact_log_agrees_with_every_published_head(officer, tmp_path, capsys):
    path = tmp_path / "heads.log"
    for _ in range(3):
        logged(officer, 2)
        publish_head(path)
    call_command("verify_audit", heads=path)
    assert "3 published heads found in the chain" in capsys.readouterr().out


def test_heads_older_than_a_retention_purge_are_not_counted_as_missing(officer, tmp_path):
    rows = logged(officer, 3)
    path = tmp_path / "heads.log"
    publish_head(path)
    logged(officer, 2)
    delete_rows(*(row.pk for row in rows))  # as a purge would, oldest first
    assert check_heads(read_heads(path)) == []


def test_an_unreadable_head_file_fails_verification(officer, tmp_path, capsys):
    logged(officer, 1)
    path = tmp_path / "heads.log"
    path.write_text("not json\n")
    with pytest.raises(CommandError):
        call_command("verify_audit", heads=path)
    assert "not a published head" in capsys.readouterr().err


def test_the_beat_schedule_publishes_the_head_every_few_minutes(officer, settings, tmp_path):
    entry = django_settings.CELERY_BEAT_SCHEDULE["publish-audit-head"]
    assert entry["task"] == "audit.tasks.publish_audit_head"
    assert entry["schedule"].total_seconds() <= 15 * 60
    settings.CFSJ_AUDIT_HEAD_FILE = str(tmp_path / "heads.log")
    logged(officer, 1)
    publish_audit_head()
    assert len(read_heads(tmp_path / "heads.log")) == 1
