from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessLog
from cases.models import Contact, ContactType, Disposition, PopulationFlag
from tests import factories

NEW = reverse("cases:contact_create")


def form_data(person, **overrides):
    data = {
        "submission_key": "6f1c7d1e-2b8a-4c1e-9d6e-0d7f6f9a1b2c",
        "people": [person.pk],
        "occurred_at": (timezone.localtime() - timedelta(minutes=10)).strftime("%Y-%m-%dT%H:%M"),
        "location": "Central Square",
        "contact_type": ContactType.objects.get(code="welfare-check").pk,
        "disposition": Disposition.objects.get(code="referral").pk,
        "narrative": "Checked on her at the shelter; she accepted a referral.",
        "incident_number": "26-004512",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def test_an_officer_logs_a_contact(officer_client, officer, person):
    response = officer_client.post(
        NEW, form_data(person, flags=[PopulationFlag.objects.get(code="homeless").pk])
    )
    contact = Contact.objects.get()
    assert response["Location"] == reverse("cases:contact_detail", args=[contact.pk])
    assert contact.status == Contact.Status.FINAL
    assert contact.author == officer
    assert [link.person for link in contact.participants.all()] == [person]
    assert contact.flags.filter(code="homeless").exists()
    assert contact.history.count() >= 1


def test_the_form_opens_with_now_and_a_person_from_the_person_page(officer_client, person):
    html = officer_client.get(NEW, {"person": person.pk}).content.decode()
    assert timezone.localtime().strftime("%Y-%m-%dT") in html
    assert f'name="people" value="{person.pk}"' in html


def test_a_contact_without_a_person_is_refused_and_keeps_what_was_typed(officer_client, person):
    response = officer_client.post(NEW, form_data(person, people=None))
    html = response.content.decode()
    assert "Add at least one person" in html
    assert "Checked on her at the shelter" in html
    assert 'value="26-004512"' in html
    assert 'href="#id_people"' in html  # the error summary points at the field
    assert not Contact.objects.exists()


def test_a_contact_in_the_future_is_refused(officer_client, person):
    later = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    html = officer_client.post(NEW, form_data(person, occurred_at=later)).content.decode()
    assert "cannot be in the future" in html
    assert not Contact.objects.exists()


def test_a_person_born_after_the_contact_is_refused(officer_client):
    baby = factories.person(first_name="Nia", last_name="Ortiz", date_of_birth=date(2025, 6, 1))
    html = officer_client.post(
        NEW, form_data(baby, occurred_at="2025-01-10T10:00")
    ).content.decode()
    assert "was born after the contact" in html
    assert not Contact.objects.exists()


def test_an_oversized_narrative_is_refused_with_the_limit(officer_client, person):
    html = officer_client.post(NEW, form_data(person, narrative="x" * 10_001)).content.decode()
    assert "at most 10000 characters" in html
    assert "x" * 10_001 in html  # kept, so the officer can shorten it
    assert not Contact.objects.exists()


def test_html_in_a_narrative_is_stored_as_text_and_shown_escaped(officer_client, person):
    officer_client.post(NEW, form_data(person, narrative="<img src=x onerror=alert(1)>"))
    contact = Contact.objects.get()
    assert contact.narrative == "<img src=x onerror=alert(1)>"
    html = officer_client.get(reverse("cases:contact_detail", args=[contact.pk])).content.decode()
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_a_double_submitted_form_makes_one_contact(officer_client, person):
    first = officer_client.post(NEW, form_data(person))
    second = officer_client.post(NEW, form_data(person))
    assert Contact.objects.count() == 1
    assert second["Location"] == first["Location"]


def test_an_unknown_person_id_is_an_error_on_the_form(officer_client, person):
    html = officer_client.post(NEW, form_data(person, people=[999_999])).content.decode()
    assert "Select a valid choice" in html
    assert not Contact.objects.exists()


def test_a_person_the_user_may_not_see_cannot_be_added(client, intern, person):
    client.force_login(intern)
    client.post(NEW, form_data(person))
    assert not Contact.objects.exists()
    assert client.get(NEW, {"person": person.pk}).status_code == 404


def test_a_draft_needs_only_a_person_and_is_seen_only_by_its_author(
    officer_client, person, client, clinician
):
    data = form_data(person, contact_type="", disposition="", narrative="", save_draft="1")
    response = officer_client.post(NEW, data)
    assert response["Location"] == reverse("home")
    draft = Contact.objects.get()
    assert draft.status == Contact.Status.DRAFT
    home = officer_client.get(reverse("home")).content.decode()
    assert reverse("cases:contact_update", args=[draft.pk]) in home  # "my drafts" on the home
    client.force_login(clinician)
    assert client.get(reverse("cases:contact_detail", args=[draft.pk])).status_code == 404


def test_finishing_a_contact_needs_a_type_and_a_disposition(officer_client, person):
    html = officer_client.post(NEW, form_data(person, disposition="")).content.decode()
    assert "needs a contact type and a disposition" in html
    assert not Contact.objects.exists()


def test_a_draft_is_finished_later(officer_client, officer, person):
    draft = factories.contact(author=officer, people=[person], finish=False)
    url = reverse("cases:contact_update", args=[draft.pk])
    data = form_data(person, submission_key=str(draft.submission_key))
    assert officer_client.post(url, data).status_code == 302
    draft.refresh_from_db()
    assert draft.status == Contact.Status.FINAL


def test_saving_a_draft_to_add_a_new_person_comes_back_with_the_person(officer_client, person):
    response = officer_client.post(NEW, form_data(person, save_draft_add_person="1"))
    draft = Contact.objects.get()
    assert draft.status == Contact.Status.DRAFT
    back = reverse("cases:contact_update", args=[draft.pk])
    assert response["Location"].startswith(reverse("cases:person_create"))
    created = officer_client.post(
        response["Location"], {"first_name": "Tomas", "last_name": "Reyes", "gender": "male"}
    )
    assert created["Location"].startswith(back + "?person=")
    html = officer_client.get(created["Location"]).content.decode()
    assert "Tomas Reyes" in html
    assert "Checked on her at the shelter" in html


# --- the edit window and addenda -----------------------------------------------------------


def test_the_author_edits_a_contact_within_24_hours(client, officer, person, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    contact = factories.contact(author=officer, people=[person])
    client.force_login(officer)
    url = reverse("cases:contact_update", args=[contact.pk])
    time_machine.shift(timedelta(hours=23))
    client.force_login(officer)  # (the session itself ended after 30 idle minutes)
    assert client.get(url).status_code == 200
    time_machine.shift(timedelta(hours=2))
    client.force_login(officer)
    assert client.get(url).status_code == 403
    data = form_data(person, submission_key=str(contact.submission_key), narrative="rewritten")
    assert client.post(url, data).status_code == 403
    contact.refresh_from_db()
    assert contact.narrative != "rewritten"


def test_another_officer_cannot_edit_a_contact(client, contact):
    other = factories.UserFactory(role="officer")
    client.force_login(other)
    assert client.get(reverse("cases:contact_update", args=[contact.pk])).status_code == 403


def test_later_corrections_are_addenda(client, officer, contact, time_machine):
    time_machine.move_to(timezone.now() + timedelta(days=3), tick=False)
    client.force_login(officer)
    url = reverse("cases:contact_addendum", args=[contact.pk])
    client.post(url, {"text": "Correction: the location was Porter Square."})
    html = client.get(reverse("cases:contact_detail", args=[contact.pk])).content.decode()
    assert "Correction: the location was Porter Square." in html
    assert contact.narrative in html  # the original stands


def test_an_empty_addendum_is_refused_with_a_message(client, officer, contact):
    client.force_login(officer)
    response = client.post(
        reverse("cases:contact_addendum", args=[contact.pk]), {"text": ""}, follow=True
    )
    assert "The addendum is empty" in response.content.decode()
    assert not contact.addenda.exists()


def test_flags_are_added_after_the_fact(client, clinician, contact):
    client.force_login(clinician)
    flag = PopulationFlag.objects.get(code="mental-health")
    client.post(reverse("cases:contact_flags", args=[contact.pk]), {"flags": [flag.pk]})
    assert contact.flags.filter(pk=flag.pk).exists()


def test_opening_a_contact_is_access_logged(client, clinician, contact):
    client.force_login(clinician)
    client.get(reverse("cases:contact_detail", args=[contact.pk]))
    assert AccessLog.objects.filter(
        user=clinician, action=AccessLog.Action.VIEW, object_id=str(contact.pk)
    ).exists()


def test_an_unknown_contact_is_404(officer_client):
    assert officer_client.get(reverse("cases:contact_detail", args=[987654])).status_code == 404


@pytest.mark.parametrize("addenda", [1, 12])
def test_the_contact_page_runs_a_fixed_number_of_queries(
    addenda, client, officer, contact, django_assert_max_num_queries
):
    for n in range(addenda):
        contact.addenda.create(author=officer, text=f"note {n}")
    client.force_login(officer)
    # session + user + groups/permissions; contact with type/disposition/author; flags;
    # addenda with authors; participants with people; visible-people check; access-log insert;
    # the forms' flag choices.
    with django_assert_max_num_queries(18):
        client.get(reverse("cases:contact_detail", args=[contact.pk]))
