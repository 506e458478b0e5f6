"""Forms of the caseload, the case list and tasks (issue 4). They validate; the services and
selectors decide."""

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit, User
from accounts.roles import Role
from cases.models import Case
from cases.selectors_caseload import SORTS, CaseFilters
from cfsj.lib.forms import DateInput


class CaseFilterForm(forms.Form):
    """The GET form above the caseload and the case list. Every field is optional; an invalid
    value falls back to its default rather than failing the page."""

    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.filter(active=True), required=False
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Not closed")), ("all", _("Any status")), *Case.Status.choices],
        required=False,
    )
    risk = forms.ChoiceField(
        label=_("Risk"), choices=[("", _("Any risk")), *Case.Risk.choices], required=False
    )
    overdue = forms.BooleanField(label=_("Overdue tasks only"), required=False)
    no_contact_days = forms.IntegerField(
        label=_("No contact in (days)"), min_value=1, max_value=3650, required=False
    )
    sort = forms.ChoiceField(
        choices=[(key, key) for key in SORTS], required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, with_worker: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if with_worker:
            self.fields["worker"] = forms.ModelChoiceField(
                label=_("Assigned worker"),
                queryset=User.objects.filter(
                    is_active=True,
                    groups__name__in=(Role.CLINICIAN, Role.INTERN, Role.SUPERVISOR),
                ).distinct(),
                required=False,
            )
        for name, field in self.fields.items():
            css = "form-check-input" if name == "overdue" else "form-select"
            if name == "no_contact_days":
                css = "form-control"
            field.widget.attrs.setdefault("class", css)

    def filters(self, *, default_sort: str = "risk") -> CaseFilters:
        """The filters from the valid fields; defaults for the rest."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return CaseFilters(
            unit=data.get("unit"),
            status=data.get("status") or "",
            risk=data.get("risk") or "",
            overdue=bool(data.get("overdue")),
            no_contact_days=data.get("no_contact_days"),
            worker=data.get("worker"),
            sort=data.get("sort") or default_sort,
        )


def assignee_choices(case: Case, user: Any):
    """Who a task on ``case`` may go to: its assigned worker, its team, and the user."""
    team = Case.team.through.objects.filter(case_id=case.pk).values("user_id")
    return User.objects.filter(
        Q(pk=case.assigned_to_id) | Q(pk__in=team) | Q(pk=user.pk), is_active=True
    )


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=200)
    due_on = forms.DateField(label=_("Due"), widget=DateInput)
    assignee = forms.ModelChoiceField(label=_("Assigned to"), queryset=User.objects.none())

    def __init__(self, *args: Any, case: Case, user: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"assignee": user.pk})
        kwargs.setdefault("auto_id", "task-%s")  # unique ids beside the case page's other forms
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = assignee_choices(case, user)
        self.fields["assignee"].label_from_instance = lambda u: u.display_name
        self.fields["assignee"].empty_label = None
        for field in self.fields.values():
            css = "form-select" if field is self.fields["assignee"] else "form-control"
            field.widget.attrs.setdefault("class", css)
