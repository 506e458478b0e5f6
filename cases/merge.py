"""Duplicate people: finding likely pairs, and merging one record into another (supervisors).

A merge never deletes: the merged-away record stays, pointing at the survivor (``merged_into``),
and everything that hung on it (contacts, names, care team, households, relationships) is
repointed row by row with ``save()``, so each move is in that row's history with the reason.
Apps that add relations to Person add one line to :data:`RELATIONS`.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import access
from audit.models import AccessLog
from audit.services import log_access
from cases import permissions
from cases.models import (
    CareTeamMember,
    ContactPerson,
    HouseholdMember,
    Person,
    PersonName,
    Relationship,
)
from cases.services import PERSON_FIELDS, CasesError
from cfsj.lib.matching import name_score, query_words
from cfsj.lib.text import fold

KEEP = "keep"
OTHER = "other"
# Text the supervisor may keep from both sides: a responding officer's safety note must not be
# lost because the other record's was chosen.
BOTH = "both"
JOINABLE_FIELDS = ("safety_notes",)
ADDRESS_FIELDS = ("street", "city", "postal_code")


# --- what moves with a merge -----------------------------------------------------------------


@dataclass(frozen=True)
class Relation:
    """Rows of ``model`` whose ``field`` points at a person, moved to the survivor on a merge.

    * ``same_as``: fields that make a moved row a duplicate of one the survivor already has;
      the duplicate stays on the merged-away record, ended (``status`` set to ``retired()``),
      and the survivor's row is made current again if only the duplicate was.
    * ``status`` / ``live``: the field that says a row is current, and its current value
      (``None`` for an end date or removal time, ``True`` for an ``active`` flag).
    * ``current_only``: duplicates matter only among current rows (a unique constraint with a
      condition), so ended rows always move.
    * ``other_end``: another person field on the row; a row linking the two merged records
      to each other would become a self-link, so it is ended instead of moved.
    * ``symmetric``: rows that read the same both ways (siblings, partners) are also the same
      as the survivor's row pointing the other way.
    """

    model: type[models.Model]
    field: str
    same_as: tuple[str, ...] = ()
    status: str = ""
    live: object = None
    retired: Callable[[], object] | None = None
    current_only: bool = False
    other_end: str = ""
    symmetric: Callable[[Any], bool] | None = None


def _reads_both_ways(row: Relationship) -> bool:
    return row.kind in (Relationship.Kind.SIBLING, Relationship.Kind.PARTNER)


def _false() -> bool:
    return False


_REMOVED = {"status": "removed_at", "live": None, "retired": timezone.now}
_ENDED = {"status": "ended_on", "live": None, "retired": timezone.localdate}
_INACTIVE = {"status": "active", "live": True, "retired": _false}
_RELATIONSHIP = {"symmetric": _reads_both_ways, **_INACTIVE}

RELATIONS: tuple[Relation, ...] = (
    Relation(ContactPerson, "person", same_as=("contact",), **_REMOVED),
    Relation(PersonName, "person", same_as=("kind", "first_name", "last_name")),
    Relation(CareTeamMember, "person", same_as=("user",), current_only=True, **_ENDED),
    Relation(HouseholdMember, "person", same_as=("household",), **_INACTIVE),
    Relation(
        Relationship, "person", same_as=("relative", "kind"), other_end="relative", **_RELATIONSHIP
    ),
    Relation(
        Relationship, "relative", same_as=("person", "kind"), other_end="person", **_RELATIONSHIP
    ),
    # Records merged earlier into the one going away now point straight at the survivor.
    Relation(Person, "merged_into"),
)


def _is_live(relation: Relation, row: models.Model) -> bool:
    return getattr(row, relation.status) == relation.live


def _save(row: models.Model, *, actor: Any, reason: str) -> None:
    row._change_reason = reason  # type: ignore[attr-defined]
    row._history_user = actor  # type: ignore[attr-defined]
    row.save()


def _move(relation: Relation, *, keep: Person, away: Person, actor: Any, reason: str) -> None:
    rows = relation.model._default_manager.filter(**{relation.field: away}).order_by("pk")
    for row in rows:
        if relation.other_end and getattr(row, f"{relation.other_end}_id") == keep.pk:
            _retire(relation, row, actor=actor, reason=reason)
            continue
        twin = _twin(relation, row, keep)
        if twin is not None:
            if relation.status and _is_live(relation, row) and not _is_live(relation, twin):
                setattr(twin, relation.status, relation.live)
                _save(twin, actor=actor, reason=reason)
            _retire(relation, row, actor=actor, reason=reason)
            continue
        setattr(row, relation.field, keep)
        _save(row, actor=actor, reason=reason)


def _twin(relation: Relation, row: models.Model, keep: Person) -> models.Model | None:
    if not relation.same_as:
        return None
    if relation.current_only and not _is_live(relation, row):
        return None
    values = {f: getattr(row, f) for f in relation.same_as}
    match = models.Q(**{relation.field: keep}, **values)
    if relation.symmetric is not None and relation.symmetric(row):
        other = values.pop(relation.other_end)
        match |= models.Q(**{relation.other_end: keep, relation.field: other}, **values)
    if relation.current_only:
        match &= models.Q(**{relation.status: relation.live})
    return relation.model._default_manager.filter(match).order_by("pk").first()


def _retire(relation: Relation, row: models.Model, *, actor: Any, reason: str) -> None:
    # Rows without a status (another name) stay on the merged-away record as they were.
    if relation.retired is None or not _is_live(relation, row):
        return
    setattr(row, relation.status, relation.retired())
    _save(row, actor=actor, reason=reason)


# --- the merge ------------------------------------------------------------------------------


@transaction.atomic
def person_merge(
    *, actor: Any, keep: Person, merge_away: Person, choices: dict[str, str]
) -> Person:
    """Merge ``merge_away`` into ``keep``. ``choices`` maps fields of PERSON_FIELDS to "keep"
    or "other" (``safety_notes`` also "both"); fields left out keep the survivor's value."""
    if not permissions.may_merge_people(actor):
        raise PermissionDenied
    _check_choices(choices)
    if keep.pk == merge_away.pk:
        raise CasesError(_("A record cannot be merged into itself."))
    # Lock both rows and read their merge state under the lock: two supervisors merging the
    # same pair at once must not both succeed.
    state = dict(
        Person.objects.select_for_update()
        .filter(pk__in=[keep.pk, merge_away.pk])
        .order_by("pk")
        .values_list("pk", "merged_into_id")
    )
    if state.get(keep.pk) or state.get(merge_away.pk):
        raise CasesError(_("One of these records was already merged; open the survivor instead."))
    keep.refresh_from_db()
    merge_away.refresh_from_db()
    reason = f"merged #{merge_away.pk} into #{keep.pk}"
    old_name = (keep.first_name, keep.middle_name, keep.last_name)

    taken = _copy_fields(keep, merge_away, choices)
    for relation in RELATIONS:
        _move(relation, keep=keep, away=merge_away, actor=actor, reason=reason)
    keep.flags.add(*merge_away.flags.all())
    _keep_names(
        keep,
        [old_name, (merge_away.first_name, merge_away.middle_name, merge_away.last_name)],
        actor=actor,
        reason=reason,
    )
    keep.refresh_search_fields([f"{n.first_name} {n.last_name}" for n in keep.other_names.all()])
    _save(keep, actor=actor, reason=reason)
    merge_away.merged_into = keep
    _save(merge_away, actor=actor, reason=reason)

    detail = {"merged": merge_away.pk, "into": keep.pk, "fields_from_merged": taken}
    for record in (keep, merge_away):
        log_access(
            request=None, user=actor, action=AccessLog.Action.VIEW, obj=record, detail=detail
        )
    return keep


def _check_choices(choices: dict[str, str]) -> None:
    for field, choice in choices.items():
        allowed = (KEEP, OTHER, BOTH) if field in JOINABLE_FIELDS else (KEEP, OTHER)
        if field not in PERSON_FIELDS or choice not in allowed:
            raise CasesError(_("Choose a value for each field from one of the two records."))


def _copy_fields(keep: Person, away: Person, choices: dict[str, str]) -> list[str]:
    was_confidential = {"keep": keep.address_confidential, "other": away.address_confidential}
    taken = []
    for field in PERSON_FIELDS:
        choice = choices.get(field, KEEP)
        if choice == OTHER:
            setattr(keep, field, getattr(away, field))
            taken.append(field)
        elif choice == BOTH:
            parts = [getattr(keep, field).strip(), getattr(away, field).strip()]
            setattr(keep, field, "\n\n".join(dict.fromkeys(p for p in parts if p)))
            taken.append(field)
    # A survivor's address must not lose its protection in a merge: an address part taken
    # from a confidential record keeps the survivor's address confidential, whatever was picked.
    for field in ADDRESS_FIELDS:
        source = OTHER if choices.get(field, KEEP) == OTHER else KEEP
        if getattr(keep, field) and was_confidential[source]:
            keep.address_confidential = True
    return taken


def _keep_names(
    keep: Person, names: Iterable[tuple[str, str, str]], *, actor: Any, reason: str
) -> None:
    """Each legal name either record had, and that the survivor no longer bears, becomes an
    alias on the survivor, so that a search for the old spelling still finds the person."""
    known = {fold(f"{keep.first_name} {keep.middle_name}"): {fold(keep.last_name)}}
    for other in keep.other_names.all():
        known.setdefault(fold(other.first_name), set()).add(fold(other.last_name))
    for first, middle, last in names:
        given = " ".join(part for part in (first, middle) if part)
        if fold(last) in known.get(fold(given), set()):
            continue
        name = PersonName(person=keep, kind=PersonName.Kind.ALIAS, first_name=given, last_name=last)
        _save(name, actor=actor, reason=reason)
        known.setdefault(fold(given), set()).add(fold(last))


# --- likely duplicates ----------------------------------------------------------------------

DOB_THRESHOLD = 0.75
PHONE_THRESHOLD = 0.8
# Two records of different known genders are seldom one person (twins are the usual case).
GENDER_PENALTY = 0.15

SAME_DOB = gettext_lazy("same date of birth")
SWAPPED_DOB = gettext_lazy("day and month swapped")
YEAR_OFF = gettext_lazy("birth year differs by one")
SAME_PHONE = gettext_lazy("same phone")


@dataclass(frozen=True)
class CandidatePair:
    a_id: int
    b_id: int
    score: float
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class _Row:
    pk: int
    words: list
    search_names: str
    born: date | None
    approximate: bool
    phone: str
    gender: str


def duplicate_candidates(user: Any) -> list[CandidatePair]:
    """Likely duplicate pairs among the people ``user`` may see, best first.

    Blocking keeps it near-linear: only records whose dates of birth agree (the same, day and
    month swapped, or the year one off) or whose phone digits are the same are compared, by
    :func:`cfsj.lib.matching.name_score` in both directions. One query, of narrow columns.
    Records with neither a date of birth nor a phone are not proposed.
    """
    values = (
        access.visible_to(user, Person)
        .filter(merged_into__isnull=True)
        .values_list(
            "pk",
            "first_name",
            "middle_name",
            "last_name",
            "search_names",
            "date_of_birth",
            "dob_approximate",
            "phone_digits",
            "gender",
        )
    )
    rows = [
        _Row(pk, query_words(f"{first} {middle} {last}"), names, born, approx, phone, gender)
        for pk, first, middle, last, names, born, approx, phone, gender in values
    ]
    reasons: dict[tuple[int, int], list[str]] = defaultdict(list)
    by_pk = {row.pk: row for row in rows}
    by_dob: dict[date, list[_Row]] = defaultdict(list)
    by_phone: dict[str, list[_Row]] = defaultdict(list)
    for row in rows:
        if row.born:
            by_dob[row.born].append(row)
        if len(row.phone) >= 7:
            by_phone[row.phone].append(row)
    for row in rows:
        if row.born is None:
            continue
        # The variants are symmetric (swap twice, +1 then -1), so each pair is met from its
        # lower key and counted once.
        for born, reason in _dob_variants(row.born):
            for other in by_dob.get(born, ()):
                if other.pk > row.pk:
                    reasons[(row.pk, other.pk)].append(str(reason))
    for group in by_phone.values():
        for i, row in enumerate(group):
            for other in group[i + 1 :]:
                if _dobs_may_agree(row, other):
                    key = (min(row.pk, other.pk), max(row.pk, other.pk))
                    reasons[key].append(str(SAME_PHONE))
    pairs = []
    for (a, b), why in reasons.items():
        score = _pair_score(by_pk[a], by_pk[b])
        threshold = PHONE_THRESHOLD if why == [str(SAME_PHONE)] else DOB_THRESHOLD
        if score >= threshold:
            pairs.append(CandidatePair(a, b, round(score, 3), tuple(why)))
    pairs.sort(key=lambda pair: (-pair.score, pair.a_id, pair.b_id))
    return pairs


def _dob_variants(born: date) -> list[tuple[date, object]]:
    variants: list[tuple[date, object]] = [(born, SAME_DOB)]
    if born.day != born.month and born.day <= 12:
        variants.append((date(born.year, born.day, born.month), SWAPPED_DOB))
    for year in (born.year - 1, born.year + 1):
        try:
            variants.append((born.replace(year=year), YEAR_OFF))
        except ValueError:  # 29 February
            continue
    return variants


def _dobs_may_agree(a: _Row, b: _Row) -> bool:
    """Same phone: a pair only when the dates do not clearly tell two people apart (a parent
    and a child share a landline and, often, a name)."""
    if a.born is None or b.born is None or a.approximate or b.approximate:
        return True
    return abs((a.born - b.born).days) <= 366


def _pair_score(a: _Row, b: _Row) -> float:
    score = max(name_score(a.words, b.search_names), name_score(b.words, a.search_names))
    unknown = Person.Gender.UNKNOWN
    if a.gender != b.gender and unknown not in (a.gender, b.gender):
        score -= GENDER_PENALTY
    return score


def contact_count() -> models.Count:
    """Annotation: the contacts a person is (still) linked to."""
    return models.Count(
        "contact_links", filter=models.Q(contact_links__removed_at__isnull=True), distinct=True
    )


def people_for_pairs(user: Any, pairs: Iterable[CandidatePair]) -> dict[int, Person]:
    """The people of a page of pairs, with their contact counts, in one query."""
    ids = {pk for pair in pairs for pk in (pair.a_id, pair.b_id)}
    people = access.visible_to(user, Person).filter(pk__in=ids)
    return {person.pk: person for person in people.annotate(contact_count=contact_count())}
