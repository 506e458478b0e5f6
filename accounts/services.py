"""Writes on user accounts: the inactivity rule and a supervisor's re-enable (issue 5).

CJIS asks that accounts unused for 90 days be disabled. The nightly job
(:func:`disable_inactive_accounts`, run by ``accounts.tasks``) disables them and ends their
sessions; a supervisor re-enables one from ``/staff/disabled/`` when its owner is back. An
account an administrator disabled for another reason stays disabled until an administrator
decides otherwise.
"""

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.functions import Coalesce, Greatest
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role
from accounts.sessions import end_all_sessions
from audit.models import AccessLog
from audit.services import log_access

# The access log's username for rows the nightly job writes (it acts for no one).
SYSTEM = "system"


class AccountsError(Exception):
    """A refused change to an account; the message is for the user."""


def last_activity() -> Greatest:
    """An account's last sign of use: sign-in, creation, re-enable, and its last deactivation
    (an account ticked active again in the admin gets a fresh period from that date rather than
    being disabled again the next night). NULLs fall back to ``date_joined``, because SQLite's
    GREATEST is NULL when any argument is."""
    return Greatest(
        Coalesce("last_login", "date_joined"),
        "date_joined",
        Coalesce("reenabled_at", "date_joined"),
        Coalesce("deactivated_at", "date_joined"),
    )


def inactive_accounts(*, now: datetime) -> QuerySet:
    """Active accounts, superusers included, unused for ``CFSJ_INACTIVE_DAYS`` before ``now``."""
    cutoff = now - timedelta(days=settings.CFSJ_INACTIVE_DAYS)
    return (
        User.objects.filter(is_active=True)
        .alias(last_active=last_activity())
        .filter(last_active__lt=cutoff)
    )


def disable_inactive_accounts(*, now: datetime | None = None) -> list[int]:
    """Disable every account unused for ``CFSJ_INACTIVE_DAYS``: inactive, marked with the
    reason, logged ``disabled`` and with all its sessions ended. Returns the ids disabled.

    Each account in its own transaction, re-checked under a row lock, so that one signing in
    while the job runs is left alone and a failure leaves the others done. Running it twice
    disables nothing more.
    """
    now = now or timezone.now()
    disabled = []
    for pk in inactive_accounts(now=now).order_by("pk").values_list("pk", flat=True):
        with transaction.atomic():
            user = inactive_accounts(now=now).select_for_update().filter(pk=pk).first()
            if user is None:
                continue
            user.is_active = False
            user.deactivated_at = now
            user.deactivated_reason = User.DeactivationReason.INACTIVITY
            user._change_reason = "inactivity"
            user.save(update_fields=["is_active", "deactivated_at", "deactivated_reason"])
            log_access(
                request=None,
                action=AccessLog.Action.ACCOUNT_DISABLED,
                obj=user,
                username=SYSTEM,
                detail={"reason": User.DeactivationReason.INACTIVITY.value},
            )
            end_all_sessions(user=user, reason="inactivity")
        disabled.append(pk)
    return disabled


def is_privileged(user: User) -> bool:
    # Roles are read from the groups directly: ``user.roles`` is empty while the account is
    # inactive.
    return user.is_superuser or user.groups.filter(name=Role.ADMINISTRATOR).exists()


def reenable_account(*, user: User, by: Any, request: HttpRequest | None = None) -> User:
    """A supervisor re-enables an account the inactivity rule disabled; it then has a full
    period to be used. Refused for any other disabled account, and for superuser and
    administrator accounts, which only an administrator brings back (a dormant privileged
    account is what an intruder looks for)."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.is_active:
            raise AccountsError(_("This account is already active."))
        if user.deactivated_reason != User.DeactivationReason.INACTIVITY:
            raise AccountsError(
                _(
                    "This account was disabled by an administrator, not for inactivity; only an "
                    "administrator can re-enable it."
                )
            )
        if is_privileged(user):
            raise AccountsError(
                _("Administrator accounts are re-enabled by another administrator, not here.")
            )
        user.is_active = True
        user.reenabled_at = timezone.now()
        user.deactivated_at = None
        user.deactivated_reason = ""
        user._history_user = by
        user._change_reason = "re-enabled after inactivity"
        user.save(
            update_fields=["is_active", "reenabled_at", "deactivated_at", "deactivated_reason"]
        )
        log_access(
            request=request,
            action=AccessLog.Action.ACCOUNT_ENABLED,
            obj=user,
            user=by,
            detail={"reason": User.DeactivationReason.INACTIVITY.value},
        )
    return user


# --- field-key rotation of second-factor secrets ----------------------------------------------

# The keys of allauth's Authenticator.data that hold values encrypted by accounts.adapters
# MfaAdapter: the TOTP secret and the recovery codes' seed.
SECRET_KEYS = ("secret", "seed")


def rotate_second_factor_secrets(*, dry_run: bool = False) -> int:
    """Re-encrypt TOTP secrets and recovery-code seeds under the newest field key; returns how
    many authenticators changed (or would). Part of ``rotate_field_keys``: until it has run, the
    old key must stay in CFSJ_FIELD_KEYS, or every second factor stops working."""
    from allauth.mfa.models import Authenticator

    from cfsj.lib import crypto
    from cfsj.lib.fields import MARKER, is_encrypted

    changed = 0
    for authenticator in Authenticator.objects.order_by("pk").iterator(chunk_size=500):
        data = dict(authenticator.data)
        stale = [
            key
            for key in SECRET_KEYS
            if isinstance(data.get(key), str)
            and is_encrypted(data[key])
            and not crypto.is_current(data[key][len(MARKER) :])
        ]
        if not stale:
            continue
        changed += 1
        if dry_run:
            continue
        for key in stale:
            data[key] = MARKER + crypto.rotate(data[key][len(MARKER) :])
        authenticator.data = data
        authenticator.save(update_fields=["data"])
    return changed
