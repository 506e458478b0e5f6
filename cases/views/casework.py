from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import access
from audit.models import AccessLog
from audit.selectors import record_trail
from audit.services import log_access
from cases import breakglass, casework, selectors, selectors_caseload, selectors_casework
from cases.assessments import assessments_visible_to
from cases.forms_caseload import TaskForm
from cases.forms_casework import CaseEditForm, CaseOpenForm, NoteForm, TransferForm, TransitionForm
from cases.models import Note, Person
from cases.services import CasesError
from cfsj.lib.forms import focus_first_error


@login_required
def case_create(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "manage_cases")
    person_pk = request.GET.get("person") or request.POST.get("person")
    person = (
        access.get_visible_or_404(request.user, Person, pk=person_pk, merged_into__isnull=True)
        if person_pk
        else None
    )
    form = CaseOpenForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        if person is None:
            form.add_error(None, _("Open a case from the person's page."))
        else:
            try:
                case = casework.case_open(
                    actor=request.user,
                    person=person,
                    unit=form.cleaned_data["unit"],
                    case_type=form.cleaned_data["case_type"],
                    reason=form.cleaned_data["reason"],
                    risk=form.cleaned_data["risk"],
                    status=form.cleaned_data["status"],
                    assigned_to=form.cleaned_data["assigned_to"],
                    opened_on=form.cleaned_data["opened_on"],
                )
            except CasesError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Case opened."))
                return redirect("cases:case_detail", pk=case.pk)
    focus_first_error(form)
    return render(request, "cases/case_open.html", {"form": form, "person": person})


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors_casework.case_for_page(request.user, pk)
    notes = selectors_casework.case_notes(request.user, case)
    grant = breakglass.grant_in_use(request.user, case)
    # Reads of clinical and protected notes are audited by id (DESIGN.md: every read of a
    # restricted record is logged), and so is a read through break-the-glass, by grant.
    detail = {"restricted_notes": selectors_casework.restricted_note_ids(notes)}
    if grant is not None:
        detail["break_glass"] = grant.pk
    log_access(request=request, action=AccessLog.Action.VIEW, obj=case, detail=detail)
    may_change = access.can_change(request.user, case)
    context = {
        "case": case,
        "grant": grant,
        "notes": notes,
        "may_change": may_change,
        "note_form": NoteForm(user=request.user, case=case) if may_change else None,
        "transition_form": TransitionForm(case=case) if may_change else None,
        "flags": selectors.visible_flags(request.user, case.person.flags.all())
        if case.person_id
        else [],
        **_case_extras(request, case, may_change=may_change),
    }
    # The audit trail is oversight of one's own units' cases, not part of an emergency read.
    if access.is_supervisor(request.user) and grant is None:
        context["trail"] = record_trail(case)
    return render(request, "cases/case_detail.html", context)


def _case_extras(request: HttpRequest, case, *, may_change: bool) -> dict:
    return {
        "assessments": list(assessments_visible_to(request.user, case=case)),
        "tasks": selectors_caseload.case_tasks(request.user, case),
        # None hides the add-task form and the done buttons (tasks/_case_tasks.html).
        "task_form": TaskForm(case=case, user=request.user) if may_change else None,
    }


@login_required
def case_update(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors_casework.case_for_page(request.user, pk)
    access.require_change(request.user, case)
    form = CaseEditForm(request.POST or None, instance=case)
    if request.method == "POST" and form.is_valid():
        try:
            casework.case_update(
                actor=request.user,
                case=case,
                version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
                risk=form.cleaned_data["risk"],
                goals=form.cleaned_data["goals"],
                case_type=form.cleaned_data["case_type"],
            )
        except casework.StaleRecord as error:
            form.add_error(None, str(error))
            # The stored version of the case the access helper above already let through (the
            # form changed ``case`` in memory), for the side-by-side view.
            current = type(case).objects.get(pk=case.pk)  # nosemgrep
            return render(
                request,
                "cases/case_form.html",
                {"form": form, "case": case, "current": current, "stale": True},
                status=409,
            )
        except CasesError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Changes saved."))
            return redirect("cases:case_detail", pk=case.pk)
    focus_first_error(form)
    return render(request, "cases/case_form.html", {"form": form, "case": case})


@login_required
@require_POST
def case_transition(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors_casework.case_for_page(request.user, pk)
    access.require_change(request.user, case)
    form = TransitionForm(request.POST, case=case)
    if not form.is_valid():
        messages.error(request, _("Choose a new status and give a reason."))
        return redirect("cases:case_detail", pk=case.pk)
    try:
        casework.case_transition(
            actor=request.user,
            case=case,
            to_status=form.cleaned_data["to_status"],
            reason=form.cleaned_data["reason"],
            version=form.cleaned_data["version"],
            closure_outcome=form.cleaned_data["closure_outcome"],
        )
    except CasesError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Status changed."))
    return redirect("cases:case_detail", pk=case.pk)


@login_required
def case_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors_casework.case_for_page(request.user, pk)
    access.require_change(request.user, case)
    form = TransferForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            casework.case_transfer(
                actor=request.user,
                case=case,
                to_user=form.cleaned_data["to_user"],
                reason=form.cleaned_data["reason"],
                version=form.cleaned_data["version"],
            )
        except CasesError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Case transferred."))
            return redirect("cases:case_detail", pk=case.pk)
    focus_first_error(form)
    return render(request, "cases/case_transfer.html", {"form": form, "case": case})


@login_required
@require_POST
def note_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors_casework.case_for_page(request.user, pk)
    access.require_change(request.user, case)
    form = NoteForm(request.POST, user=request.user, case=case)
    if not form.is_valid():
        messages.error(request, _("The note is empty, too long, or at a level you may not use."))
        return redirect("cases:case_detail", pk=case.pk)
    addendum_to = None
    if form.cleaned_data.get("addendum_to"):
        addendum_to = access.get_visible_or_404(
            request.user, Note, pk=form.cleaned_data["addendum_to"], case=case
        )
    try:
        note = casework.note_add(
            actor=request.user,
            case=case,
            level=form.cleaned_data["level"],
            text=form.cleaned_data["text"],
            addendum_to=addendum_to,
        )
    except CasesError as error:
        messages.error(request, str(error))
    else:
        if note.status == Note.Status.PENDING:
            messages.success(request, _("Note saved; it waits for your supervisor's co-signature."))
        else:
            messages.success(request, _("Note signed and saved."))
    return redirect("cases:case_detail", pk=case.pk)


@login_required
@require_POST
def note_cosign(request: HttpRequest, pk: int) -> HttpResponse:
    note = access.get_visible_or_404(request.user, Note.objects.select_related("case"), pk=pk)
    access.require_change(request.user, note)
    try:
        casework.note_cosign(actor=request.user, note=note)
    except CasesError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Note co-signed."))
    return redirect("cases:case_detail", pk=note.case_id)
