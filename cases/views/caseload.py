"""My caseload (with the team's caseloads for supervisors), the case list, and tasks.

The lists are filtered by a GET form; an htmx request gets only the table fragment.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts import access
from audit.models import AccessLog
from audit.services import log_access
from cases import selectors_caseload as selectors
from cases import tasks_service
from cases.forms_caseload import CaseFilterForm, TaskForm
from cases.models import Case, Task
from cases.services import CasesError


def _log_list(request: HttpRequest, name: str, count: int, **more: int) -> None:
    # How many rows the user was shown, never the filters: they can themselves say something
    # (a risk level, a worker) and the count is what reveals bulk reading.
    log_access(
        request=request,
        action=AccessLog.Action.LIST,
        detail={"list": name, "count": count, **more},
    )


def _render_list(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, f"{template}#table", context)
    return render(request, template, context)


@login_required
@require_GET
def caseload(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "manage_cases")
    form = CaseFilterForm(request.GET or None)
    filters = form.filters()
    context = {
        "form": form,
        "filters": filters,
        "rows": selectors.caseload_rows(request.user, filters=filters),
        "team": selectors.team_caseloads(request.user, filters),
        "is_supervisor": access.is_supervisor(request.user),
        "no_contact_days": selectors.NO_CONTACT_DAYS,
    }
    # The team caseloads (a supervisor's) are counts per worker on the same page: one row for
    # the page, with how many workers it showed.
    team = {"team_workers": len(context["team"])} if context["is_supervisor"] else {}
    _log_list(request, "caseload", len(context["rows"]), **team)
    return _render_list(request, "cases/caseload.html", context)


@login_required
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "manage_cases")
    supervisor = access.is_supervisor(request.user)
    form = CaseFilterForm(request.GET or None, with_worker=supervisor)
    filters = form.filters(default_sort="opened")
    page = selectors.case_list(request.user, filters, page_number=request.GET.get("page", 1))
    _log_list(request, "case_list", page.paginator.count)
    context = {"form": form, "filters": filters, "page": page, "rows": page.object_list}
    return _render_list(request, "cases/case_list.html", context)


@login_required
@require_POST
def task_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = access.get_visible_or_404(request.user, Case, pk=pk)
    access.require_change(request.user, case)
    form = TaskForm(request.POST, case=case, user=request.user)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
        return redirect("cases:case_detail", pk=case.pk)
    try:
        tasks_service.task_add(actor=request.user, case=case, **form.cleaned_data)
    except CasesError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Task added."))
    return redirect("cases:case_detail", pk=case.pk)


@login_required
@require_POST
def task_done(request: HttpRequest, pk: int) -> HttpResponse:
    """``done=1`` / ``done=0`` set the state (a double click changes nothing); without it the
    task toggles."""
    task = access.get_visible_or_404(request.user, Task, pk=pk)
    access.require_change(request.user, task)
    wanted = request.POST.get("done")
    done = not task.is_done if wanted not in ("0", "1") else wanted == "1"
    task = tasks_service.task_set_done(actor=request.user, task=task, done=done)
    if task.is_done:
        messages.success(request, _("Task “%(title)s” done.") % {"title": task.title})
    else:
        messages.success(request, _("Task “%(title)s” reopened.") % {"title": task.title})
    return _back(request, task)


def _back(request: HttpRequest, task: Task) -> HttpResponse:
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(next_url)
    if task.case_id is not None:
        return redirect("cases:case_detail", pk=task.case_id)
    return redirect("home")
