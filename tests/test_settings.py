"""Settings are read strictly from the environment. Each case starts a fresh interpreter, since
settings are read once per process."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "a-long-random-production-secret-" + "x" * 40,
    "ALLOWED_HOSTS": "cfsj.example.org",
    "CFSJ_HTTPS": "true",
    "EMAIL_URL": "smtp+tls://mail.example.org:587",
    "DATABASE_URL": "sqlite:////tmp/cfsj-settings-test.sqlite3",
    "CFSJ_FIELD_KEYS": "ILjaOczh8SsMekES8ad28wiT6IPYN7XZMr7n2hOHTTc=",
}


def run(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("CFSJ_", "DJANGO_"))}
    for name in ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "EMAIL_URL"):
        clean.pop(name, None)
    return subprocess.run(  # noqa: S603 (our own interpreter and manage.py)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run("check", DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_a_typo_in_a_boolean_stops_the_process():
    result = run("check", **{**PRODUCTION, "CFSJ_HTTPS": "ture"})
    assert result.returncode != 0
    assert "CFSJ_HTTPS='ture' is not a boolean" in result.stderr


def test_a_typo_in_a_number_stops_the_process():
    result = run("check", **{**PRODUCTION, "SESSION_IDLE_MINUTES": "thirty"})
    assert result.returncode != 0
    assert "SESSION_IDLE_MINUTES='thirty' is not a whole number" in result.stderr


def test_debug_has_a_development_secret_so_the_local_trial_needs_no_setup():
    result = run("check", DEBUG="true")
    assert result.returncode == 0, result.stderr


def test_the_deploy_check_is_clean_with_production_settings():
    result = run("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_code_only_commands_run_without_any_secret():
    # Image builds and pre-commit checks have no secrets; these commands read only the code.
    result = run("makemigrations", "--check", "--dry-run", DEBUG="false")
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


def test_other_commands_still_refuse_without_a_secret():
    for command in ("check", "migrate", "seed_demo"):
        result = run(command, DEBUG="false")
        assert result.returncode != 0
        assert "SECRET_KEY must be set" in result.stderr, command


def test_production_refuses_to_start_with_the_second_factor_switched_off():
    result = run("check", **{**PRODUCTION, "CFSJ_MFA_REQUIRED": "false"})
    assert result.returncode != 0
    assert "CFSJ_MFA_REQUIRED may be off only with DEBUG on" in result.stderr


def test_the_local_demo_may_switch_the_second_factor_off():
    result = run("check", DEBUG="true", CFSJ_MFA_REQUIRED="false")
    assert result.returncode == 0, result.stderr


def test_a_typo_in_the_second_factor_switch_stops_the_process():
    result = run("check", DEBUG="true", CFSJ_MFA_REQUIRED="flase")
    assert result.returncode != 0
    assert "CFSJ_MFA_REQUIRED='flase' is not a boolean" in result.stderr
