import uuid
from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import access
from cases import permissions
from cases.models import (
    NARRATIVE_MAX_LENGTH,
    Contact,
    ContactType,
    Disposition,
    Person,
    PersonName,
    PopulationFlag,
    Relationship,
)
from cases.services import PERSON_FIELDS
from cfsj.lib.forms import DateInput, DateTimeInput


def _flag_choices(user: Any):
    flags = PopulationFlag.objects.filter(active=True)
    if not permissions.may_see_restricted_flags(user):
        flags = flags.filter(restricted=False)
    return flags


ADDRESS_FIELDS = ("street", "city", "postal_code", "address_confidential")


class PersonForm(forms.ModelForm):
    approximate_age = forms.IntegerField(
        label=_("Approximate age"),
        required=False,
        min_value=0,
        max_value=120,
        help_text=_("Only when the date of birth is unknown."),
    )
    flags = forms.ModelMultipleChoiceField(
        label=_("Population flags"),
        queryset=PopulationFlag.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    alias_kind = forms.ChoiceField(
        label=_("Other name: kind"), choices=PersonName.Kind.choices, required=False
    )
    alias_first_name = forms.CharField(label=_("Other first name"), max_length=80, required=False)
    alias_last_name = forms.CharField(label=_("Other last name"), max_length=80, required=False)
    confirm_new = forms.BooleanField(label=_("None of these: this is a new person"), required=False)

    class Meta:
        model = Person
        fields = [f for f in PERSON_FIELDS if f != "dob_approximate"]
        widgets = {"date_of_birth": DateInput(), "safety_notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, user: Any, with_alias: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["flags"].queryset = _flag_choices(user)
        if self.instance.pk:
            self.fields["flags"].initial = [
                f.pk for f in self.instance.flags.all() if f in self.fields["flags"].queryset
            ]
            if self.instance.dob_approximate:
                self.initial["approximate_age"] = self.instance.age
                self.initial["date_of_birth"] = None
        if not with_alias:
            for name in ("alias_kind", "alias_first_name", "alias_last_name", "confirm_new"):
                del self.fields[name]
        # A confidential address is not shown to whoever may not read it, not even in the form
        # of someone allowed to correct the person's other details; it is left as stored.
        self.address_hidden = bool(
            self.instance.pk
            and self.instance.address_confidential
            and not permissions.may_see_confidential_address(user, self.instance)
        )
        if self.address_hidden:
            for name in ADDRESS_FIELDS:
                del self.fields[name]

    def clean_date_of_birth(self) -> date | None:
        born = self.cleaned_data.get("date_of_birth")
        if born and born > timezone.localdate():
            raise forms.ValidationError(_("The date of birth cannot be in the future."))
        if born and born.year < 1900:
            raise forms.ValidationError(_("Check the year of birth."))
        return born

    def clean(self) -> dict:
        data = super().clean()
        age = data.get("approximate_age")
        if data.get("date_of_birth") and age is not None:
            self.add_error(
                "approximate_age", _("Give either a date of birth or an approximate age, not both.")
            )
        return data

    def person_data(self) -> dict:
        """Values for cases.services (date of birth estimated from an approximate age)."""
        data = {
            field: self.cleaned_data[field] for field in self._meta.fields if field in self.fields
        }
        age = self.cleaned_data.get("approximate_age")
        data["dob_approximate"] = age is not None
        if age is not None:
            today = timezone.localdate()
            data["date_of_birth"] = today.replace(year=today.year - age, month=7, day=1)
        return data

    def other_names(self) -> list[tuple[str, str, str]]:
        first = self.cleaned_data.get("alias_first_name", "").strip()
        last = self.cleaned_data.get("alias_last_name", "").strip()
        if not (first or last):
            return []
        return [(self.cleaned_data.get("alias_kind") or PersonName.Kind.ALIAS, first, last)]


class ContactForm(forms.ModelForm):
    people = forms.ModelMultipleChoiceField(
        label=_("People"),
        queryset=Person.objects.none(),
        required=False,  # a missing person gets its own message (see clean_people)
        widget=forms.MultipleHiddenInput,
    )
    flags = forms.ModelMultipleChoiceField(
        label=_("Population flags"),
        queryset=PopulationFlag.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    submission_key = forms.UUIDField(widget=forms.HiddenInput)

    class Meta:
        model = Contact
        fields = [
            "occurred_at",
            "location",
            "contact_type",
            "disposition",
            "narrative",
            "incident_number",
            "consultation_requested",
        ]
        widgets = {
            "occurred_at": DateTimeInput(),
            "narrative": forms.Textarea(attrs={"rows": 5, "maxlength": NARRATIVE_MAX_LENGTH}),
        }
        help_texts = {
            "narrative": _("Up to 10,000 characters."),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["people"].queryset = access.visible_to(user, Person).filter(
            merged_into__isnull=True
        )
        self.fields["flags"].queryset = _flag_choices(user)
        self.fields["contact_type"].queryset = ContactType.objects.filter(active=True)
        self.fields["disposition"].queryset = Disposition.objects.filter(active=True)
        self.fields["contact_type"].required = False  # required to finish, not for a draft
        self.fields["disposition"].required = False
        self.fields["occurred_at"].required = True
        if not self.is_bound:
            self.initial.setdefault("submission_key", uuid.uuid4())
            self.initial.setdefault(
                "occurred_at", timezone.localtime().replace(second=0, microsecond=0)
            )
        if self.instance.pk:
            self.initial["submission_key"] = self.instance.submission_key
            self.initial["people"] = [
                link.person_id
                for link in self.instance.participants.all()
                if link.removed_at is None
            ]
            self.fields["flags"].initial = [f.pk for f in self.instance.flags.all()]

    def clean_occurred_at(self):
        when = self.cleaned_data["occurred_at"]
        if when > timezone.now() + timezone.timedelta(minutes=5):
            raise forms.ValidationError(_("The contact cannot be in the future."))
        return when

    def clean_people(self):
        people = list(self.cleaned_data["people"])
        if not people:
            raise forms.ValidationError(_("Add at least one person: search by name above."))
        return people

    def clean(self) -> dict:
        data = super().clean()
        when = data.get("occurred_at")
        for person in data.get("people") or []:
            if when and person.date_of_birth and person.date_of_birth > timezone.localdate(when):
                self.add_error(
                    "people",
                    _("%(name)s was born after the contact's date.") % {"name": person.full_name},
                )
        return data

    def finishing(self) -> bool:
        return "save_draft" not in self.data


class FinishContactForm(forms.Form):
    """Extra rule when finishing: a type and a disposition are required."""


class AddendumForm(forms.Form):
    text = forms.CharField(
        label=_("Addendum"),
        max_length=NARRATIVE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": NARRATIVE_MAX_LENGTH}),
    )


class ContactFlagsForm(forms.Form):
    flags = forms.ModelMultipleChoiceField(
        label=_("Add population flags"),
        queryset=PopulationFlag.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["flags"].queryset = _flag_choices(user)


class RelationshipForm(forms.Form):
    relative = forms.IntegerField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("is their"), choices=Relationship.Kind.choices)
    same_household = forms.BooleanField(label=_("They live in the same household"), required=False)
