"""The printed case summary: an HTML page made for paper, and the same page as a PDF.

A print leaves the system's control, so it is logged as PRINT (with the restricted notes it
holds, by id), counted against the user's export rate, and refused under a break-the-glass
grant (emergency reading, not copying). It holds only what the printing user may read: the
same selectors as the case page.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET

from audit.models import AccessLog
from audit.services import log_access
from cases import permissions, selectors_caseload, selectors_casework
from cfsj.lib import ratelimit
from cfsj.views import rate_limited


@login_required
@require_GET
def case_print(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors_casework.case_for_page(request.user, pk)
    if not permissions.may_print_case(request.user, case):
        raise PermissionDenied
    as_pdf = request.GET.get("format") == "pdf"
    if not ratelimit.limit(request, "export", settings.CFSJ_EXPORT_RATE):
        return rate_limited(request, scope="export")
    notes = selectors_casework.case_notes(request.user, case)
    context = {
        "case": case,
        "notes": notes,
        "tasks": [t for t in selectors_caseload.case_tasks(request.user, case) if not t.is_done],
        "printed_at": timezone.localtime(),
        "pdf": as_pdf,
    }
    log_access(
        request=request,
        action=AccessLog.Action.PRINT,
        obj=case,
        detail={
            "format": "pdf" if as_pdf else "html",
            "restricted_notes": selectors_casework.restricted_note_ids(notes),
        },
    )
    html = render_to_string("cases/case_print.html", context, request=request)
    if not as_pdf:
        return HttpResponse(html)
    # Imported here: WeasyPrint loads Pango as it is imported, and the rest of the application
    # must start on a machine without it (docs/deployment.md).
    from cfsj.lib.pdf import render_pdf

    response = HttpResponse(render_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="case-{case.pk}.pdf"'
    return response
