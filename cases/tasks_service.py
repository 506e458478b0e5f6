"""Writes for tasks on cases (issue 4): adding one, marking it done or not done.

Keyword-only arguments, the acting user passed in, one transaction, refusals as
:class:`cases.services.CasesError`; the change history is simple-history's (rows saved with
``save()``).
"""

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts import access
from cases.models import Case, Task
from cases.services import CasesError


def _may_be_assigned(case: Case, user: Any, actor: Any) -> bool:
    if user.pk in (case.assigned_to_id, actor.pk):
        return True
    return case.team.filter(pk=user.pk).exists()


@transaction.atomic
def task_add(*, actor: Any, case: Case, title: str, due_on: date, assignee: Any) -> Task:
    access.require_change(actor, case)
    title = title.strip()
    if not title:
        raise CasesError(_("Say what the task is."))
    if case.is_closed:
        raise CasesError(_("The case is closed: reopen it to add a task."))
    if due_on < case.opened_on:
        raise CasesError(
            _("A task cannot be due before the case opened (%(date)s).")
            % {"date": formats.date_format(case.opened_on, "SHORT_DATE_FORMAT")}
        )
    if not assignee.is_active or not _may_be_assigned(case, assignee, actor):
        raise CasesError(
            _("A task goes to the case's assigned worker, someone on its team, or yourself.")
        )
    return Task.objects.create(
        title=title, due_on=due_on, assignee=assignee, case=case, created_by=actor
    )


@transaction.atomic
def task_set_done(*, actor: Any, task: Task, done: bool) -> Task:
    """Mark ``task`` done (by ``actor``, now) or open again. Setting the state it already has
    changes nothing, so a double-submitted button does not flip it back."""
    access.require_change(actor, task)
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.is_done == done:
        return task
    if done:
        task.done_at, task.done_by = timezone.now(), actor
    else:
        task.done_at, task.done_by = None, None
    task.save()
    return task
