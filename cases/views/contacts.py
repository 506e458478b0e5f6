import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import access
from audit.models import AccessLog
from audit.services import log_access
from cases import permissions, selectors, services
from cases.forms import AddendumForm, ContactFlagsForm, ContactForm
from cases.models import Contact, Person
from cfsj.lib.forms import focus_first_error

ADD_PERSON = "save_draft_add_person"


@login_required
def contact_create(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "log_contact")
    if request.method == "POST":
        existing = _already_submitted(request)
        if existing is not None:  # a double-submitted form: one contact, not two
            return redirect("cases:contact_detail", pk=existing.pk)
    form = ContactForm(request.POST or None, user=request.user)
    if request.method == "GET" and request.GET.get("person"):
        form.initial["people"] = [_visible_person(request, request.GET["person"]).pk]
    return _save_or_render(request, form, contact=None)


@login_required
def contact_update(request: HttpRequest, pk: int) -> HttpResponse:
    contact = selectors.contact_for_page(request.user, pk)
    access.require_change(request.user, contact)
    form = ContactForm(request.POST or None, instance=contact, user=request.user)
    if request.method == "GET" and request.GET.get("person"):
        added = _visible_person(request, request.GET["person"]).pk
        form.initial["people"] = [*form.initial.get("people", []), added]
    return _save_or_render(request, form, contact=contact)


def _save_or_render(request: HttpRequest, form: ContactForm, *, contact: Contact | None):
    if request.method == "POST" and form.is_valid():
        adding_person = ADD_PERSON in request.POST
        finish = form.finishing() and not adding_person
        try:
            saved = services.contact_save(
                actor=request.user,
                contact=contact,
                submission_key=form.cleaned_data["submission_key"],
                occurred_at=form.cleaned_data["occurred_at"],
                location=form.cleaned_data["location"],
                contact_type=form.cleaned_data["contact_type"],
                people=form.cleaned_data["people"],
                narrative=form.cleaned_data["narrative"],
                disposition=form.cleaned_data["disposition"],
                incident_number=form.cleaned_data["incident_number"],
                consultation_requested=form.cleaned_data["consultation_requested"],
                flags=form.cleaned_data["flags"],
                finish=finish,
            )
        except services.CasesError as error:
            form.add_error(None, str(error))
        else:
            if adding_person:
                back = reverse("cases:contact_update", args=[saved.pk])
                return redirect(f"{reverse('cases:person_create')}?{urlencode({'next': back})}")
            if saved.status == Contact.Status.DRAFT:
                messages.success(request, _("Draft saved. Finish it from your home page."))
                return redirect("home")
            messages.success(request, _("Contact saved."))
            return redirect("cases:contact_detail", pk=saved.pk)
    focus_first_error(form)
    return render(
        request,
        "cases/contact_form.html",
        {
            "form": form,
            "contact": contact,
            "picked": _picked_people(request, form),
            "add_person_action": ADD_PERSON,
        },
    )


@login_required
def contact_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contact = selectors.contact_for_page(request.user, pk)
    log_access(request=request, action=AccessLog.Action.VIEW, obj=contact)
    return render(
        request,
        "cases/contact_detail.html",
        {
            "contact": contact,
            "flags": selectors.visible_flags(request.user, contact.flags.all()),
            "can_change": access.can_change(request.user, contact),
            "may_add_addendum": permissions.may_add_addendum(request.user, contact),
            "addendum_form": AddendumForm(),
            "flags_form": ContactFlagsForm(user=request.user),
        },
    )


@login_required
@require_POST
def contact_addendum(request: HttpRequest, pk: int) -> HttpResponse:
    contact = selectors.contact_for_page(request.user, pk)
    form = AddendumForm(request.POST)
    if form.is_valid():
        try:
            services.contact_add_addendum(
                actor=request.user, contact=contact, text=form.cleaned_data["text"]
            )
        except services.CasesError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Addendum added."))
    else:
        messages.error(request, _("The addendum is empty or too long (10,000 characters)."))
    return redirect("cases:contact_detail", pk=contact.pk)


@login_required
@require_POST
def contact_flags(request: HttpRequest, pk: int) -> HttpResponse:
    contact = selectors.contact_for_page(request.user, pk)
    form = ContactFlagsForm(request.POST, user=request.user)
    if form.is_valid():
        services.contact_add_flags(
            actor=request.user, contact=contact, flags=form.cleaned_data["flags"]
        )
        messages.success(request, _("Flags added."))
    else:
        messages.error(request, _("Choose at least one flag to add."))
    return redirect("cases:contact_detail", pk=contact.pk)


def _already_submitted(request: HttpRequest) -> Contact | None:
    try:
        key = uuid.UUID(request.POST.get("submission_key", ""))
    except ValueError:
        return None  # a malformed key is "not submitted before"; the form will say it is bad
    return Contact.objects.filter(author=request.user, submission_key=key).first()


def _visible_person(request: HttpRequest, raw_pk: str) -> Person:
    return access.get_visible_or_404(request.user, Person, pk=raw_pk, merged_into__isnull=True)


def _picked_people(request: HttpRequest, form: ContactForm) -> list[Person]:
    """The people already on the form (kept when the form comes back with an error)."""
    if form.is_bound:
        raw = form.data.getlist("people")
    else:
        raw = [str(pk) for pk in form.initial.get("people", [])]
    ids = [value for value in raw if value.isdigit()]
    return list(form.fields["people"].queryset.filter(pk__in=ids))
