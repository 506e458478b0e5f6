"""Authentication events into the access log. These hooks belong to Django, allauth and axes;
receivers only record, they decide nothing."""

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
