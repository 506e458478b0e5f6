"""Project-level views: the health check and the error pages."""

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from audit.models import AccessLog
from audit.services import log_access


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers, 503 when it does not. No sign-in, no audit, no details."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def rate_limited(request: HttpRequest, *, scope: str) -> HttpResponse:
    """429 for a user over a cfsj.lib.ratelimit rate: audited as a denied attempt (a burst of
    searches is what harvesting looks like), with the fragment alone for an htmx request."""
    log_access(request=request, action=AccessLog.Action.DENIED, detail={"rate_limited": scope})
    template = "429.html#message" if getattr(request, "htmx", False) else "429.html"
    return render(request, template, status=429)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)
