"""Writes and reads for assessments (issue 4): a structured screen recorded against the exact
instrument version it was given under, with its answers and the computed result.

Validation and scoring are :mod:`cases.scoring` (pure functions over the version's definition);
this module decides who may record what, stores it in one transaction, and raises the urgent
follow-up a high-risk result calls for.
"""

import uuid
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import User
from accounts.roles import Role
from cases.models import Assessment, Case, InstrumentVersion, Person, Task
from cases.scoring import AnswerError, clean_answers, score
from cases.services import CasesError

__all__ = [
    "AnswerError",
    "assessment_record",
    "assessments_visible_to",
    "latest_version",
    "urgent_task_assignee",
]


def latest_version(code: str) -> InstrumentVersion | None:
    """The newest loaded version of the active instrument ``code`` (new screens use it; old
    answers keep theirs)."""
    return (
        InstrumentVersion.objects.select_related("instrument")
        .filter(instrument__code=code, instrument__active=True)
        .order_by("-loaded_at", "-pk")
        .first()
    )


def urgent_task_assignee(*, actor: Any, case: Case | None) -> Any:
    """Who holds the urgent follow-up of a high-risk screen.

    The case's assigned worker knows the person best; failing that, an actor who works a
    caseload (a clinician screening outside a case) follows up herself; an officer on scene
    does not hold clinical follow-up, so it goes to the Clinical Support Unit: the first active
    supervisor who is a member of a clinical unit (lowest id, so the choice is stable). One
    named person rather than a whole unit, because a task has one assignee; notifying the
    unit comes with the notifications issue. With no such supervisor configured the actor
    keeps the task, so that an urgent follow-up is never dropped.
    """
    if case is not None and case.assigned_to_id is not None:
        return case.assigned_to
    if access.can(actor, "manage_cases"):
        return actor
    supervisor = (
        User.objects.filter(is_active=True, groups__name=Role.SUPERVISOR, units__is_clinical=True)
        .order_by("pk")
        .first()
    )
    return supervisor or actor


@transaction.atomic
def assessment_record(
    *,
    actor: Any,
    person: Person,
    instrument_version: InstrumentVersion,
    raw_answers: dict,
    case: Case | None = None,
    submission_key: uuid.UUID | None = None,
) -> Assessment:
    """Validate, score and store one screen. Raises :class:`cases.scoring.AnswerError` (its
    ``errors`` map question ids to messages, for the form) or :class:`CasesError`."""
    access.require(actor, "find_people")
    if submission_key is not None:
        already = Assessment.objects.filter(submission_key=submission_key, performed_by=actor)
        if already.exists():
            return already.get()
    if not access.visible_to(actor, Person).filter(pk=person.pk, merged_into__isnull=True).exists():
        raise CasesError(_("You cannot record an assessment for this person."))
    if case is not None:
        if not access.visible_to(actor, Case).filter(pk=case.pk).exists():
            raise CasesError(_("You cannot record an assessment on this case."))
        if case.person_id != person.pk:
            raise CasesError(_("That case is not about this person."))
        if case.is_closed:
            raise CasesError(_("The case is closed; record the assessment without it."))
    if not instrument_version.instrument.active:
        raise CasesError(_("This instrument is no longer in use."))
    definition = instrument_version.definition
    answers = clean_answers(definition, raw_answers)  # AnswerError goes back to the form
    result = score(definition, answers)
    assessment = Assessment.objects.create(
        person=person,
        case=case,
        instrument_version=instrument_version,
        answers=answers,
        result_code=result.code,
        result_label=result.label,
        result_details=result.details,
        performed_by=actor,
        **({"submission_key": submission_key} if submission_key is not None else {}),
    )
    if result.urgent:
        Task.objects.create(
            title=(
                _("Urgent: behavioural-health evaluation for %(name)s") % {"name": person.full_name}
            )[:200],
            due_on=timezone.localdate(),
            assignee=urgent_task_assignee(actor=actor, case=case),
            case=case,
            urgent=True,
            created_by=actor,
        )
    return assessment


def assessments_visible_to(
    user: Any, *, person: Person | None = None, case: Case | None = None
) -> QuerySet:
    """The assessments ``user`` may open, newest first, with what a list shows loaded."""
    queryset = access.visible_to(user, Assessment).select_related(
        "instrument_version__instrument", "performed_by"
    )
    if person is not None:
        queryset = queryset.filter(person=person)
    if case is not None:
        queryset = queryset.filter(case=case)
    return queryset
