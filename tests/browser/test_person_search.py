import pytest
from django.conf import settings

from tests.browser.conftest import serious_axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NARROW_PHONE = {"width": 360, "height": 740}


@pytest.fixture
def narrow_phone(browser, demo_site):
    context = browser.new_context(viewport=NARROW_PHONE, base_url=demo_site.url, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_an_officer_finds_a_person_as_they_type_on_a_narrow_phone(narrow_phone):
    from tests.factories import person

    person(first_name="Johnathan-Christopher", last_name="Smith-Worthington-Fairweather")
    person(first_name="John", last_name="Smith", flags=["juvenile"])
    sign_in(narrow_phone, "officer", settings.CFSJ_DEMO_PASSWORD)
    narrow_phone.goto("/people/")
    assert serious_axe_violations(narrow_phone) == []
    assert fits_the_screen(narrow_phone)

    narrow_phone.get_by_label("Name, date of birth, age or phone").fill("Jon Smyth")
    result = narrow_phone.get_by_test_id("search-results").get_by_role("link").first
    assert result.inner_text() == "John Smith"  # htmx swapped the results in, no page load
    assert "q=Jon+Smyth" in narrow_phone.url or "q=Jon%20Smyth" in narrow_phone.url
    assert serious_axe_violations(narrow_phone) == []
    assert fits_the_screen(narrow_phone)

    narrow_phone.get_by_label("Name, date of birth, age or phone").fill("Smith Worthington")
    long_name = narrow_phone.get_by_role("link", name="Johnathan-Christopher")
    assert long_name.is_visible()
    assert fits_the_screen(narrow_phone)
