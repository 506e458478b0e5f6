"""htmx works under the content security policy (issue 5): no violation is reported while an
officer searches, htmx injects no <style>, and a rate-limited search shows its message."""

import pytest

from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_searching_with_htmx_breaks_no_rule_of_the_policy(phone, settings):
    from playwright.sync_api import expect

    from tests.factories import person

    settings.CFSJ_SEARCH_RATE = "2/m"
    person(first_name="John", last_name="Smith")
    violations: list[str] = []
    phone.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    sign_in(phone, "officer", settings.CFSJ_DEMO_PASSWORD)
    phone.goto("/people/")
    phone.evaluate(
        "document.addEventListener('securitypolicyviolation',"
        " e => console.error('Content Security Policy: ' + e.violatedDirective))"
    )
    box = phone.get_by_label("Name, date of birth, age or phone")
    box.fill("Jon Smyth")
    assert phone.get_by_test_id("search-results").get_by_role("link").first.inner_text() == (
        "John Smith"
    )
    assert phone.evaluate("document.querySelectorAll('style').length") == 0

    box.fill("John Smith")
    phone.wait_for_url("**/people/?q=John*")
    box.fill("Smith")  # the third search in a minute, over the 2/m set above
    expect(phone.get_by_test_id("rate-limited")).to_be_visible()
    assert violations == []
