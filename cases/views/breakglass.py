from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cases import breakglass
from cases.forms_casework import BreakGlassForm
from cases.services import CasesError
from cfsj.lib.forms import focus_first_error


@login_required
def case_break_glass(request: HttpRequest, pk: int) -> HttpResponse:
    """Open a case outside one's units and teams by giving a reason (cases.breakglass)."""
    # Whoever sees the case already (their own, or a grant still open) goes straight to it: a
    # second grant would only blur the log, and the redirect tells them nothing they cannot see.
    if breakglass.sees_case(request.user, pk):
        return redirect("cases:case_detail", pk=pk)
    case = breakglass.case_to_break_into(request.user, pk)
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            grant = breakglass.break_glass(
                user=request.user, case=case, reason=form.cleaned_data["reason"], request=request
            )
        except CasesError as error:
            form.add_error("reason", str(error))
        else:
            messages.warning(
                request,
                _("You opened this case by breaking the glass, until %(time)s.")
                % {"time": breakglass.local_time(grant.expires_at)},
            )
            return redirect("cases:case_detail", pk=case.pk)
    focus_first_error(form)
    return render(
        request,
        "cases/case_break_glass.html",
        {"form": form, "case": case, "hours": settings.CFSJ_BREAK_GLASS_HOURS},
    )
