"""Browser tests: Playwright drives Debian's chromium (never a downloaded browser) against a live
server, and axe-core checks each page. Without /usr/bin/chromium they skip locally and fail in CI.
"""

import os
from collections.abc import Iterator

import pytest

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse the ORM
# calls the tests make around it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE = {"width": 390, "height": 844}
# The demo users' authenticator secret in browser tests. seed_demo gives them none (a secret made
# there would be a default credential); demo_site gives them this one.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
SERIOUS = {"serious", "critical"}


@pytest.fixture(scope="session")
def browser() -> Iterator:
    if not os.path.exists(CHROMIUM):
        message = f"{CHROMIUM} is missing: apt-get install chromium"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def demo_site(live_server, transactional_db):
    """A live server with the reference data and the demo users (not the whole demo city: each
    browser test makes what it needs). This also restores the roles and units that an earlier
    transactional test's flush removed; pytest-django orders transactional tests last, so no
    ordinary test runs on a flushed database."""
    from django.apps import apps

    from accounts.demo import create_demo_users
    from accounts.reference import sync_roles_and_reference_data
    from cases.reference import sync_all
    from tests.factories import give_second_factor

    sync_roles_and_reference_data(apps)
    sync_all(apps)
    users = create_demo_users()
    give_second_factor(users.values(), secret=TOTP_SECRET)
    return live_server


@pytest.fixture
def phone(browser, demo_site):
    context = browser.new_context(viewport=PHONE, base_url=demo_site.url, locale="en-US")
    page = context.new_page()
    # Generous: CI runs two test workers beside the live servers on two cores.
    page.set_default_timeout(20_000)
    expect_timeout(20_000)
    yield page
    context.close()


def expect_timeout(milliseconds: int) -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=milliseconds)


def sign_in(page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_label("I have read the notice above and accept its conditions.").check()
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    if "/accounts/2fa/authenticate/" in page.url:
        from tests.factories import totp_code

        page.get_by_label("Code").fill(totp_code(TOTP_SECRET))
        page.get_by_role("button", name="Sign in").click()


def serious_axe_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{violation['id']}: {violation['help']} ({len(violation['nodes'])} nodes)"
        for violation in results.response["violations"]
        if violation.get("impact") in SERIOUS
    ]
