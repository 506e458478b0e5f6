"""Consultations: an officer asks the Clinical Support Unit about a person; the unit works a
queue. Writes go through :mod:`cases.consultations`; who may do what is
:class:`cases.permissions.ConsultationPolicy`."""

from datetime import timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q, QuerySet, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts import access
from accounts.models import Unit
from audit.models import AccessLog
from audit.services import log_access
from cases import consultations as services
from cases import permissions
from cases.models import Case, CaseType, Consultation, Contact, Person
from cases.services import CasesError
from cfsj.lib.forms import focus_first_error

ANSWERED_SHOWN_FOR = timedelta(days=14)  # "recently answered" on the queue

_URGENCY_ORDER = models.Case(
    When(urgency=Consultation.Urgency.EMERGENCY, then=Value(0)),
    When(urgency=Consultation.Urgency.URGENT, then=Value(1)),
    default=Value(2),
    output_field=models.IntegerField(),
)
_STATUS_ORDER = models.Case(
    When(status=Consultation.Status.OPEN, then=Value(0)),
    When(status=Consultation.Status.TAKEN, then=Value(1)),
    default=Value(2),
    output_field=models.IntegerField(),
)


class ConsultationForm(forms.ModelForm):
    class Meta:
        model = Consultation
        fields = ["question", "urgency"]
        widgets = {
            "question": forms.Textarea(attrs={"rows": 4, "maxlength": 4000}),
            "urgency": forms.RadioSelect,
        }
        help_texts = {
            "question": gettext_lazy(
                "What do you need from the Clinical Support Unit? Up to 4,000 characters."
            ),
        }


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=gettext_lazy("Answer for the officer"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 4000}),
        help_text=gettext_lazy(
            "The officer reads this. Keep clinical detail in case notes, not here."
        ),
    )


class OpenCaseForm(forms.Form):
    unit = forms.ModelChoiceField(label=gettext_lazy("Unit"), queryset=Unit.objects.none())
    case_type = forms.ModelChoiceField(
        label=gettext_lazy("Case type"), queryset=CaseType.objects.none()
    )
    risk = forms.ChoiceField(label=gettext_lazy("Risk level"), choices=Case.Risk.choices)
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 4000}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = Unit.objects.filter(active=True)
        if not access.is_supervisor(user):
            units = units.filter(pk__in=user.unit_ids)
        self.fields["unit"].queryset = units
        self.fields["case_type"].queryset = CaseType.objects.filter(active=True)
        clinical = units.filter(is_clinical=True).first()
        if clinical is not None:
            self.fields["unit"].initial = clinical.pk


def _queue(user: Any) -> QuerySet:
    since = timezone.now() - ANSWERED_SHOWN_FOR
    return (
        access.visible_to(user, Consultation)
        .filter(~Q(status=Consultation.Status.ANSWERED) | Q(answered_at__gte=since))
        .select_related("person", "requested_by", "taken_by")
        .annotate(status_rank=_STATUS_ORDER, urgency_rank=_URGENCY_ORDER)
        .order_by("status_rank", "urgency_rank", "created_at", "pk")
    )


@login_required
def consultation_queue(request: HttpRequest) -> HttpResponse:
    if not permissions.may_work_consultations(request.user):
        raise PermissionDenied
    return render(
        request, "cases/consultation_queue.html", {"consultations": list(_queue(request.user))}
    )


@login_required
def consultation_create(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "find_people")
    # The form posts back to its own URL, query string included.
    source = request.GET
    person = access.get_visible_or_404(
        request.user, Person, pk=source.get("person"), merged_into__isnull=True
    )
    contact = None
    if source.get("contact"):
        contact = access.get_visible_or_404(request.user, Contact, pk=source["contact"])
    form = ConsultationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            consultation = services.consultation_request(
                actor=request.user,
                person=person,
                contact=contact,
                question=form.cleaned_data["question"],
                urgency=form.cleaned_data["urgency"],
            )
        except CasesError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your request was sent to the Clinical Support Unit."))
            return redirect("cases:consultation_detail", pk=consultation.pk)
    focus_first_error(form)
    return render(
        request,
        "cases/consultation_form.html",
        {"form": form, "person": person, "contact": contact},
    )


def _for_page(user: Any, pk: int) -> Consultation:
    return access.get_visible_or_404(
        user,
        Consultation.objects.select_related("person", "contact", "requested_by", "taken_by"),
        pk=pk,
    )


@login_required
def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = _for_page(request.user, pk)
    log_access(request=request, action=AccessLog.Action.VIEW, obj=consultation)
    works = access.can_change(request.user, consultation)
    case = None
    if consultation.case_id:
        # An officer is told the answer, not which case (and so which unit) now holds the person.
        case = access.visible_to(request.user, Case).filter(pk=consultation.case_id).first()
    status = Consultation.Status
    return render(
        request,
        "cases/consultation_detail.html",
        {
            "consultation": consultation,
            "case": case,
            "person_visible": access.visible_to(request.user, Person)
            .filter(pk=consultation.person_id)
            .exists(),
            "may_take": works and consultation.status == status.OPEN,
            "may_answer": works
            and consultation.status != status.ANSWERED
            and (consultation.taken_by_id == request.user.pk or access.is_supervisor(request.user)),
            "may_open_case": works
            and consultation.case_id is None
            and access.can(request.user, "manage_cases"),
            "answer_form": AnswerForm(),
            "open_case_form": OpenCaseForm(
                user=request.user,
                initial={"reason": consultation.question, "risk": Case.Risk.LOW},
            ),
        },
    )


def _for_change(request: HttpRequest, pk: int) -> Consultation:
    consultation = _for_page(request.user, pk)
    access.require_change(request.user, consultation)
    return consultation


def _back(consultation: Consultation) -> HttpResponse:
    return redirect("cases:consultation_detail", pk=consultation.pk)


@login_required
@require_POST
def consultation_take(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = _for_change(request, pk)
    try:
        services.consultation_take(actor=request.user, consultation=consultation)
    except CasesError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("You took this consultation."))
    return _back(consultation)


@login_required
@require_POST
def consultation_answer(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = _for_change(request, pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write an answer (up to 4,000 characters)."))
        return _back(consultation)
    try:
        services.consultation_answer(
            actor=request.user, consultation=consultation, answer=form.cleaned_data["answer"]
        )
    except CasesError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Answer sent to the officer."))
    return _back(consultation)


@login_required
@require_POST
def consultation_open_case(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = _for_change(request, pk)
    form = OpenCaseForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, _("Choose a unit, a case type and a risk, and give a reason."))
        return _back(consultation)
    try:
        case = services.consultation_open_case(
            actor=request.user,
            consultation=consultation,
            unit=form.cleaned_data["unit"],
            case_type=form.cleaned_data["case_type"],
            reason=form.cleaned_data["reason"],
            risk=form.cleaned_data["risk"],
        )
    except CasesError as error:
        messages.error(request, str(error))
        return _back(consultation)
    messages.success(request, _("Case opened and assigned to you."))
    return redirect("cases:case_detail", pk=case.pk)
