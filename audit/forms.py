"""Forms of the audit review. They validate; selectors and services decide."""

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cfsj.lib.forms import DateInput

DEFAULT_DAYS = 30
# Counts by day are listed one line per day: a year at most keeps that page readable.
MAX_DAYS = 366


class ActivityRangeForm(forms.Form):
    """The period of the per-user activity report: local days, both included. Left empty, the
    end is today and the start 30 days before it."""

    start = forms.DateField(label=_("From"), required=False, widget=DateInput)
    end = forms.DateField(label=_("To"), required=False, widget=DateInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")

    def clean(self) -> dict:
        data = super().clean()
        if self.errors:
            return data
        end = data.get("end") or timezone.localdate()
        start = data.get("start") or end - timedelta(days=DEFAULT_DAYS - 1)
        if start > end:
            raise forms.ValidationError(_("The start date is after the end date."))
        if (end - start).days >= MAX_DAYS:
            raise forms.ValidationError(
                _("Choose a period of at most %(days)d days.") % {"days": MAX_DAYS}
            )
        data["start"], data["end"] = start, end
        return data

    def period(self) -> tuple[date, date] | None:
        """(start, end) of a valid form, the default period of an empty one, None otherwise."""
        if not self.is_bound:
            end = timezone.localdate()
            return end - timedelta(days=DEFAULT_DAYS - 1), end
        if not self.is_valid():
            return None
        return self.cleaned_data["start"], self.cleaned_data["end"]


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        help_text=_(
            "What you looked at and what you followed up. Name staff, not the people in the "
            "records."
        ),
    )
