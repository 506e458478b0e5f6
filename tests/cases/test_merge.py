from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from audit.models import AccessLog
from cases import merge, search
from cases.models import (
    CareTeamMember,
    ContactPerson,
    Household,
    HouseholdMember,
    Person,
    PersonName,
    Relationship,
)
from cases.services import CasesError
from tests import factories

BORN = date(2009, 3, 14)


@pytest.fixture
def twins_of_one(db):
    """One boy entered twice: "John Smith" and, later, "Jon Smyth" with the same birthday."""
    keep = factories.person(
        first_name="John",
        last_name="Smith",
        date_of_birth=BORN,
        phone="617-555-0101",
        street="5 Inman St",
        flags=["juvenile"],
        other_names=[("nickname", "Johnny", "Smith")],
    )
    away = factories.person(
        first_name="Jon",
        last_name="Smyth",
        date_of_birth=BORN,
        phone="857-555-0199",
        school="Cambridge Rindge and Latin School",
        flags=["homeless"],
        other_names=[("alias", "JJ", "")],
    )
    return keep, away


def do_merge(supervisor, keep, away, **choices):
    return merge.person_merge(actor=supervisor, keep=keep, merge_away=away, choices=choices)


def links(person):
    return set(
        ContactPerson.objects.filter(person=person, removed_at__isnull=True).values_list(
            "contact_id", flat=True
        )
    )


def test_merge_moves_every_contact_to_the_survivor(officer, supervisor, twins_of_one):
    keep, away = twins_of_one
    own = factories.contact(author=officer, people=[keep])
    other = factories.contact(author=officer, people=[away])
    both = factories.contact(author=officer, people=[keep, away])
    do_merge(supervisor, keep, away)
    assert links(keep) == {own.pk, other.pk, both.pk}
    assert links(away) == set()
    # The link that would have been a duplicate stays on the merged-away record, removed.
    assert ContactPerson.objects.get(contact=both, person=away).removed_at is not None


def test_merge_moves_names_care_team_and_households(supervisor, clinician, intern, twins_of_one):
    keep, away = twins_of_one
    CareTeamMember.objects.create(person=keep, user=clinician)
    CareTeamMember.objects.create(person=away, user=clinician)
    CareTeamMember.objects.create(person=away, user=intern, role="Clinical intern")
    shared = Household.objects.create(name="Smith household")
    HouseholdMember.objects.create(household=shared, person=keep, active=False)
    HouseholdMember.objects.create(household=shared, person=away)
    shelter = Household.objects.create(name="Family shelter room 4")
    HouseholdMember.objects.create(household=shelter, person=away)

    do_merge(supervisor, keep, away)

    names = {(n.kind, n.first_name, n.last_name) for n in keep.other_names.all()}
    assert {("nickname", "Johnny", "Smith"), ("alias", "JJ", "")} <= names
    current = CareTeamMember.objects.filter(person=keep, ended_on__isnull=True)
    assert sorted(current.values_list("user__username", flat=True)) == ["p_clinician", "p_intern"]
    assert not CareTeamMember.objects.filter(person=away, ended_on__isnull=True).exists()
    memberships = HouseholdMember.objects.filter(person=keep)
    assert {(m.household.name, m.active) for m in memberships} == {
        ("Smith household", True),
        ("Family shelter room 4", True),
    }
    assert not HouseholdMember.objects.filter(person=away, active=True).exists()


def test_merge_moves_relationships_both_ways_and_ends_the_one_between_the_two(
    supervisor, twins_of_one
):
    keep, away = twins_of_one
    mother = factories.person(first_name="Ana", last_name="Smith", date_of_birth=date(1980, 1, 2))
    brother = factories.person(first_name="Leo", last_name="Smith", date_of_birth=date(2012, 5, 6))
    Relationship.objects.create(person=mother, relative=keep, kind="parent")
    Relationship.objects.create(person=mother, relative=away, kind="parent")  # duplicate
    Relationship.objects.create(person=away, relative=brother, kind="sibling")
    # The same two siblings recorded the other way round on the survivor: still one pair.
    Relationship.objects.create(person=brother, relative=keep, kind="sibling")
    between = Relationship.objects.create(person=away, relative=keep, kind="sibling")

    do_merge(supervisor, keep, away)

    active = Relationship.objects.filter(active=True)
    assert set(active.values_list("person__first_name", "relative__first_name", "kind")) == {
        ("Ana", "John", "parent"),
        ("Leo", "John", "sibling"),
    }
    between.refresh_from_db()
    assert (between.person_id, between.relative_id, between.active) == (away.pk, keep.pk, False)


def test_merge_unites_the_population_flags(supervisor, twins_of_one):
    keep, away = twins_of_one
    do_merge(supervisor, keep, away)
    assert set(keep.flags.values_list("code", flat=True)) == {"juvenile", "homeless"}


def test_the_merged_away_record_stays_pointing_at_the_survivor(supervisor, twins_of_one):
    keep, away = twins_of_one
    do_merge(supervisor, keep, away)
    away = Person.objects.get(pk=away.pk)
    assert away.merged_into == keep
    assert (away.first_name, away.last_name) == ("Jon", "Smyth")
    assert search.search_people(supervisor, "Jon Smyth")[0].person == keep


def test_both_histories_survive_and_the_merge_is_an_entry_with_its_reason(supervisor, twins_of_one):
    keep, away = twins_of_one
    do_merge(supervisor, keep, away)
    reason = f"merged #{away.pk} into #{keep.pk}"
    for record in (keep, away):
        history = list(record.history.order_by("history_date", "history_id"))
        assert history[0].history_type == "+"
        assert history[-1].history_change_reason == reason
        assert history[-1].history_user == supervisor
    moved = ContactPerson.history.filter(history_change_reason=reason)
    names = PersonName.history.filter(history_change_reason=reason, person_id=keep.pk)
    assert names.exists()
    assert moved.count() == ContactPerson.objects.filter(person=keep).count()


def test_the_merge_is_in_the_access_log_of_both_records(supervisor, twins_of_one):
    keep, away = twins_of_one
    do_merge(supervisor, keep, away)
    rows = AccessLog.objects.filter(user=supervisor, detail__merged=away.pk)
    assert sorted(rows.values_list("object_id", flat=True)) == sorted([str(keep.pk), str(away.pk)])
    assert rows.first().detail["into"] == keep.pk


def test_field_by_field_choices_apply(supervisor, twins_of_one):
    keep, away = twins_of_one
    keep.safety_notes = "Dog in the apartment."
    keep.save()
    away.safety_notes = "Asthma: carries an inhaler."
    away.save()
    do_merge(
        supervisor,
        keep,
        away,
        first_name="other",
        phone="other",
        street="keep",
        school="other",
        safety_notes="both",
    )
    keep.refresh_from_db()
    assert (keep.first_name, keep.last_name) == ("Jon", "Smith")
    assert keep.phone == "857-555-0199"
    assert keep.phone_digits == "8575550199"
    assert keep.street == "5 Inman St"
    assert keep.school == "Cambridge Rindge and Latin School"
    assert keep.safety_notes == "Dog in the apartment.\n\nAsthma: carries an inhaler."
    # The legal names no longer borne stay searchable as aliases.
    names = {(n.first_name, n.last_name) for n in keep.other_names.all()}
    assert {("John", "Smith"), ("Jon", "Smyth")} <= names


def test_an_address_taken_from_a_confidential_record_stays_confidential(supervisor, db):
    keep = factories.person(first_name="Rosa", last_name="Peña", date_of_birth=date(1990, 2, 3))
    away = factories.person(
        first_name="Rosa",
        last_name="Pena",
        date_of_birth=date(1990, 2, 3),
        street="9 Safe Pl",
        address_confidential=True,
    )
    do_merge(supervisor, keep, away, street="other")
    keep.refresh_from_db()
    assert keep.street == "9 Safe Pl"
    assert keep.address_confidential


def test_records_merged_earlier_follow_to_the_new_survivor(supervisor, twins_of_one):
    keep, away = twins_of_one
    older = factories.person(first_name="Jonny", last_name="Smith", date_of_birth=BORN)
    do_merge(supervisor, away, older)
    do_merge(supervisor, keep, away)
    older.refresh_from_db()
    assert older.merged_into == keep


def test_a_record_cannot_be_merged_into_itself(supervisor, twins_of_one):
    keep, _away = twins_of_one
    with pytest.raises(CasesError, match="itself"):
        do_merge(supervisor, keep, Person.objects.get(pk=keep.pk))


@pytest.mark.parametrize("side", ["keep", "away"])
def test_an_already_merged_record_cannot_be_merged_again(supervisor, twins_of_one, side):
    keep, away = twins_of_one
    third = factories.person(first_name="Johnny", last_name="Smith", date_of_birth=BORN)
    do_merge(supervisor, third, keep if side == "keep" else away)
    with pytest.raises(CasesError, match="already merged"):
        do_merge(supervisor, keep, away)
    assert Person.objects.get(pk=(away if side == "keep" else keep).pk).merged_into is None


def test_a_choice_that_is_not_keep_or_other_is_refused(supervisor, twins_of_one):
    keep, away = twins_of_one
    with pytest.raises(CasesError):
        do_merge(supervisor, keep, away, phone="both")
    assert not Person.objects.get(pk=away.pk).is_merged


def test_only_supervisors_may_merge(officer, clinician, twins_of_one):
    keep, away = twins_of_one
    for user in (officer, clinician):
        with pytest.raises(PermissionDenied):
            do_merge(user, keep, away)


# --- the pages -------------------------------------------------------------------------------


def merge_post(client, a, b, **fields):
    data = {"a": a.pk, "b": b.pk, "survivor": "a", "confirm": "on", **fields}
    return client.post(reverse("cases:person_merge"), data)


@pytest.mark.parametrize("persona", ["officer", "clinician", "intern"])
def test_non_supervisors_cannot_post_a_merge(as_persona, persona, twins_of_one):
    keep, away = twins_of_one
    response = merge_post(as_persona(persona), keep, away)
    assert response.status_code == 403
    assert not Person.objects.get(pk=away.pk).is_merged


def test_the_merge_page_shows_both_records_side_by_side(client, supervisor, twins_of_one):
    keep, away = twins_of_one
    factories.contact(author=supervisor, people=[keep])
    client.force_login(supervisor)
    response = client.get(reverse("cases:person_merge"), {"a": keep.pk, "b": away.pk})
    html = response.content.decode()
    assert response.status_code == 200
    for value in ("John", "Jon", "Smyth", "617-555-0101", "857-555-0199", "Cambridge Rindge"):
        assert value in html
    # Differing details are choices; identical ones are shown once.
    assert 'name="pick_first_name"' in html
    assert 'name="pick_gender"' not in html
    # The record with more contacts is proposed as the one that stays.
    assert 'id="id_survivor_0" value="a" checked' in html
    assert AccessLog.objects.filter(user=supervisor, action=AccessLog.Action.VIEW).count() == 2


def test_posting_the_merge_merges_and_opens_the_survivor(client, supervisor, twins_of_one):
    keep, away = twins_of_one
    client.force_login(supervisor)
    response = merge_post(client, keep, away, survivor="b", pick_phone="a")
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:person_detail", args=[away.pk])
    keep.refresh_from_db()
    away.refresh_from_db()
    assert keep.merged_into == away
    assert away.phone == "617-555-0101"  # picked from the first record
    assert away.street == "5 Inman St"  # empty on the survivor: the other's value by default


def test_a_merge_without_confirmation_rerenders_with_the_choices_kept(
    client, supervisor, twins_of_one
):
    keep, away = twins_of_one
    client.force_login(supervisor)
    response = merge_post(client, keep, away, confirm="", survivor="b", pick_phone="a")
    html = response.content.decode()
    assert response.status_code == 200
    assert "form-errors" in html
    assert 'id="id_survivor_1" value="b" checked' in html
    assert 'id="id_pick_phone_0" value="a" checked' in html
    assert not Person.objects.get(pk=keep.pk).is_merged


def test_a_refused_merge_rerenders_with_the_reason(client, supervisor, twins_of_one):
    keep, away = twins_of_one
    third = factories.person(first_name="Johnny", last_name="Smith", date_of_birth=BORN)
    do_merge(supervisor, third, away)
    client.force_login(supervisor)
    response = merge_post(client, keep, away)
    html = response.content.decode()
    assert response.status_code == 200
    assert "already merged" in html
    assert 'data-testid="already-merged"' in html


def test_the_merge_page_without_ids_asks_for_two_records(client, supervisor):
    client.force_login(supervisor)
    html = client.get(reverse("cases:person_merge")).content.decode()
    assert 'name="a"' in html
    assert 'name="b"' in html
    same = client.get(reverse("cases:person_merge"), {"a": 3, "b": 3}).content.decode()
    assert "Choose two different records." in same


def test_the_page_of_a_merged_away_record_opens_the_survivor(client, supervisor, twins_of_one):
    keep, away = twins_of_one
    do_merge(supervisor, keep, away)
    client.force_login(supervisor)
    response = client.get(reverse("cases:person_detail", args=[away.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:person_detail", args=[keep.pk])


# --- likely duplicates -----------------------------------------------------------------------


def test_candidates_list_a_planted_pair_and_not_an_unrelated_one(
    client, supervisor, officer, twins_of_one
):
    keep, away = twins_of_one
    # Same birthday, different people; and a sibling who shares the family phone.
    stranger = factories.person(first_name="Wei", last_name="Chen", date_of_birth=BORN)
    sister = factories.person(
        first_name="Joan", last_name="Smith", date_of_birth=date(2012, 8, 1), phone="617-555-0101"
    )
    swapped = factories.person(
        first_name="María", last_name="Hernández", date_of_birth=date(1987, 3, 7)
    )
    unaccented = factories.person(
        first_name="Maria", last_name="Hernandez", date_of_birth=date(1987, 7, 3)
    )
    pairs = {(p.a_id, p.b_id) for p in merge.duplicate_candidates(supervisor)}
    assert (keep.pk, away.pk) in pairs
    assert (swapped.pk, unaccented.pk) in pairs
    for other in (stranger, sister):
        assert not any(other.pk in pair for pair in pairs)

    client.force_login(supervisor)
    html = client.get(reverse("cases:duplicate_candidates")).content.decode()
    assert "Jon Smyth" in html
    assert f"?a={keep.pk}&amp;b={away.pk}" in html
    assert "Wei Chen" not in html


def test_the_duplicates_page_pins_its_queries(client, supervisor, django_assert_max_num_queries):
    for n in range(30):
        born = date(1950 + n, 1 + n % 12, 1 + n % 28)
        factories.person(first_name="Patrick", last_name=f"Walsh{n}", date_of_birth=born)
        factories.person(first_name="Pat", last_name=f"Walsh{n}", date_of_birth=born)
    client.force_login(supervisor)
    # The session and the user (2); the user's permissions, direct and through groups, and
    # role names (3); the people's narrow columns for blocking (1); the page's people with
    # their contact counts (1); the session's idle-timeout write in a savepoint (3).
    with django_assert_max_num_queries(10):
        response = client.get(reverse("cases:duplicate_candidates"))
    assert response.status_code == 200
    assert len(response.context["rows"]) == 25
    with django_assert_max_num_queries(10):
        assert client.get(reverse("cases:duplicate_candidates"), {"page": 2}).status_code == 200
