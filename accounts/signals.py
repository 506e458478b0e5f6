"""Authentication events into the access log. These hooks belong to Django, allauth and axes;
receivers only record, they decide nothing."""

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from audit.models import AccessLog
from audit.services import log_access


@receiver(user_logged_in)
def _signed_in(sender, request, user, **kwargs) -> None:
    log_access(request=request, action=AccessLog.Action.SIGN_IN, user=user)


@receiver(user_logged_out)
def _signed_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        log_access(request=request, action=AccessLog.Action.SIGN_OUT, user=user)


@receiver(user_login_failed)
def _sign_in_failed(sender, credentials, request=None, **kwargs) -> None:
    log_access(
        request=request,
        action=AccessLog.Action.SIGN_IN_FAILED,
        username=str(credentials.get("username", ""))[:150],
    )


@receiver(user_locked_out)
def _locked_out(sender, request, username, ip_address, **kwargs) -> None:
    log_access(request=request, action=AccessLog.Action.LOCKOUT, username=str(username or "")[:150])


# --- account security (issue 5). Password and e-mail changes and the second factor; ending the
# user's sessions is logged by accounts.sessions, which does it. ``user`` is passed explicitly:
# a password change signs the user out before allauth sends its signal, and a reset is made
# by someone who is not signed in.


_MFA_EVENTS = {
    mfa_signals.authenticator_added: AccessLog.Action.MFA_ADDED,
    mfa_signals.authenticator_removed: AccessLog.Action.MFA_REMOVED,
    mfa_signals.authenticator_reset: AccessLog.Action.MFA_CODES_RESET,
}


def _second_factor_event(sender, signal, request, user, authenticator, **kwargs) -> None:
    log_access(
        request=request,
        action=_MFA_EVENTS[signal],
        user=user,
        detail={"type": authenticator.type},
    )


for _signal in _MFA_EVENTS:
    _signal.connect(_second_factor_event, dispatch_uid=f"cfsj-mfa-{_MFA_EVENTS[_signal]}")


@receiver(account_signals.password_changed)
@receiver(account_signals.password_set)
def _password_changed(sender, request, user, **kwargs) -> None:
    log_access(request=request, action=AccessLog.Action.PASSWORD_CHANGED, user=user)


@receiver(account_signals.password_reset)
def _password_reset(sender, request, user, **kwargs) -> None:
    log_access(request=request, action=AccessLog.Action.PASSWORD_RESET, user=user)


@receiver(account_signals.email_changed)
def _email_changed(sender, request, user, from_email_address, to_email_address, **kwargs):
    detail = {"primary": to_email_address.email}
    if from_email_address is not None:
        detail["previous"] = from_email_address.email
    log_access(request=request, action=AccessLog.Action.EMAIL_CHANGED, user=user, detail=detail)


@receiver(account_signals.email_added)
def _email_added(sender, request, user, email_address, **kwargs) -> None:
    log_access(
        request=request,
        action=AccessLog.Action.EMAIL_CHANGED,
        user=user,
        detail={"added": email_address.email},
    )


@receiver(account_signals.email_removed)
def _email_removed(sender, request, user, email_address, **kwargs) -> None:
    log_access(
        request=request,
        action=AccessLog.Action.EMAIL_CHANGED,
        user=user,
        detail={"removed": email_address.email},
    )
