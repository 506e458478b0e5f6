import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.browser.conftest import serious_axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOMES = {
    "officer": "Officer — today",
    "clinician": "Clinician — today",
    "intern": "Clinical intern — today",
    "supervisor": "Supervisor — today",
    "partner": "Safety Net partner — today",
    "admin": "Administrator — today",
}


def test_each_demo_role_signs_in_on_a_phone_and_sees_its_home(phone):
    phone.goto("/accounts/login/")
    assert serious_axe_violations(phone) == []
    for username, heading in HOMES.items():
        sign_in(phone, username, settings.CFSJ_DEMO_PASSWORD)
        assert phone.get_by_test_id("home-heading").inner_text() == heading
        assert serious_axe_violations(phone) == [], username
        # The menu sits behind the toggler on a phone; sign out through it.
        phone.get_by_role("button", name="Show navigation").click()
        # Click only once Bootstrap's opening animation is over ("collapsing" → "show"): a
        # click on a moving button can land on nothing.
        expect(phone.locator("#main-nav")).to_have_class(re.compile(r"\bshow\b"))
        sign_out = phone.get_by_role("button", name="Sign out")
        expect(sign_out).to_be_visible()
        sign_out.click()
        expect(phone.get_by_role("heading", name="Sign in")).to_be_visible()


def test_five_wrong_passwords_show_the_lockout_message(phone):
    for _ in range(5):
        sign_in(phone, "officer", "not the password at all")
    message = phone.get_by_test_id("lockout-message")
    assert "locked for 30 minutes" in message.inner_text()
    assert serious_axe_violations(phone) == []
    sign_in(phone, "officer", settings.CFSJ_DEMO_PASSWORD)
    assert phone.get_by_test_id("lockout-message").is_visible()


def test_the_accessibility_check_does_report_a_broken_page(browser):
    # Proves the axe helper can fail: a form control without a label is a critical violation.
    context = browser.new_context()
    page = context.new_page()
    page.set_content('<html lang="en"><title>t</title><main><input type="text"></main></html>')
    try:
        assert any(v.startswith("label:") for v in serious_axe_violations(page))
    finally:
        context.close()
