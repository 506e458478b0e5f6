"""Break-the-glass (issue 5): a clinician or supervisor outside a case opens it by giving a
reason.

The access is a :class:`cases.models.BreakGlassAccess` row, open for
``CFSJ_BREAK_GLASS_HOURS``; :class:`cases.permissions.CasePolicy` counts an unexpired one as
visibility (never as "my caseload", never for protected 42 CFR Part 2 notes, never for changes).
Opening one is written to the access log as ``BREAK_GLASS`` with the reason (the weekly audit
review reads ``detail["reason"]``), puts a review task on the list of the supervisors of the
case's unit, and e-mails them (``cases.tasks.notify_break_glass``) — the e-mail names who and
which case, nothing clinical and not the reason.
"""

import re
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts import access
from accounts.roles import Role
from audit.middleware import current_request
from audit.models import AccessLog
from audit.services import log_access
from cases import permissions
from cases.models import BreakGlassAccess, Case, Task
from cases.services import CasesError

MIN_REASON_LENGTH = 20
# How much of the reason the access log keeps (the grant keeps all of it, encrypted).
LOGGED_REASON_LENGTH = 500


# --- reads ---------------------------------------------------------------------------------


def breakable_cases(user: Any) -> QuerySet:
    """The cases ``user`` could break the glass into: for a clinician or supervisor, every case
    they do not see already; for anyone else, none."""
    if not permissions.may_break_glass(user) or not access.can(user, "manage_cases"):
        return Case.objects.none()
    # The negated rule, checked on each candidate row, rather than NOT IN every visible case:
    # a person page asks about a handful of cases, not the whole section.
    return Case.objects.exclude(permissions.case_rule(user))


def case_to_break_into(user: Any, pk: int) -> Case:
    """The case for the break-the-glass page, with what it shows (number, unit, subject);
    404 — logged as a denied attempt when the case exists — for anyone who may not."""
    try:
        return breakable_cases(user).select_related("unit", "person", "household").get(pk=pk)
    except Case.DoesNotExist:
        if Case.objects.filter(pk=pk).exists():
            log_access(
                request=current_request(),
                action=AccessLog.Action.DENIED,
                obj=Case(pk=pk),
                user=user,
                detail={"break_glass": True},
            )
        raise Http404 from None


def sees_case(user: Any, pk: int) -> bool:
    return access.visible_to(user, Case).filter(pk=pk).exists()


def grant_in_use(user: Any, case: Case) -> BreakGlassAccess | None:
    """The unexpired grant through which ``user`` sees ``case`` (the newest), or None when the
    case is in their own scope. No query for a case of the user's own units."""
    if permissions.in_scope(user, case):
        return None
    return (
        BreakGlassAccess.objects.filter(user=user, case=case, expires_at__gt=timezone.now())
        .order_by("-expires_at")
        .first()
    )


def cases_beyond_reach(user: Any, person_pk: int) -> list[Case]:
    """A person's cases the user does not see but could break the glass into, for the person
    page: numbers and units only."""
    return list(
        breakable_cases(user)
        .filter(person_id=person_pk)
        .select_related("unit")
        .only("pk", "unit__name")
        .order_by("-opened_on", "-pk")
    )


def reviewers(case: Case, *, excluding: Any = None) -> list:
    """Who reviews a break-the-glass access to ``case``: the active supervisors of its unit, or
    every active supervisor when the unit has none (someone must look). Never the user who
    broke the glass."""
    supervisors = get_user_model().objects.filter(is_active=True, groups__name=Role.SUPERVISOR)
    if excluding is not None:
        supervisors = supervisors.exclude(pk=excluding.pk)
    of_unit = list(supervisors.filter(units=case.unit_id).distinct().order_by("pk"))
    return of_unit or list(supervisors.distinct().order_by("pk"))


# --- writes --------------------------------------------------------------------------------


def reason_problem(reason: str) -> str | None:
    """Why ``reason`` is not a reason (a message for the form), or None. "Real text": at least
    MIN_REASON_LENGTH characters, a few words, not one key held down."""
    text = " ".join(reason.split())
    words = re.findall(r"[^\W\d_]{2,}", text)
    if len(text) < MIN_REASON_LENGTH or len(words) < 3 or len(set(text.lower())) < 6:
        return _(
            "Say in a sentence or two why you need this case now (at least %(count)d "
            "characters): it is read by the unit's supervisor."
        ) % {"count": MIN_REASON_LENGTH}
    return None


@transaction.atomic
def break_glass(
    *, user: Any, case: Case, reason: str, request: HttpRequest | None
) -> BreakGlassAccess:
    """Open ``case`` to ``user`` for CFSJ_BREAK_GLASS_HOURS: the grant, the access-log entry
    with the reason, a review task for each reviewer; the e-mail after commit."""
    if not breakable_cases(user).filter(pk=case.pk).exists():
        raise CasesError(_("You cannot break the glass into this case."))
    problem = reason_problem(reason)
    if problem:
        raise CasesError(problem)
    reason = reason.strip()
    now = timezone.now()
    grant = BreakGlassAccess.objects.create(
        user=user,
        case=case,
        reason=reason,
        opened_at=now,
        expires_at=now + timedelta(hours=settings.CFSJ_BREAK_GLASS_HOURS),
    )
    log_access(
        request=request,
        action=AccessLog.Action.BREAK_GLASS,
        obj=case,
        user=user,
        detail={
            "reason": reason[:LOGGED_REASON_LENGTH],
            "expires_at": grant.expires_at.isoformat(),
            "grant": grant.pk,
        },
    )
    # Not tasks_service.task_add: it lets only someone who may change the case add a task, for
    # its own workers; this task goes from an outsider to the supervisors who oversee it.
    title = _("Review break-the-glass access to case #%(case)s by %(user)s") % {
        "case": case.pk,
        "user": user.display_name,
    }
    for reviewer in reviewers(case, excluding=user):
        Task.objects.create(
            title=title[:200],
            due_on=timezone.localdate(),
            assignee=reviewer,
            case=case,
            urgent=True,
            created_by=user,
        )
    from cases.tasks import notify_break_glass  # the task module imports this one

    transaction.on_commit(lambda: notify_break_glass.delay(grant.pk))
    return grant


def send_break_glass_notice(*, grant_id: int) -> int:
    """E-mail the reviewers of a grant once (Celery retries find it sent). Who and which case
    only: no reason, no person, nothing clinical — e-mail leaves the system. Returns how many
    addresses it was sent to."""
    with transaction.atomic():
        grant = (
            BreakGlassAccess.objects.select_for_update()
            .select_related("user", "case__unit")
            .filter(pk=grant_id, notified_at__isnull=True)
            .first()
        )
        if grant is None:
            return 0
        addresses = [u.email for u in reviewers(grant.case, excluding=grant.user) if u.email]
        if addresses:
            send_mail(
                subject=_("Break-the-glass access to case #%(case)s") % {"case": grant.case.pk},
                message=_notice_text(grant),
                from_email=None,
                recipient_list=addresses,
            )
        grant.notified_at = timezone.now()
        grant.save(update_fields=["notified_at"])
    return len(addresses)


def local_time(moment: Any) -> str:
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def _notice_text(grant: BreakGlassAccess) -> str:
    # Plain text built here rather than in a template: a text template would HTML-escape names
    # (O'Brien), and switching autoescaping off in templates is refused project-wide.
    when = local_time

    return "\n\n".join(
        [
            _("%(user)s (%(username)s) broke the glass into case #%(case)s of the %(unit)s.")
            % {
                "user": grant.user.display_name,
                "username": grant.user.get_username(),
                "case": grant.case.pk,
                "unit": grant.case.unit.name,
            },
            _("Opened %(opened)s; the access ends %(expires)s.")
            % {"opened": when(grant.opened_at), "expires": when(grant.expires_at)},
            _(
                "A review task is on your task list in cfsj, with the reason they gave. Sign "
                "in to review it; this message says nothing else about the case."
            ),
        ]
    )
