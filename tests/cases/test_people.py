from datetime import date

import pytest
from django.urls import reverse

from audit.models import AccessLog
from cases import services
from cases.models import Person, Relationship
from tests import factories


def page(client, user, person, **params):
    client.force_login(user)
    return client.get(reverse("cases:person_detail", args=[person.pk]), params)


def test_officer_sees_address_confidential_not_the_address(client, officer, person):
    html = page(client, officer, person).content.decode()
    assert "Address confidential" in html
    assert "12 Hidden Lane" not in html


def test_the_care_team_and_supervisors_see_a_confidential_address(
    client, clinician, supervisor, person
):
    services.care_team_assign(actor=supervisor, person=person, user=clinician)
    assert "12 Hidden Lane" in page(client, clinician, person).content.decode()
    assert "12 Hidden Lane" in page(client, supervisor, person).content.decode()


def test_a_clinician_not_on_the_team_does_not_see_a_confidential_address(
    client, clinician_other_unit, person
):
    assert "12 Hidden Lane" not in page(client, clinician_other_unit, person).content.decode()


def test_a_clinician_not_on_the_team_does_not_see_a_confidential_address_in_the_edit_form(
    client, clinician_other_unit, person
):
    client.force_login(clinician_other_unit)
    html = client.get(reverse("cases:person_update", args=[person.pk])).content.decode()
    assert "12 Hidden Lane" not in html
    assert "The address is confidential" in html


def test_saving_the_edit_form_without_the_address_keeps_the_confidential_address(
    client, clinician_other_unit, person
):
    client.force_login(clinician_other_unit)
    response = client.post(
        reverse("cases:person_update", args=[person.pk]),
        {
            "first_name": "Maria",
            "last_name": "Santos",
            "gender": person.gender,
            "phone": "617-555-0199",
            # Fields that are not in the form cannot change the address.
            "street": "1 Elsewhere Road",
            "address_confidential": "",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    person.refresh_from_db()
    assert (person.phone, person.street, person.address_confidential) == (
        "617-555-0199",
        "12 Hidden Lane",
        True,
    )


def test_the_care_team_still_edits_a_confidential_address(client, clinician, supervisor, person):
    services.care_team_assign(actor=supervisor, person=person, user=clinician)
    client.force_login(clinician)
    html = client.get(reverse("cases:person_update", args=[person.pk])).content.decode()
    assert "12 Hidden Lane" in html


def test_officer_does_not_see_restricted_flags_on_the_person_page(client, officer, clinician):
    someone = factories.person(
        first_name="Kai", last_name="Moreno", flags=["substance-use", "homeless"]
    )
    officer_html = page(client, officer, someone).content.decode()
    assert "Homeless" in officer_html
    assert "Substance use" not in officer_html
    assert "Substance use" in page(client, clinician, someone).content.decode()


def test_opening_a_person_is_access_logged(client, officer, person):
    page(client, officer, person)
    row = AccessLog.objects.get(action=AccessLog.Action.VIEW, user=officer)
    assert row.object_id == str(person.pk)
    assert row.content_type.model == "person"


def test_supervisors_see_the_audit_trail_and_officers_do_not(client, supervisor, officer, person):
    page(client, officer, person)
    html = page(client, supervisor, person).content.decode()
    assert "Audit trail" in html
    assert officer.display_name in html  # the officer's read is in the access log
    assert "Audit trail" not in page(client, officer, person).content.decode()


def test_relationships_read_both_ways(client, officer):
    mother = factories.person(first_name="Ana", last_name="Pereira")
    son = factories.person(first_name="Luis", last_name="Pereira", date_of_birth=date(2011, 5, 1))
    Relationship.objects.create(person=mother, relative=son, kind=Relationship.Kind.PARENT)
    assert "Parent: " not in page(client, officer, mother).content.decode()
    assert "Child: " in page(client, officer, mother).content.decode()
    assert "Parent: " in page(client, officer, son).content.decode()


def test_the_timeline_is_paginated(client, officer, person):
    for _ in range(23):
        factories.contact(author=officer, people=[person])
    first = page(client, officer, person).content.decode()
    assert first.count("border-start border-3") == 20
    second = page(client, officer, person, page=2).content.decode()
    assert second.count("border-start border-3") == 3


@pytest.mark.parametrize("contacts", [2, 30])
def test_the_person_page_runs_a_fixed_number_of_queries(
    contacts, client, supervisor, officer, person, django_assert_max_num_queries
):
    for _ in range(contacts):
        factories.contact(author=officer, people=[person])
    client.force_login(supervisor)
    url = reverse("cases:person_detail", args=[person.pk])
    # session + user + groups/permissions (4); person + other names (2); flags; care team;
    # relationships both ways; visible relatives; households; timeline count + page + flags;
    # access-log insert (+ content type); audit trail (3); savepoints around the log; the
    # user's units (cases are seen by unit) and the cases they could break the glass into (2).
    with django_assert_max_num_queries(28):
        assert client.get(url).status_code == 200


def test_a_merged_away_record_redirects_to_the_survivor(client, officer):
    survivor = factories.person(first_name="John", last_name="Smith")
    twin = factories.person(first_name="Jon", last_name="Smyth")
    twin.merged_into = survivor
    twin.save()
    response = page(client, officer, twin)
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:person_detail", args=[survivor.pk])


def test_html_in_a_name_is_shown_as_text(client, officer):
    someone = factories.person(first_name="<script>alert(1)</script>", last_name="Test")
    html = page(client, officer, someone).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# --- create, with the "same person?" question --------------------------------------------

NEW = {"first_name": "John", "last_name": "Smith", "date_of_birth": "2009-03-14", "gender": "male"}


def create(client, user, **data):
    client.force_login(user)
    return client.post(reverse("cases:person_create"), {**NEW, **data})


def test_a_new_person_without_lookalikes_is_created_directly(client, officer):
    response = create(client, officer)
    person = Person.objects.get(last_name="Smith")
    assert response["Location"] == reverse("cases:person_detail", args=[person.pk])
    assert person.created_by == officer


def test_a_lookalike_asks_same_person_before_saving(client, officer):
    existing = factories.person(
        first_name="Jon", last_name="Smyth", date_of_birth=date(2009, 3, 14)
    )
    response = create(client, officer, phone="617-555-0101")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Same person?" in html
    assert reverse("cases:person_detail", args=[existing.pk]) in html
    assert 'value="617-555-0101"' in html  # nothing typed is lost
    assert Person.objects.count() == 1


def test_confirming_a_new_person_despite_lookalikes_creates_it(client, officer):
    factories.person(first_name="Jon", last_name="Smyth", date_of_birth=date(2009, 3, 14))
    create(client, officer, confirm_new="on")
    assert Person.objects.count() == 2


def test_a_lookalike_with_a_different_birth_date_is_not_a_duplicate(client, officer):
    factories.person(first_name="John", last_name="Smith", date_of_birth=date(1970, 8, 2))
    response = create(client, officer)
    assert response.status_code == 302
    assert Person.objects.count() == 2


def test_a_future_birth_date_is_refused_on_the_form(client, officer):
    response = create(client, officer, date_of_birth="2099-01-01", school="Rindge")
    html = response.content.decode()
    assert "The date of birth cannot be in the future." in html
    assert 'value="Rindge"' in html
    assert "autofocus" in html
    assert not Person.objects.exists()


def test_an_approximate_age_is_stored_as_an_estimate(client, officer):
    create(client, officer, date_of_birth="", approximate_age="16")
    person = Person.objects.get()
    assert person.dob_approximate
    assert person.age in (15, 16)
    assert "about" in page(client, officer, person).content.decode()


def test_both_a_birth_date_and_an_age_is_refused(client, officer):
    response = create(client, officer, approximate_age="16")
    assert "not both" in response.content.decode()


def test_an_alias_given_on_create_is_searchable(client, officer):
    create(client, officer, alias_kind="nickname", alias_first_name="Smitty", alias_last_name="")
    assert "smitty" in Person.objects.get().search_names


def test_a_clinician_edits_a_person_and_the_history_keeps_the_old_value(client, clinician, person):
    client.force_login(clinician)
    url = reverse("cases:person_update", args=[person.pk])
    data = {"first_name": "Maria", "last_name": "Santos-Lima", "gender": "female"}
    assert client.post(url, data).status_code == 302
    person.refresh_from_db()
    assert person.last_name == "Santos-Lima"
    assert person.history.all()[1].last_name == "Santos"
    assert "santos lima" in person.search_names


def test_an_edit_by_someone_who_cannot_see_restricted_flags_keeps_them(supervisor, officer):
    someone = factories.person(first_name="Kai", last_name="Moreno", flags=["substance-use"])
    services.care_team_assign(actor=supervisor, person=someone, user=officer)
    services.person_update(actor=officer, person=someone, data={"phone": "1"}, flags=[])
    assert someone.flags.filter(code="substance-use").exists()


def test_an_htmx_timeline_page_is_only_the_fragment(client, officer, person):
    for _ in range(21):
        factories.contact(author=officer, people=[person])
    client.force_login(officer)
    url = reverse("cases:person_detail", args=[person.pk])
    response = client.get(url, {"page": 2}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="timeline">')
    assert "<html" not in html


def test_a_relationship_is_added_from_the_person_page_and_read_both_ways(client, officer, person):
    mother = factories.person(first_name="Rosa", last_name="Santos")
    client.force_login(officer)
    url = reverse("cases:relationship_add", args=[mother.pk])
    found = client.get(url, {"q": "Maria Santos"}).content.decode()
    assert f'name="relative" value="{person.pk}"' in found
    response = client.post(url, {"relative": person.pk, "kind": "parent", "same_household": "on"})
    assert response["Location"] == reverse("cases:person_detail", args=[mother.pk])
    assert "Child: " in page(client, officer, mother).content.decode()
    assert "Parent: " in page(client, officer, person).content.decode()
    assert mother.households.get().household == person.households.get().household


def test_a_person_cannot_be_their_own_relative(client, officer, person):
    client.force_login(officer)
    url = reverse("cases:relationship_add", args=[person.pk])
    response = client.post(url, {"relative": person.pk, "kind": "sibling"}, follow=True)
    assert "cannot be related to themselves" in response.content.decode()
    assert not Relationship.objects.exists()


def test_an_ended_relationship_leaves_the_page_and_stays_in_the_history(
    client, officer, relationship
):
    client.force_login(officer)
    client.post(reverse("cases:relationship_end", args=[relationship.pk]))
    relationship.refresh_from_db()
    assert relationship.active is False
    assert "Parent: " not in page(client, officer, relationship.relative).content.decode()
    assert relationship.history.count() == 2
