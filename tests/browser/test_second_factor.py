"""Enrolling a second factor on a phone (issue 5): a user without one is led from sign-in to the
authenticator set-up, scans (here: types) the key, and lands on the recovery codes."""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.browser.conftest import serious_axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_user_without_a_second_factor_enrols_on_a_phone_and_reaches_home(phone):
    from allauth.mfa.models import Authenticator

    from tests.factories import totp_code

    Authenticator.objects.filter(user__username="intern").delete()
    violations: list[str] = []
    phone.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    sign_in(phone, "intern", settings.CFSJ_DEMO_PASSWORD)

    # Wherever they go, the password is asked again, then the set-up page.
    expect(phone.get_by_role("heading", name="Confirm it is you")).to_be_visible()
    assert serious_axe_violations(phone) == []
    phone.get_by_label("Password").fill(settings.CFSJ_DEMO_PASSWORD)
    phone.get_by_role("button", name="Confirm").click()

    expect(phone.get_by_role("heading", name="Set up an authenticator app")).to_be_visible()
    assert phone.get_by_test_id("totp-qr").evaluate("img => img.naturalWidth") > 0
    assert serious_axe_violations(phone) == []
    secret = phone.get_by_test_id("totp-secret").inner_text().strip()
    phone.get_by_label("Authenticator code").fill(totp_code(secret))
    phone.get_by_role("button", name="Confirm").click()

    expect(phone.get_by_role("heading", name="Recovery codes")).to_be_visible()
    assert phone.get_by_test_id("recovery-codes").get_by_role("listitem").count() == 10
    assert serious_axe_violations(phone) == []
    phone.get_by_role("link", name="Done").click()
    expect(phone.get_by_test_id("home-heading")).to_have_text("Clinical intern — today")
    assert violations == []
