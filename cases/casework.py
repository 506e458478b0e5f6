"""Writes for cases and notes (issue 4): opening, the status lifecycle, closure approval,
transfer, optimistic locking, notes with confidentiality levels and co-signature.

Every service takes keyword-only arguments and the acting user, runs in one transaction,
refuses with :class:`cases.services.CasesError` (a message for the user) and leaves the
change history to simple-history (each row saved with ``save()``).
"""

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import Unit
from accounts.roles import Role
from cases import permissions
from cases.models import (
    CareTeamMember,
    Case,
    CaseStatusChange,
    CaseTransfer,
    CaseType,
    ClosureOutcome,
    Household,
    Note,
    Person,
)
from cases.services import CasesError

S = Case.Status
# The lifecycle: referred → open → active → closing → closed, reopenable. Anything else is
# refused with the reason. A referral that is not taken up is closed from "referred".
TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.REFERRED: (S.OPEN, S.CLOSING),
    S.OPEN: (S.ACTIVE, S.CLOSING),
    S.ACTIVE: (S.CLOSING,),
    S.CLOSING: (S.CLOSED, S.ACTIVE),
    S.CLOSED: (S.OPEN,),
}


class StaleRecord(CasesError):
    """The record changed since the form was opened; the form is shown again, nothing lost."""


def _check_version(case: Case, version: int | None) -> None:
    if version is not None and version != case.version:
        raise StaleRecord(
            _(
                "Someone else changed this case while you were editing it. Their changes are "
                "shown below; your entries are kept — check them and save again."
            )
        )


def _locked(case: Case) -> Case:
    """The case row, locked for this transaction, so two saves cannot both pass the version
    check (SQLite serialises writers anyway)."""
    return Case.objects.select_for_update().get(pk=case.pk)


def _sync_care_team(case: Case) -> None:
    """The assigned worker and team of an open case are on the person's care team, so that
    they see a confidential address and officers see who is assigned."""
    if case.person_id is None or case.is_closed:
        return
    members = [case.assigned_to] if case.assigned_to_id else []
    members += list(case.team.all())
    for user in members:
        CareTeamMember.objects.get_or_create(
            person_id=case.person_id, user=user, ended_on__isnull=True
        )


@transaction.atomic
def case_open(
    *,
    actor: Any,
    unit: Unit,
    case_type: CaseType,
    reason: str,
    person: Person | None = None,
    household: Household | None = None,
    risk: str = Case.Risk.LOW,
    assigned_to: Any = None,
    team: list | tuple = (),
    status: str = Case.Status.OPEN,
    opened_on: date | None = None,
) -> Case:
    access.require(actor, "manage_cases")
    if person is None and household is None:
        raise CasesError(_("A case is for a person or a household."))
    if status not in (Case.Status.REFERRED, Case.Status.OPEN):
        raise CasesError(_("A new case starts as referred or open."))
    if not reason.strip():
        raise CasesError(_("Give the reason for the case."))
    if opened_on and opened_on > timezone.localdate():
        raise CasesError(_("A case cannot open in the future."))
    case = Case.objects.create(
        person=person,
        household=household,
        unit=unit,
        case_type=case_type,
        reason=reason.strip(),
        risk=risk,
        assigned_to=assigned_to,
        status=status,
        opened_on=opened_on or timezone.localdate(),
        created_by=actor,
    )
    if team:
        case.team.set(team)
    CaseStatusChange.objects.create(
        case=case, from_status="", to_status=status, reason=_("Case created"), actor=actor
    )
    _sync_care_team(case)
    return case


@transaction.atomic
def case_update(
    *,
    actor: Any,
    case: Case,
    version: int | None,
    reason: str,
    risk: str,
    goals: str,
    case_type: CaseType,
) -> Case:
    access.require_change(actor, case)
    case = _locked(case)
    _check_version(case, version)
    case.reason, case.risk, case.goals, case.case_type = reason, risk, goals, case_type
    case.version += 1
    case.save()
    return case


@transaction.atomic
def case_transition(
    *,
    actor: Any,
    case: Case,
    to_status: str,
    reason: str,
    version: int | None = None,
    closure_outcome: ClosureOutcome | None = None,
) -> Case:
    """Move a case along its lifecycle, dated, with a reason and an actor. Closing needs a
    closure outcome; in a unit that requires it, only a supervisor moves closing → closed."""
    access.require_change(actor, case)
    case = _locked(case)
    _check_version(case, version)
    if to_status not in TRANSITIONS.get(case.status, ()):
        raise CasesError(
            _("A case that is %(current)s cannot become %(new)s.")
            % {"current": case.get_status_display().lower(), "new": str(S(to_status).label).lower()}
            if to_status in S.values
            else _("Unknown status.")
        )
    if not reason.strip():
        raise CasesError(_("Give a reason for the change."))
    if to_status == S.CLOSING:
        if closure_outcome is None:
            raise CasesError(_("Choose a closure outcome to close the case."))
        case.closure_outcome = closure_outcome
    if to_status == S.CLOSED:
        if case.closure_outcome_id is None:
            raise CasesError(_("Choose a closure outcome to close the case."))
        if case.unit.closure_needs_approval and not access.is_supervisor(actor):
            raise CasesError(_("In this unit a supervisor approves the closure."))
        case.closed_on = timezone.localdate()
        case.closure_approved_by = actor if case.unit.closure_needs_approval else None
    if to_status == S.OPEN and case.status == S.CLOSED:  # reopened
        case.closed_on = None
        case.closure_outcome = None
        case.closure_approved_by = None
    if to_status == S.ACTIVE and case.status == S.CLOSING:
        case.closure_outcome = None
    previous = case.status
    case.status = to_status
    case.version += 1
    # The words of the reason live encrypted on the CaseStatusChange row; the history's change
    # reason is a plain column, so it names the transition only.
    case._change_reason = f"status: {previous} → {to_status}"
    case.save()
    CaseStatusChange.objects.create(
        case=case, from_status=previous, to_status=to_status, reason=reason.strip(), actor=actor
    )
    if to_status == S.CLOSED and case.person_id:
        _end_care_team(case)
    else:
        _sync_care_team(case)
    return case


def _end_care_team(case: Case) -> None:
    """Workers leave the person's care team when their last open case for the person closes."""
    still_open = Case.objects.filter(person_id=case.person_id).exclude(status=S.CLOSED)
    for member in CareTeamMember.objects.filter(person_id=case.person_id, ended_on__isnull=True):
        working = still_open.filter(assigned_to=member.user) | still_open.filter(team=member.user)
        if not working.exists():
            member.ended_on = timezone.localdate()
            member.save()


@transaction.atomic
def case_transfer(
    *, actor: Any, case: Case, to_user: Any, reason: str, version: int | None = None
) -> Case:
    """Give the case to another worker; the history keeps who had it and why."""
    access.require_change(actor, case)
    case = _locked(case)
    _check_version(case, version)
    if not access.can(to_user, "manage_cases"):
        raise CasesError(_("%(name)s cannot hold cases.") % {"name": to_user.display_name})
    if not reason.strip():
        raise CasesError(_("Give a reason for the transfer."))
    CaseTransfer.objects.create(
        case=case, from_user=case.assigned_to, to_user=to_user, reason=reason.strip(), actor=actor
    )
    case.assigned_to = to_user
    case.version += 1
    # The reason stays on the (encrypted) transfer row; history change reasons are plain text.
    case._change_reason = "transfer"
    case.save()
    _sync_care_team(case)
    return case


# --- notes ----------------------------------------------------------------------------------


@transaction.atomic
def note_add(
    *, actor: Any, case: Case, level: str, text: str, addendum_to: Note | None = None
) -> Note:
    """A signed note, or a pending one when the author is an intern (co-signed later by their
    supervising clinician). A correction is a new note pointing at the one it corrects."""
    if level not in Note.Level.values:
        raise CasesError(_("Unknown confidentiality level."))
    if not permissions.may_write_note_level(actor, case, level):
        raise CasesError(_("You may not write notes at this level on this case."))
    text = text.strip()
    if not text:
        raise CasesError(_("The note is empty."))
    if addendum_to is not None and addendum_to.case_id != case.pk:
        raise CasesError(_("An addendum belongs to a note of the same case."))
    now = timezone.now()
    pending = access.has_role(actor, Role.INTERN) and not access.has_role(
        actor, Role.CLINICIAN, Role.SUPERVISOR
    )
    if pending and actor.supervising_clinician_id is None:
        raise CasesError(_("You have no supervising clinician to co-sign your notes."))
    return Note.objects.create(
        case=case,
        level=level,
        text=text,
        author=actor,
        status=Note.Status.PENDING if pending else Note.Status.SIGNED,
        signed_at=None if pending else now,
        cosigner=actor.supervising_clinician if pending else None,
        addendum_to=addendum_to,
    )


@transaction.atomic
def note_cosign(*, actor: Any, note: Note) -> Note:
    if note.status != Note.Status.PENDING:
        raise CasesError(_("This note is already signed."))
    if note.cosigner_id != actor.pk:
        raise CasesError(_("Only the supervising clinician co-signs this note."))
    now = timezone.now()
    note.status = Note.Status.SIGNED
    note.signed_at = now
    note.cosigned_at = now
    note.save()
    return note
