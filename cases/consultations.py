"""Writes for consultations (issue 4): an officer asks the Clinical Support Unit about a person,
a clinician takes the request, answers it for the officer and may open a case from it.

Same rules as cases.casework: keyword-only arguments, the acting user passed in, one
transaction each, refusals raise :class:`cases.services.CasesError`. Who may take, answer and
open a case is :class:`cases.permissions.ConsultationPolicy` (clinical unit members and
supervisors); the answer is the only clinical output an officer ever reads.
"""

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import Unit
from cases import casework
from cases.models import Case, CaseType, Consultation, Contact, ContactPerson, Person
from cases.services import CasesError

C = Consultation.Status


def _locked(consultation: Consultation) -> Consultation:
    """The row locked for this transaction: two clinicians pressing "take" at the same moment
    must not both get it."""
    return Consultation.objects.select_for_update().get(pk=consultation.pk)


@transaction.atomic
def consultation_request(
    *,
    actor: Any,
    person: Person,
    question: str,
    urgency: str,
    contact: Contact | None = None,
) -> Consultation:
    access.require(actor, "find_people")
    if not access.visible_to(actor, Person).filter(pk=person.pk).exists():
        raise CasesError(_("You cannot ask about this person."))
    if person.is_merged:
        raise CasesError(_("This record was merged into another; ask about that one instead."))
    if urgency not in Consultation.Urgency.values:
        raise CasesError(_("Choose how urgent the consultation is."))
    question = question.strip()
    if not question:
        raise CasesError(_("Write the question for the Clinical Support Unit."))
    if contact is not None:
        involved = ContactPerson.objects.filter(
            contact=contact, person=person, removed_at__isnull=True
        ).exists()
        visible = access.visible_to(actor, Contact).filter(pk=contact.pk).exists()
        if not (visible and involved):
            raise CasesError(_("That contact does not involve this person."))
    return Consultation.objects.create(
        person=person, contact=contact, requested_by=actor, urgency=urgency, question=question
    )


def consultation_from_contact(*, actor: Any, contact: Contact) -> Consultation | None:
    """The consultation a finished contact asked for (its "request a consultation" tick), about
    its first person; made once per contact, so saving or editing the contact again adds
    nothing. Called by :func:`cases.services.contact_save` inside its transaction."""
    if contact.status != Contact.Status.FINAL or not contact.consultation_requested:
        return None
    if Consultation.objects.filter(contact=contact).exists():
        return None
    first = (
        ContactPerson.objects.filter(contact=contact, removed_at__isnull=True)
        .select_related("person")
        .order_by("pk")
        .first()
    )
    if first is None:
        return None
    when = timezone.localtime(contact.occurred_at).date().isoformat()
    return consultation_request(
        actor=actor,
        person=first.person,
        question=_("Consultation requested from contact %(date)s") % {"date": when},
        urgency=Consultation.Urgency.ROUTINE,
        contact=contact,
    )


@transaction.atomic
def consultation_take(*, actor: Any, consultation: Consultation) -> Consultation:
    access.require_change(actor, consultation)
    consultation = _locked(consultation)
    if consultation.status != C.OPEN:
        raise CasesError(
            _("%(name)s already took this consultation.")
            % {"name": consultation.taken_by.display_name if consultation.taken_by else "—"}
        )
    consultation.status = C.TAKEN
    consultation.taken_by = actor
    consultation.save()
    return consultation


@transaction.atomic
def consultation_answer(*, actor: Any, consultation: Consultation, answer: str) -> Consultation:
    """The answer the officer reads. Only whoever took the consultation answers it (or a
    supervisor, who may answer one nobody took); an answer is not rewritten."""
    access.require_change(actor, consultation)
    consultation = _locked(consultation)
    if consultation.status == C.ANSWERED:
        raise CasesError(_("This consultation is already answered."))
    if consultation.taken_by_id != actor.pk and not access.is_supervisor(actor):
        raise CasesError(_("Take the consultation before answering it."))
    answer = answer.strip()
    if not answer:
        raise CasesError(_("The answer is empty."))
    consultation.answer = answer
    consultation.status = C.ANSWERED
    consultation.answered_at = timezone.now()
    if consultation.taken_by_id is None:
        consultation.taken_by = actor
    consultation.save()
    return consultation


@transaction.atomic
def consultation_open_case(
    *,
    actor: Any,
    consultation: Consultation,
    unit: Unit,
    case_type: CaseType,
    reason: str,
    risk: str,
) -> Case:
    """Open a case for the consultation's person, assigned to the actor, linked back to it."""
    access.require_change(actor, consultation)
    consultation = _locked(consultation)
    if consultation.case_id is not None:
        raise CasesError(_("A case was already opened from this consultation."))
    if not access.is_supervisor(actor) and unit.pk not in actor.unit_ids:
        raise CasesError(_("You can open cases only in your own units."))
    if risk not in Case.Risk.values:
        raise CasesError(_("Choose a risk level."))
    case = casework.case_open(
        actor=actor,
        unit=unit,
        case_type=case_type,
        reason=reason,
        person=consultation.person,
        risk=risk,
        assigned_to=actor,
    )
    consultation.case = case
    if consultation.status == C.OPEN:
        consultation.status = C.TAKEN
        consultation.taken_by = actor
    consultation.save()
    return case
