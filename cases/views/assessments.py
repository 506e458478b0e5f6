"""Assessments (issue 4): run a screening instrument for a person, and read one back."""

import uuid
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import access
from audit.models import AccessLog
from audit.services import log_access
from cases import assessments
from cases.models import Assessment, Case, Person
from cases.scoring import ANSWER_VALUES, NO, NOT_ANSWERED, YES, AnswerError
from cases.services import CasesError

ANSWER_LABELS = {
    YES: gettext_lazy("Yes"),
    NO: gettext_lazy("No"),
    NOT_ANSWERED: gettext_lazy("Not answered"),
}
# Which rule put a LAP screen in (cases.scoring.lap_screen), in words.
LAP_PATHS = {
    "protocol_q1_q3": gettext_lazy("Protocol: a Yes to one of questions 1–3"),
    "protocol_q4_q11": gettext_lazy("Protocol: four or more Yes answers to questions 4–11"),
    "officer_belief": gettext_lazy("The officer's belief"),
    "none": gettext_lazy("Did not screen in"),
}


class AssessmentForm(forms.Form):
    """One field per question of an instrument version's definition. The fields only collect
    and keep what was entered: every answer is optional here, because whether it is needed
    (skip logic) and allowed is decided by cases.scoring.clean_answers, whose messages are put
    back on the questions."""

    def __init__(self, definition: dict, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for question in definition["questions"]:
            kind = question["type"]
            if kind in ANSWER_VALUES:
                choices = [
                    (value, label)
                    for value, label in ANSWER_LABELS.items()
                    if value in ANSWER_VALUES[kind]
                ]
                field: forms.Field = forms.CharField(
                    required=False,
                    widget=forms.RadioSelect(choices=choices, attrs={"class": "form-check-input"}),
                )
            elif kind == "boolean":
                field = forms.BooleanField(
                    required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
                )
            elif kind == "text":
                field = forms.CharField(
                    required=False,
                    widget=forms.Textarea(
                        attrs={"class": "form-control", "rows": 3, "maxlength": 2000}
                    ),
                )
            else:
                continue  # an unknown type is reported by clean_answers as a form-wide error
            field.label = question["text"]
            self.fields[question["id"]] = field


@dataclass
class QuestionRow:
    number: int
    id: str
    text: str
    kind: str
    condition: str  # "" or when the question is needed (skip logic)
    field: forms.BoundField | None = None
    answer: str = ""


def _condition(question: dict, numbers: dict[str, int]) -> str:
    parts = [
        _("the answer to question %(number)s is “%(answer)s”")
        % {"number": numbers.get(qid, qid), "answer": ANSWER_LABELS.get(value, value)}
        for qid, value in question.get("asked_if", {}).items()
    ]
    if not parts:
        return ""
    return _("Only needed when %(conditions)s.") % {"conditions": _(" and ").join(parts)}


def _rows(definition: dict) -> list[QuestionRow]:
    questions = definition["questions"]
    numbers = {question["id"]: index for index, question in enumerate(questions, start=1)}
    return [
        QuestionRow(
            number=numbers[question["id"]],
            id=question["id"],
            text=question["text"],
            kind=question["type"],
            condition=_condition(question, numbers),
        )
        for question in questions
    ]


def _answer_text(answers: dict, qid: str) -> str:
    if qid not in answers:
        return _("Not asked")
    value = answers[qid]
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if value in ANSWER_LABELS:
        return str(ANSWER_LABELS[value])
    return value or "—"


@login_required
def assessment_create(request: HttpRequest, code: str) -> HttpResponse:
    access.require(request.user, "find_people")
    version = assessments.latest_version(code)
    if version is None:
        raise Http404
    if not request.GET.get("person"):
        # Opened from a menu: the screen is always about someone, so find them first.
        return render(request, "cases/assessment_form.html", {"version": version, "person": None})
    person = access.get_visible_or_404(
        request.user, Person, pk=request.GET["person"], merged_into__isnull=True
    )
    case = None
    if request.GET.get("case"):
        case = access.get_visible_or_404(request.user, Case, pk=request.GET["case"], person=person)
    form = AssessmentForm(version.definition, request.POST if request.method == "POST" else None)
    submission_key = _submission_key(request)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = assessments.assessment_record(
                actor=request.user,
                person=person,
                case=case,
                instrument_version=version,
                raw_answers=form.cleaned_data,
                submission_key=submission_key,
            )
        except AnswerError as error:
            for qid, message in error.errors.items():
                form.add_error(qid if qid in form.fields else None, message)
        except CasesError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Assessment saved."))
            return redirect("cases:assessment_detail", pk=assessment.pk)
    for name in form.errors:
        if name in form.fields:
            form.fields[name].widget.attrs["aria-invalid"] = "true"
    rows = _rows(version.definition)
    for row in rows:
        row.field = form[row.id] if row.id in form.fields else None
    return render(
        request,
        "cases/assessment_form.html",
        {
            "version": version,
            "person": person,
            "case": case,
            "form": form,
            "rows": rows,
            "submission_key": submission_key,
        },
    )


def _submission_key(request: HttpRequest) -> uuid.UUID:
    """The form's key, echoed back on a re-render; a new one for a new form."""
    try:
        return uuid.UUID(request.POST.get("submission_key", ""))
    except ValueError:
        return uuid.uuid4()


@login_required
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access.get_visible_or_404(
        request.user,
        Assessment.objects.select_related(
            "instrument_version__instrument", "performed_by", "person", "case__case_type"
        ),
        pk=pk,
    )
    log_access(request=request, action=AccessLog.Action.VIEW, obj=assessment)
    # Questions and answers come from the assessment's own version, never the latest one.
    rows = _rows(assessment.instrument_version.definition)
    for row in rows:
        row.answer = _answer_text(assessment.answers, row.id)
    details = assessment.result_details
    context = {
        "assessment": assessment,
        "rows": rows,
        "lap_path": LAP_PATHS.get(details.get("path", "")),
        "hotline": _answer_text(details, "spoke_with_hotline")
        if details.get("spoke_with_hotline")
        else _("Not recorded"),
    }
    return render(request, "cases/assessment_detail.html", context)
