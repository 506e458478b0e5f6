from datetime import date

import pytest
from django.conf import settings

from cases.models import Contact
from tests import factories
from tests.browser.conftest import serious_axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_on_a_phone_finds_a_person_and_logs_a_contact(phone, django_user_model):
    person = factories.person(
        first_name="John",
        last_name="Smith",
        date_of_birth=date(2009, 3, 14),
        safety_notes="Dog at the address.",
    )
    factories.person(first_name="Joan", last_name="Smithers", date_of_birth=date(1980, 1, 2))
    sign_in(phone, "officer", settings.CFSJ_DEMO_PASSWORD)

    phone.get_by_role("link", name="Find a person").click()
    assert serious_axe_violations(phone) == []
    phone.get_by_label("Name, date of birth, age or phone").fill("Jon Smyth")  # typos in both names
    result = phone.get_by_role("link", name="John Smith")
    result.wait_for()
    assert serious_axe_violations(phone) == []
    result.click()

    assert phone.get_by_role("heading", name="John Smith").is_visible()
    assert "Dog at the address." in phone.content()
    assert serious_axe_violations(phone) == []
    phone.get_by_role("link", name="Log a contact").click()

    assert phone.get_by_test_id("picked-person").inner_text().startswith("John Smith")
    phone.get_by_label("Contact type").select_option(label="Welfare check")
    phone.get_by_label("Disposition").select_option(label="Information given")
    phone.get_by_label("Narrative").fill("Checked in after school; all well.")
    assert serious_axe_violations(phone) == []
    phone.get_by_role("button", name="Save contact").click()

    assert "Contact saved." in phone.content()
    assert serious_axe_violations(phone) == []
    contact = Contact.objects.get()
    assert contact.author == django_user_model.objects.get(username="officer")
    assert [link.person_id for link in contact.participants.all()] == [person.pk]


def test_an_officer_adds_a_person_from_the_inline_search_and_an_error_keeps_the_form(phone):
    factories.person(first_name="Marisol", last_name="Núñez", date_of_birth=date(2008, 7, 9))
    sign_in(phone, "officer", settings.CFSJ_DEMO_PASSWORD)
    phone.goto("/contacts/new/")
    phone.get_by_label("Narrative").fill("Met at the library.")
    phone.get_by_role("button", name="Save contact").click()  # no person yet
    assert "Add at least one person" in phone.content()
    assert phone.get_by_label("Narrative").input_value() == "Met at the library."
    assert serious_axe_violations(phone) == []

    phone.get_by_label("Find a person to add").fill("marisol nunez")
    phone.get_by_role("button", name="Add Marisol Núñez to the contact").click()
    phone.get_by_test_id("picked-person").wait_for()
    phone.get_by_label("Contact type").select_option(label="Outreach")
    phone.get_by_label("Disposition").select_option(label="No action")
    phone.get_by_role("button", name="Save contact").click()
    assert "Contact saved." in phone.content()
    assert Contact.objects.get().narrative == "Met at the library."
