"""Duplicate people, for supervisors: the list of likely pairs, and the side-by-side merge."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import access
from audit.models import AccessLog
from audit.services import log_access
from cases import merge, permissions
from cases.models import Person
from cases.services import PERSON_FIELDS, CasesError

PAIRS_PER_PAGE = 25


def _require_supervisor(user: Any) -> None:
    if not permissions.may_merge_people(user):
        raise PermissionDenied


@login_required
def duplicate_candidates(request: HttpRequest) -> HttpResponse:
    _require_supervisor(request.user)
    pairs = merge.duplicate_candidates(request.user)
    page = Paginator(pairs, PAIRS_PER_PAGE).get_page(request.GET.get("page"))
    people = merge.people_for_pairs(request.user, page.object_list)
    rows = [
        {"pair": pair, "a": people[pair.a_id], "b": people[pair.b_id]}
        for pair in page.object_list
        if pair.a_id in people and pair.b_id in people
    ]
    return render(
        request,
        "cases/duplicate_candidates.html",
        {"page": page, "rows": rows, "total": len(pairs)},
    )


class PickForm(forms.Form):
    a = forms.IntegerField(label=gettext_lazy("First record number"), min_value=1)
    b = forms.IntegerField(label=gettext_lazy("Second record number"), min_value=1)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("a") and data.get("a") == data.get("b"):
            raise forms.ValidationError(_("Choose two different records."))
        return data


SIDES = (("a", gettext_lazy("first record")), ("b", gettext_lazy("second record")))


class MergeForm(forms.Form):
    """Which record survives, and for each field which record's value it keeps."""

    survivor = forms.ChoiceField(
        label=gettext_lazy("Record that stays"), choices=SIDES, widget=forms.RadioSelect
    )
    confirm = forms.BooleanField(
        label=gettext_lazy("I have checked that these two records are the same person."),
    )

    def __init__(self, *args: Any, a: Person, b: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.a, self.b = a, b
        survivor = _default_survivor(a, b)
        self.fields["survivor"].initial = survivor
        for name in PERSON_FIELDS:
            choices = list(SIDES)
            if name in merge.JOINABLE_FIELDS:
                choices.append(("both", _("both")))
            self.fields[f"pick_{name}"] = forms.ChoiceField(
                label=Person._meta.get_field(name).verbose_name,
                choices=choices,
                required=False,
                widget=forms.RadioSelect,
                initial=_default_side(a, b, name, survivor),
            )

    def keep_and_away(self) -> tuple[Person, Person]:
        if self.cleaned_data["survivor"] == "a":
            return self.a, self.b
        return self.b, self.a

    def choices(self) -> dict[str, str]:
        survivor = self.cleaned_data["survivor"]
        picked = {}
        for name in PERSON_FIELDS:
            # A field sent without a pick (a form posted by hand) takes the proposed value.
            field = f"pick_{name}"
            side = self.cleaned_data.get(field) or _default_side(self.a, self.b, name, survivor)
            picked[name] = "both" if side == "both" else "keep" if side == survivor else "other"
        return picked

    def rows(self) -> list[dict]:
        rows = []
        for name in PERSON_FIELDS:
            left, right = _display(self.a, name), _display(self.b, name)
            rows.append(
                {"field": self[f"pick_{name}"], "a": left, "b": right, "same": left == right}
            )
        return rows


def _default_survivor(a: Person, b: Person) -> str:
    # The record with more history behind it survives by default; the older one on a tie.
    a_weight = (getattr(a, "contact_count", 0), -a.pk)
    b_weight = (getattr(b, "contact_count", 0), -b.pk)
    return "a" if a_weight >= b_weight else "b"


def _default_side(a: Person, b: Person, name: str, survivor: str) -> str:
    keep, other = (a, b) if survivor == "a" else (b, a)
    if getattr(keep, name) in ("", None) and getattr(other, name) not in ("", None):
        return "b" if survivor == "a" else "a"
    return survivor


def _display(person: Person, name: str) -> str:
    value = getattr(person, name)
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    display = getattr(person, f"get_{name}_display", None)
    if display is not None:
        return str(display())
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _pair(user: Any, pick: PickForm) -> tuple[Person, Person]:
    people = (
        Person.objects.annotate(contact_count=merge.contact_count())
        .select_related("merged_into")
        .prefetch_related("flags", "other_names", "households__household", "care_team__user")
    )
    a = access.get_visible_or_404(user, people, pk=pick.cleaned_data["a"])
    b = access.get_visible_or_404(user, people, pk=pick.cleaned_data["b"])
    return a, b


@login_required
def person_merge(request: HttpRequest) -> HttpResponse:
    _require_supervisor(request.user)
    data = request.POST if request.method == "POST" else request.GET
    pick = PickForm(data) if ("a" in data or "b" in data) else PickForm()
    if not pick.is_bound or not pick.is_valid():
        return render(request, "cases/person_merge.html", {"pick": pick})
    a, b = _pair(request.user, pick)
    form = MergeForm(request.POST if request.method == "POST" else None, a=a, b=b)
    if request.method == "POST" and form.is_valid():
        keep, away = form.keep_and_away()
        try:
            survivor = merge.person_merge(
                actor=request.user, keep=keep, merge_away=away, choices=form.choices()
            )
        except CasesError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("%(away)s (#%(away_pk)s) was merged into this record.")
                % {"away": away.full_name, "away_pk": away.pk},
            )
            return redirect("cases:person_detail", pk=survivor.pk)
    elif request.method != "POST":
        for person in (a, b):
            log_access(
                request=request, action=AccessLog.Action.VIEW, obj=person, detail={"page": "merge"}
            )
    return render(
        request,
        "cases/person_merge.html",
        {"pick": pick, "form": form, "a": a, "b": b, "rows": form.rows()},
    )
