"""Reads for the case page, in a fixed number of queries."""

from typing import Any

from django.db.models import Prefetch, QuerySet

from accounts import access
from cases.models import Case, CaseTransfer, Note


def case_for_page(user: Any, pk: int) -> Case:
    """The case through the user's visible queryset (404 outside it), with what its header
    shows: subject, unit, type, assigned worker, closure outcome, team, status history,
    transfers."""
    return access.get_visible_or_404(
        user,
        Case.objects.select_related(
            "person", "household", "unit", "case_type", "assigned_to", "closure_outcome"
        ).prefetch_related(
            "team",
            "status_changes__actor",
            Prefetch(
                "transfers",
                queryset=CaseTransfer.objects.select_related("from_user", "to_user", "actor"),
            ),
        ),
        pk=pk,
    )


def case_notes(user: Any, case: Case) -> list[Note]:
    """The notes of ``case`` the user may read (level, pending state: cases.permissions),
    newest first, each with its visible addenda attached as ``visible_addenda``."""
    notes = list(
        access.visible_to(user, Note)
        .filter(case=case)
        .select_related("author", "cosigner")
        .order_by("created_at", "pk")
    )
    by_pk = {note.pk: note for note in notes}
    top = []
    for note in notes:
        note.visible_addenda = []
    for note in notes:
        parent = by_pk.get(note.addendum_to_id) if note.addendum_to_id else None
        if parent is not None:
            parent.visible_addenda.append(note)
        else:
            top.append(note)
    return list(reversed(top))


def person_notes(user: Any, person_pk: int, *, limit: int = 20) -> QuerySet:
    """Recent notes across a person's cases that the user may read (for the person page)."""
    return (
        access.visible_to(user, Note)
        .filter(case__person_id=person_pk)
        .select_related("author", "case", "case__case_type")
        .order_by("-created_at", "-pk")[:limit]
    )


def person_cases(user: Any, person_pk: int) -> QuerySet:
    return (
        access.visible_to(user, Case)
        .filter(person_id=person_pk)
        .select_related("unit", "case_type", "assigned_to")
        .order_by("-opened_on", "-pk")
    )


def restricted_note_ids(notes: list[Note]) -> list[int]:
    """Ids of clinical and protected notes on a page (and their addenda), for the access log."""
    ids = []
    for note in notes:
        for shown in [note, *getattr(note, "visible_addenda", [])]:
            if shown.level != Note.Level.GENERAL:
                ids.append(shown.pk)
    return ids
