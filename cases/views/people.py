from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import access
from audit.models import AccessLog
from audit.selectors import record_trail
from audit.services import log_access
from cases import breakglass, selectors, selectors_casework, services
from cases.assessments import assessments_visible_to
from cases.forms import PersonForm, RelationshipForm
from cases.models import Person, Relationship
from cases.search import search_people, similar_people
from cfsj.lib.forms import focus_first_error


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.person_for_page(request.user, pk)
    if person.is_merged:
        survivor = selectors.resolve_merged(person)
        messages.info(request, _("That record was merged into this one."))
        return redirect("cases:person_detail", pk=survivor.pk)
    view = selectors.person_page(request.user, person, page_number=request.GET.get("page", 1))
    log_access(request=request, action=AccessLog.Action.VIEW, obj=person)
    context = {
        "view": view,
        "person": person,
        "cases": list(selectors_casework.person_cases(request.user, person.pk)),
        # Numbers and units only, with the way in (break-the-glass) for who may take it.
        "beyond_reach": breakglass.cases_beyond_reach(request.user, person.pk),
        "notes": list(selectors_casework.person_notes(request.user, person.pk)),
        "assessments": list(assessments_visible_to(request.user, person=person)),
    }
    if access.is_supervisor(request.user):
        context["trail"] = record_trail(person)
    if request.htmx and request.GET.get("page"):
        return render(request, "cases/person_detail.html#timeline", context)
    return render(request, "cases/person_detail.html", context)


@login_required
def person_create(request: HttpRequest) -> HttpResponse:
    """A new person, after the "same person?" question when existing records resemble them."""
    access.require(request.user, "find_people")
    form = PersonForm(request.POST or None, user=request.user)
    candidates = []
    if request.method == "POST" and form.is_valid():
        data = form.person_data()
        candidates = similar_people(
            request.user,
            first_name=data["first_name"],
            last_name=data["last_name"],
            date_of_birth=data.get("date_of_birth"),
        )
        if not candidates or form.cleaned_data.get("confirm_new"):
            try:
                person = services.person_create(
                    actor=request.user,
                    data=data,
                    flags=form.cleaned_data["flags"],
                    other_names=form.other_names(),
                )
            except services.CasesError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Person added."))
                return redirect(_next_or_person(request, person))
    focus_first_error(form)
    return render(
        request,
        "cases/person_form.html",
        {"form": form, "candidates": candidates, "next": request.GET.get("next", "")},
    )


@login_required
def person_update(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.person_for_page(request.user, pk)
    access.require_change(request.user, person)
    form = PersonForm(request.POST or None, instance=person, user=request.user, with_alias=False)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(
                actor=request.user,
                person=person,
                data=form.person_data(),
                flags=form.cleaned_data["flags"],
            )
        except services.CasesError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Changes saved."))
            return redirect("cases:person_detail", pk=person.pk)
    focus_first_error(form)
    return render(request, "cases/person_form.html", {"form": form, "person": person})


def _next_or_person(request: HttpRequest, person) -> str:
    """Back to the contact form that asked for a new person, with the person added."""
    from django.urls import reverse
    from django.utils.http import url_has_allowed_host_and_scheme

    next_url = request.GET.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        separator = "&" if "?" in next_url else "?"
        return f"{next_url}{separator}person={person.pk}"
    return reverse("cases:person_detail", args=[person.pk])


@login_required
def relationship_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Find the relative with the search box, then say how they are related."""
    person = selectors.person_for_page(request.user, pk)
    access.require(request.user, "find_people")
    form = RelationshipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        relative = access.get_visible_or_404(
            request.user, Person, pk=form.cleaned_data["relative"], merged_into__isnull=True
        )
        try:
            services.relationship_add(
                actor=request.user,
                person=person,
                relative=relative,
                kind=form.cleaned_data["kind"],
                same_household=form.cleaned_data["same_household"],
            )
        except services.CasesError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Relationship recorded."))
            return redirect("cases:person_detail", pk=person.pk)
    query = request.GET.get("q", "").strip()
    hits = [hit for hit in search_people(request.user, query) if hit.person.pk != person.pk]
    return render(
        request,
        "cases/relationship_add.html",
        {"person": person, "query": query, "hits": hits, "kinds": Relationship.Kind.choices},
    )


@login_required
@require_POST
def relationship_end(request: HttpRequest, pk: int) -> HttpResponse:
    relationship = get_relationship_or_404(request.user, pk)
    services.relationship_end(actor=request.user, relationship=relationship)
    messages.success(request, _("Relationship ended; it stays in the history."))
    return redirect("cases:person_detail", pk=relationship.person_id)


def get_relationship_or_404(user, pk: int) -> Relationship:
    """A relationship is visible when both of its people are."""
    people = access.visible_to(user, Person)
    try:
        return Relationship.objects.filter(person__in=people, relative__in=people, active=True).get(
            pk=pk
        )
    except Relationship.DoesNotExist:
        raise Http404 from None
