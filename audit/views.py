"""The audit review, for supervisors only (issue 5): who viewed a person, what one user did (and
its CSV export), unusual volume, and the weekly review.

Administrators are refused too: they manage accounts and reference data, and separation of
duties keeps them from reading who read which clinical record. Every page is itself logged, so
the reviewers are reviewed.
"""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts import access
from accounts.models import User
from audit import selectors
from audit.forms import ActivityRangeForm, ReviewForm
from audit.models import AccessLog
from audit.services import AuditError, log_access, review_acknowledge
from cases.models import Person
from cfsj.lib import ratelimit
from cfsj.lib.csv import write_rows
from cfsj.lib.forms import focus_first_error
from cfsj.views import rate_limited

SUPERVISE = "supervise"


def _page(request: HttpRequest, queryset, size: int = selectors.PAGE_SIZE):
    page = Paginator(queryset, size).get_page(request.GET.get("page", 1))
    # Read now, before this page's own log row is written, so the count and rows agree.
    page.object_list = list(page.object_list)
    return page


@login_required
@require_GET
def person_accesses(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(request.user, SUPERVISE)
    person = access.get_visible_or_404(request.user, Person, pk=pk)
    page = _page(request, selectors.person_accesses(person))
    log_access(
        request=request,
        action=AccessLog.Action.VIEW,
        obj=person,
        detail={"report": "who_viewed"},
    )
    return render(request, "audit/person_accesses.html", {"person": person, "page": page})


@login_required
@require_GET
def user_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, SUPERVISE)
    accounts = access.visible_to(request.user, User).prefetch_related("groups")
    page = _page(request, accounts.order_by("last_name", "first_name", "username"))
    log_access(
        request=request,
        action=AccessLog.Action.LIST,
        detail={"report": "staff", "count": page.paginator.count},
    )
    return render(request, "audit/user_list.html", {"page": page, "tab": "users"})


@login_required
@require_GET
def user_activity(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(request.user, SUPERVISE)
    subject = access.get_visible_or_404(request.user, User, pk=pk)
    form = ActivityRangeForm(request.GET if _has_period(request) else None)
    context = {"subject": subject, "form": form, "tab": "users"}
    period = form.period()
    if period is None:
        focus_first_error(form)
    else:
        start, end = period
        context["activity"] = selectors.user_activity(subject, start=start, end=end)
        context["page"] = _page(request, selectors.user_rows(subject, start=start, end=end))
        context["period"] = period
    log_access(
        request=request,
        action=AccessLog.Action.VIEW,
        obj=subject,
        detail={"report": "user_activity"},
    )
    return render(request, "audit/user_activity.html", context)


def _has_period(request: HttpRequest) -> bool:
    return "start" in request.GET or "end" in request.GET


CSV_HEADER = ("when", "user", "action", "record type", "record id", "address", "reason", "detail")


def _csv_row(row: AccessLog) -> tuple:
    detail = row.detail if isinstance(row.detail, dict) else {}
    return (
        timezone.localtime(row.at).isoformat(timespec="seconds"),
        row.username,
        row.action,
        row.content_type.model if row.content_type_id else "",
        row.object_id,
        row.ip_address,
        # A break-the-glass reason is free text typed by a user: write_rows neutralises it.
        detail.get("reason", ""),
        json.dumps(row.detail, sort_keys=True, ensure_ascii=False) if row.detail else "",
    )


@login_required
@require_GET
def user_export(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(request.user, SUPERVISE)
    subject = access.get_visible_or_404(request.user, User, pk=pk)
    period = ActivityRangeForm(request.GET if _has_period(request) else None).period()
    if period is None:
        # The report page shows what is wrong with the dates, keeping what was typed.
        url = reverse("audit:user_activity", args=[subject.pk])
        return redirect(f"{url}?{request.GET.urlencode()}")
    if not ratelimit.limit(request, "export", settings.CFSJ_EXPORT_RATE):
        return rate_limited(request, scope="export")
    start, end = period
    rows = selectors.user_rows(subject, start=start, end=end)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="activity-user{subject.pk}-{start:%Y%m%d}-{end:%Y%m%d}.csv"'
    )
    written = write_rows(response, CSV_HEADER, (_csv_row(r) for r in rows.iterator(2000)))
    log_access(
        request=request,
        action=AccessLog.Action.EXPORT,
        obj=subject,
        detail={
            "report": "user_activity",
            "rows": written,
            "start": start.isoformat(),
            "end": end.isoformat(),
        },
    )
    return response


@login_required
@require_GET
def unusual(request: HttpRequest) -> HttpResponse:
    access.require(request.user, SUPERVISE)
    found = selectors.unusual_volume()
    log_access(
        request=request,
        action=AccessLog.Action.LIST,
        detail={"report": "unusual_volume", "count": len(found)},
    )
    context = {"found": found, "tab": "unusual", **_thresholds()}
    return render(request, "audit/unusual.html", context)


def _thresholds() -> dict:
    return {
        "window_hours": settings.CFSJ_UNUSUAL_WINDOW_HOURS,
        "baseline_days": settings.CFSJ_UNUSUAL_BASELINE_DAYS,
        "factor": settings.CFSJ_UNUSUAL_FACTOR,
        "floor": settings.CFSJ_UNUSUAL_FLOOR,
    }


@login_required
@require_GET
def review_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, SUPERVISE)
    weeks = selectors.recent_weeks()
    log_access(request=request, action=AccessLog.Action.LIST, detail={"report": "weekly_reviews"})
    return render(request, "audit/review_list.html", {"weeks": weeks, "tab": "reviews"})


def _review_week(week) -> None:
    # Weeks start on Mondays; a week that has not started has nothing to review.
    if week.weekday() != 0 or week > timezone.localdate():
        raise Http404


@login_required
@require_GET
def review_detail(request: HttpRequest, week) -> HttpResponse:
    access.require(request.user, SUPERVISE)
    _review_week(week)
    return _render_review(request, week, ReviewForm())


def _render_review(request: HttpRequest, week, form: ReviewForm) -> HttpResponse:
    summary = selectors.week_summary(week)
    log_access(
        request=request,
        action=AccessLog.Action.VIEW,
        detail={"report": "weekly_review", "week": week.isoformat()},
    )
    context = {"summary": summary, "form": form, "tab": "reviews", **_thresholds()}
    return render(request, "audit/review_detail.html", context)


@login_required
@require_POST
def review_acknowledge_view(request: HttpRequest, week) -> HttpResponse:
    access.require(request.user, SUPERVISE)
    _review_week(week)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        focus_first_error(form)
        return _render_review(request, week, form)
    try:
        review_acknowledge(
            week_start=week,
            reviewer=request.user,
            comment=form.cleaned_data["comment"],
            request=request,
        )
    except AuditError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Review of the week acknowledged."))
    return redirect("audit:review_detail", week=week)
