"""Ending a user's sessions (issue 5): on a password change or reset, when an account is
disabled (by an administrator or for inactivity), when an administrator removes a lost second
factor, and when the user ends their other sessions.

Sessions are found through allauth's ``UserSession`` rows, written at every sign-in through
allauth. A session without such a row (one started before usersessions was installed) is still
refused on its next request: Django drops a session whose user is inactive or whose password hash
changed. Ending the rows here makes that immediate and visible in the access log.
"""

from collections.abc import Iterable

from allauth.usersessions.models import UserSession
from django.db import transaction
from django.http import HttpRequest

from audit.models import AccessLog
from audit.services import log_access


def end_all_sessions(*, user, request: HttpRequest | None = None, reason: str = "") -> int:
    """End every session of ``user`` (the current request's too, if it is one of them) and log
    one ``sessions_ended`` row with the count. Returns the count."""
    return end_sessions(
        user=user,
        sessions=UserSession.objects.filter(user_id=user.pk),
        request=request,
        reason=reason or "all sessions",
    )


def end_sessions(
    *,
    user,
    sessions: Iterable[UserSession],
    request: HttpRequest | None = None,
    reason: str,
) -> int:
    """End the given sessions of ``user``: the Django session rows and allauth's rows pointing
    to them, with one access-log row in the same transaction."""
    with transaction.atomic():
        ended = [session for session in sessions if session.user_id == user.pk]
        keys = {session.session_key for session in ended}
        for session in ended:
            session.end()
        current = getattr(request, "session", None)
        if current is not None and current.session_key in keys:
            # Its row is gone; flushing keeps the middleware from saving it back (or failing
            # with SessionInterrupted) at the end of this request.
            current.flush()
        log_access(
            request=request,
            action=AccessLog.Action.SESSIONS_ENDED,
            obj=user,
            detail={"count": len(ended), "reason": reason},
        )
    return len(ended)
