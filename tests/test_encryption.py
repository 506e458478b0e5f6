"""Narratives and clinical text are encrypted in the database (issue 5, "Data at rest")."""

import importlib

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import connection

from audit.services import audit_rewrite
from cases import assessments, casework
from cases.encryption import encrypted_fields, encrypted_models
from cases.models import Assessment, Contact, InstrumentVersion
from cfsj.lib import crypto
from cfsj.lib.crypto import DecryptionError, field_keys
from cfsj.lib.fields import MARKER, EncryptedJSONField, EncryptedTextField
from tests.test_settings import PRODUCTION, run

SECRET = "Disclosed daily cannabis use to the clinician"
KEY_A = Fernet.generate_key().decode()
KEY_B = Fernet.generate_key().decode()
migration = importlib.import_module("cases.migrations.0007_encrypt_text_fields")


def raw(sql: str, *params) -> list:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


class _SchemaEditor:
    connection = connection


@pytest.fixture
def secret_contact(officer, person):
    from tests.factories import contact

    return contact(author=officer, people=[person], narrative=SECRET)


# --- what the database holds -------------------------------------------------------------------


def test_a_raw_sql_read_shows_ciphertext_and_the_orm_shows_the_narrative(secret_contact):
    (stored,) = raw("SELECT narrative FROM cases_contact WHERE id = %s", secret_contact.pk)
    assert stored.startswith(MARKER)
    assert SECRET not in stored and "cannabis" not in stored
    assert Contact.objects.get(pk=secret_contact.pk).narrative == SECRET


def test_history_rows_are_encrypted_too(secret_contact):
    assert isinstance(Contact.history.model._meta.get_field("narrative"), EncryptedTextField)
    stored = raw("SELECT narrative FROM cases_historicalcontact")
    assert stored and all(value.startswith(MARKER) for value in stored)
    assert secret_contact.history.first().narrative == SECRET


def test_every_narrative_and_clinical_text_column_is_encrypted_with_its_history():
    columns = {
        (model._meta.db_table, field.column)
        for model in encrypted_models()
        for field in encrypted_fields(model)
    }
    expected = {
        ("cases_contact", "narrative"),
        ("cases_contactaddendum", "text"),
        ("cases_note", "text"),
        ("cases_consultation", "question"),
        ("cases_consultation", "answer"),
        ("cases_case", "reason"),
        ("cases_case", "goals"),
        ("cases_assessment", "answers"),
        ("cases_person", "safety_notes"),
        ("cases_breakglassaccess", "reason"),
    }
    history = {(table.replace("cases_", "cases_historical"), column) for table, column in expected}
    # Status changes and transfers have no history table of their own (the case's has the row).
    assert columns == expected | history | {
        ("cases_casestatuschange", "reason"),
        ("cases_casetransfer", "reason"),
    }


def test_an_empty_narrative_stays_an_empty_string_not_null(officer, person):
    from tests.factories import contact

    empty = contact(author=officer, people=[person], narrative="", finish=False)
    assert raw("SELECT narrative FROM cases_contact WHERE id = %s", empty.pk) == [""]
    assert Contact.objects.get(pk=empty.pk).narrative == ""
    assert Contact.objects.filter(pk=empty.pk, narrative="").exists()


def test_assessment_answers_are_stored_encrypted_and_read_back_as_json(officer, person):
    answers = {f"q{n}": "no" for n in range(1, 12)}
    assessment = assessments.assessment_record(
        actor=officer,
        person=person,
        case=None,
        instrument_version=InstrumentVersion.objects.get(instrument__code="lap", version="1"),
        raw_answers=answers,
    )
    assert isinstance(Assessment._meta.get_field("answers"), EncryptedJSONField)
    (stored,) = raw("SELECT answers FROM cases_assessment WHERE id = %s", assessment.pk)
    assert stored.startswith(MARKER) and '"q1"' not in stored
    read_back = Assessment.objects.get(pk=assessment.pk).answers
    assert read_back == assessment.answers and answers.items() <= read_back.items()


def test_searching_inside_an_encrypted_column_is_refused_clearly(secret_contact):
    with pytest.raises(FieldError, match="narrative is encrypted at rest"):
        list(Contact.objects.filter(narrative__icontains="cannabis"))
    with pytest.raises(FieldError, match="can only be compared with ''"):
        list(Contact.objects.filter(narrative=SECRET))
    assert Contact.objects.filter(narrative__isnull=False).exists()


def test_the_contact_form_still_limits_the_narrative_to_its_plaintext_length():
    from cases.forms import ContactForm

    assert ContactForm.base_fields["narrative"].max_length == 10_000


# --- keys ------------------------------------------------------------------------------------


def test_a_value_written_under_a_removed_key_gives_a_clear_error(secret_contact, settings):
    settings.CFSJ_FIELD_KEYS = [KEY_A]
    with pytest.raises(DecryptionError, match="cannot be decrypted with any key in CFSJ_FIELD"):
        Contact.objects.get(pk=secret_contact.pk)


def test_production_refuses_to_start_without_field_keys():
    env = {k: v for k, v in PRODUCTION.items() if k != "CFSJ_FIELD_KEYS"}
    result = run("check", **env)
    assert result.returncode != 0
    assert "CFSJ_FIELD_KEYS must be set when DEBUG is off" in result.stderr


def test_a_malformed_key_stops_the_process_without_echoing_it():
    with pytest.raises(ImproperlyConfigured, match="key 2 is not a Fernet key") as error:
        field_keys([KEY_A, "not-a-key-but-secret"], debug=False)
    assert "not-a-key-but-secret" not in str(error.value)


def test_debug_without_keys_uses_the_public_development_key():
    assert field_keys([], debug=True) == [crypto.DEVELOPMENT_KEY]
    with pytest.raises(ImproperlyConfigured):
        field_keys([], debug=False)


def test_the_keys_are_not_derived_from_the_secret_key(settings):
    settings.SECRET_KEY = "another-secret-key-entirely-" + "y" * 30
    token = crypto.encrypt(SECRET)
    settings.SECRET_KEY = "and-yet-another-one-" + "z" * 30
    assert crypto.decrypt(token) == SECRET


# --- the migration and rotation ------------------------------------------------------------


def test_the_migration_encrypts_a_plaintext_row_and_its_history(secret_contact):
    # Rows as they were before the migration (history is append-only, hence the permit).
    with audit_rewrite("test: plant legacy plaintext"), connection.cursor() as cursor:
        cursor.execute("UPDATE cases_contact SET narrative = %s", ["legacy plain narrative"])
        cursor.execute("UPDATE cases_historicalcontact SET narrative = %s", ["legacy history"])
    # Until the migration reaches it, a plain value is still readable.
    assert Contact.objects.get(pk=secret_contact.pk).narrative == "legacy plain narrative"

    migration.encrypt_existing_rows(apps, _SchemaEditor())
    migration.encrypt_existing_rows(apps, _SchemaEditor())  # a rerun changes nothing

    (stored,) = raw("SELECT narrative FROM cases_contact WHERE id = %s", secret_contact.pk)
    assert stored.startswith(MARKER) and "legacy" not in stored
    assert Contact.objects.get(pk=secret_contact.pk).narrative == "legacy plain narrative"
    assert {h.narrative for h in secret_contact.history.all()} == {"legacy history"}
    assert all(v.startswith(MARKER) for v in raw("SELECT narrative FROM cases_historicalcontact"))


def test_reversing_the_migration_restores_plain_text(secret_contact):
    migration.decrypt_existing_rows(apps, _SchemaEditor())
    assert raw("SELECT narrative FROM cases_historicalcontact") == [SECRET]
    assert raw("SELECT narrative FROM cases_contact WHERE id = %s", secret_contact.pk) == [SECRET]


def test_rotation_moves_every_value_to_the_newest_key(officer, person, settings):
    from tests.factories import contact

    original = list(settings.CFSJ_FIELD_KEYS)  # the officer's second factor is under these
    settings.CFSJ_FIELD_KEYS = [KEY_A]
    written = contact(author=officer, people=[person], narrative=SECRET)

    settings.CFSJ_FIELD_KEYS = [KEY_B, KEY_A, *original]
    call_command("rotate_field_keys", "--dry-run", verbosity=0)
    assert not crypto.is_current(
        raw("SELECT narrative FROM cases_contact WHERE id = %s", written.pk)[0][len(MARKER) :]
    )
    call_command("rotate_field_keys", "--batch-size", "2", verbosity=0)

    settings.CFSJ_FIELD_KEYS = [KEY_B]
    for model in encrypted_models():
        for instance in model._base_manager.all():
            for field in encrypted_fields(model):
                getattr(instance, field.attname)  # decrypted on load: would have raised
    assert Contact.objects.get(pk=written.pk).narrative == SECRET
    assert written.history.first().narrative == SECRET


def test_rotation_is_idempotent_and_counts_in_a_dry_run(secret_contact, settings, capsys):
    from allauth.mfa.models import Authenticator

    settings.CFSJ_FIELD_KEYS = [KEY_B, *settings.CFSJ_FIELD_KEYS]
    # The contact, its history row, and every second factor (TOTP and recovery codes) of the
    # users the fixtures made.
    expected = 2 + Authenticator.objects.count()
    call_command("rotate_field_keys", "--dry-run")
    assert f"Done: would re-encrypt {expected} rows." in capsys.readouterr().out
    call_command("rotate_field_keys")
    assert f"Done: re-encrypted {expected} rows." in capsys.readouterr().out
    call_command("rotate_field_keys")
    assert "Done: re-encrypted 0 rows." in capsys.readouterr().out


def test_second_factors_still_work_after_rotation_with_only_the_new_key(officer, settings):
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    from tests.factories import current_code

    settings.CFSJ_FIELD_KEYS = [KEY_B, *settings.CFSJ_FIELD_KEYS]
    call_command("rotate_field_keys", verbosity=0)
    settings.CFSJ_FIELD_KEYS = [KEY_B]
    totp = Authenticator.objects.get(user=officer, type=Authenticator.Type.TOTP)
    assert TOTP(totp).validate_code(current_code(officer))
    stored = str(raw("SELECT data FROM mfa_authenticator WHERE id = %s", totp.pk)[0])
    assert stored.count("enc1:") == 1  # the secret, stored encrypted (PostgreSQL: a dict)


def test_rotation_without_the_old_key_stops_and_says_what_to_do(secret_contact, settings):
    settings.CFSJ_FIELD_KEYS = [KEY_B]
    with pytest.raises(CommandError, match="Put the old key back"):
        call_command("rotate_field_keys", verbosity=0)


# --- safety notes, status-change reasons, break-the-glass reasons (issue 5, 0008) -------------

SAFETY = "Dog on the premises; the father keeps a knife in the kitchen"
migration_0008 = importlib.import_module(
    "cases.migrations.0008_break_glass_and_encrypt_safety_notes"
)


def test_safety_notes_status_reasons_and_break_glass_reasons_are_ciphertext_in_sql(
    case, clinician_other_unit
):
    from cases import breakglass, casework
    from cases.models import Person

    case.person.safety_notes = SAFETY
    case.person.save()
    casework.case_transition(
        actor=case.assigned_to, case=case, to_status="active", reason="Engaged after the visit"
    )
    breakglass.break_glass(
        user=clinician_other_unit,
        case=case,
        reason="Called to the home tonight and need the plan now.",
        request=None,
    )
    for sql, plain in (
        ("SELECT safety_notes FROM cases_person WHERE id = %s", "knife"),
        (
            "SELECT safety_notes FROM cases_historicalperson WHERE id = %s AND safety_notes != ''",
            "knife",
        ),
        ("SELECT reason FROM cases_casestatuschange WHERE case_id = %s", "visit"),
        ("SELECT reason FROM cases_breakglassaccess WHERE case_id = %s", "home tonight"),
    ):
        pk = case.person.pk if "person" in sql else case.pk
        stored = raw(sql, pk)
        assert stored and all(v.startswith(MARKER) and plain not in v for v in stored), sql
    assert Person.objects.get(pk=case.person.pk).safety_notes == SAFETY
    assert case.status_changes.order_by("pk").last().reason == "Engaged after the visit"


def test_the_0008_migration_encrypts_legacy_safety_notes_and_status_reasons(case):
    case.person.safety_notes = SAFETY
    case.person.save()
    with audit_rewrite("test: plant legacy plaintext"), connection.cursor() as cursor:
        cursor.execute("UPDATE cases_person SET safety_notes = %s", ["legacy safety note"])
        cursor.execute(
            "UPDATE cases_historicalperson SET safety_notes = %s", ["legacy history note"]
        )
        cursor.execute("UPDATE cases_casestatuschange SET reason = %s", ["legacy reason"])

    migration_0008.encrypt_existing_rows(apps, _SchemaEditor())
    migration_0008.encrypt_existing_rows(apps, _SchemaEditor())  # a rerun changes nothing

    for table, column in (
        ("cases_person", "safety_notes"),
        ("cases_historicalperson", "safety_notes"),
        ("cases_casestatuschange", "reason"),
    ):
        values = raw(f"SELECT {column} FROM {table}")  # noqa: S608 (constants)
        assert values and all(v.startswith(MARKER) for v in values), table
    assert case.status_changes.get().reason == "legacy reason"
    assert {h.safety_notes for h in case.person.history.all()} == {"legacy history note"}

    migration_0008.decrypt_existing_rows(apps, _SchemaEditor())
    assert set(raw("SELECT reason FROM cases_casestatuschange")) == {"legacy reason"}


migration_0009 = importlib.import_module("cases.migrations.0009_case_transfers")


def test_the_0009_migration_moves_plain_transfer_reasons_out_of_the_case_history(
    case, clinician, clinician_other_unit, supervisor
):
    casework.case_transfer(
        actor=supervisor, case=case, to_user=clinician_other_unit, reason="Caseload balance"
    )
    case.transfers.get()  # made by the service; the legacy one below is planted by hand
    newest = case.history.first()
    with audit_rewrite("test: plant a legacy transfer"), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cases_historicalcase SET history_change_reason = %s WHERE history_id = %s",
            ["transfer: Moved for a conflict of interest", newest.history_id],
        )

    migration_0009.move_transfer_reasons(apps, _SchemaEditor())

    legacy = case.transfers.order_by("-pk").first()
    # Who made it is what the history row knew: nobody here (a service call, no request).
    assert (legacy.from_user, legacy.to_user, legacy.actor) == (
        clinician,
        clinician_other_unit,
        None,
    )
    assert legacy.reason == "Moved for a conflict of interest"
    assert raw("SELECT reason FROM cases_casetransfer WHERE id = %s", legacy.pk)[0].startswith(
        MARKER
    )
    newest.refresh_from_db()
    assert newest.history_change_reason == "transfer"
    assert "conflict" not in str(raw("SELECT history_change_reason FROM cases_historicalcase"))
