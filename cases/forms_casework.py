"""Forms of the case page: open, edit (optimistic lock), status change, transfer, notes."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts import access
from accounts.models import Unit, User
from cases import permissions
from cases.casework import TRANSITIONS
from cases.models import NARRATIVE_MAX_LENGTH, Case, CaseType, ClosureOutcome, Note
from cfsj.lib.forms import DateInput


def _caseworkers():
    return (
        User.objects.filter(is_active=True, groups__permissions__codename="manage_cases")
        .distinct()
        .order_by("last_name", "first_name")
    )


class CaseOpenForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.filter(active=True))
    case_type = forms.ModelChoiceField(
        label=_("Case type"), queryset=CaseType.objects.filter(active=True)
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    risk = forms.ChoiceField(label=_("Risk level"), choices=Case.Risk.choices)
    status = forms.ChoiceField(
        label=_("Starts as"),
        choices=[
            (Case.Status.OPEN, Case.Status.OPEN.label),
            (Case.Status.REFERRED, Case.Status.REFERRED.label),
        ],
    )
    assigned_to = forms.ModelChoiceField(
        label=_("Assigned worker"), queryset=User.objects.none(), required=False
    )
    opened_on = forms.DateField(label=_("Opened"), widget=DateInput(), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = _caseworkers()
        self.fields["assigned_to"].initial = user.pk
        units = list(user.unit_ids)
        if units:
            self.fields["unit"].initial = units[0]


class CaseEditForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Case
        fields = ["case_type", "risk", "reason", "goals"]
        widgets = {
            "reason": forms.Textarea(attrs={"rows": 3}),
            "goals": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case_type"].queryset = CaseType.objects.filter(active=True)
        if not self.is_bound:
            self.initial["version"] = self.instance.version


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(label=_("Change status to"), choices=())
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    closure_outcome = forms.ModelChoiceField(
        label=_("Closure outcome"),
        queryset=ClosureOutcome.objects.filter(active=True),
        required=False,
        help_text=_("Needed to close the case."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = TRANSITIONS.get(case.status, ())
        self.fields["to_status"].choices = [(s, Case.Status(s).label) for s in allowed]
        if not self.is_bound:
            self.initial["version"] = case.version


class TransferForm(forms.Form):
    to_user = forms.ModelChoiceField(label=_("Transfer to"), queryset=User.objects.none())
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_user"].queryset = _caseworkers().exclude(pk=case.assigned_to_id)
        if not self.is_bound:
            self.initial["version"] = case.version


class NoteForm(forms.Form):
    level = forms.ChoiceField(label=_("Confidentiality"), choices=())
    text = forms.CharField(
        label=_("Note"),
        max_length=NARRATIVE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": NARRATIVE_MAX_LENGTH}),
        help_text=_("Signed notes are never edited: add a correction as an addendum."),
    )
    addendum_to = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, user: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [
            (level, label)
            for level, label in Note.Level.choices
            if permissions.may_write_note_level(user, case, level)
        ]


def may_open_cases(user: Any) -> bool:
    return access.can(user, "manage_cases")


class BreakGlassForm(forms.Form):
    """The reason for opening a case outside one's scope. Whether it is a reason (long enough,
    real words) is the service's rule (cases.breakglass.reason_problem)."""

    reason = forms.CharField(
        label=_("Why do you need this case now?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 2000}),
        help_text=_(
            "Read by the unit's supervisor and kept in the access log. Do not copy clinical "
            "details here: say what happened and why it cannot wait."
        ),
    )
