"""The person search box (``/people/?q=…``) and the contact form's person picker.

Both run :func:`cases.search.search_people` for the signed-in user and write one access-log row
per search with the number of results only: the query text can itself be sensitive (a name, a
date of birth), so it is never logged.
"""

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts import access
from audit.models import AccessLog
from audit.services import log_access
from cases import permissions
from cases.models import Person, PopulationFlag
from cases.search import SearchHit, search_people
from cfsj.lib import ratelimit
from cfsj.views import rate_limited


@dataclass
class ResultRow:
    """What a result shows: never an address (search results are read over shoulders)."""

    person: Person
    flags: list[PopulationFlag] = field(default_factory=list)
    workers: list[str] = field(default_factory=list)


@login_required
@require_GET
def person_search(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "find_people")
    query = request.GET.get("q", "").strip()
    if query and not ratelimit.limit(request, "search", settings.CFSJ_SEARCH_RATE):
        return rate_limited(request, scope="search")
    rows = _search(request, query)
    context = {"query": query, "rows": rows}
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "cases/person_search.html#results", context)
    return render(request, "cases/person_search.html", context)


@login_required
@require_GET
def contact_person_picker(request: HttpRequest) -> HttpResponse:
    """``?q=`` lists hits to add; ``?add=<pk>`` gives the picked person's row for the contact
    form; ``?remove=1`` answers an empty body, which removes that row."""
    access.require(request.user, "find_people")
    if request.GET.get("remove"):
        return HttpResponse("")
    if "add" in request.GET:
        people = Person.objects.filter(merged_into__isnull=True)
        person = access.get_visible_or_404(request.user, people, pk=request.GET["add"])
        return render(request, "cases/_picked_person.html", {"person": person})
    query = request.GET.get("q", "").strip()
    if query and not ratelimit.limit(request, "search", settings.CFSJ_SEARCH_RATE):
        return rate_limited(request, scope="search")
    rows = _search(request, query)
    return render(request, "cases/_person_picker_results.html", {"query": query, "rows": rows})


def _search(request: HttpRequest, query: str) -> list[ResultRow]:
    if not query:
        return []
    hits = search_people(request.user, query)
    log_access(request=request, action=AccessLog.Action.SEARCH, detail={"results": len(hits)})
    return _rows(request.user, hits)


def _rows(user: Any, hits: list[SearchHit]) -> list[ResultRow]:
    # The hits arrive with flags and current care team prefetched (cases.search._load).
    show_restricted = permissions.may_see_restricted_flags(user)
    return [
        ResultRow(
            person=hit.person,
            flags=[f for f in hit.person.flags.all() if show_restricted or not f.restricted],
            workers=[member.user.display_name for member in hit.person.current_team],
        )
        for hit in hits
    ]
