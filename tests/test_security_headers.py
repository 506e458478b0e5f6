"""Response headers on every page (issue 5): the content security policy, no-store on signed-in
pages, nosniff, the referrer policy and frame denial. Django's deploy check does not look at the
CSP, so this test does, on every GET URL of the permission matrix as a persona that opens it."""

import re

import pytest
from django.urls import reverse
from django.utils.http import urlencode

from tests.test_permission_matrix import ROWS
from tests.test_settings import PRODUCTION, run

CSP_DIRECTIVES = {
    "default-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def _opener(row) -> str:
    """A persona that gets the page itself (200), preferring a signed-in one."""
    openers = [p for p, status in row.expect.items() if status == 200]
    signed_in = [p for p in openers if p != "anonymous"]
    return (signed_in or openers)[0]


GET_PAGES = sorted(
    (name, _opener(row))
    for name, row in ROWS.items()
    if row.method == "get" and any(status == 200 for status in row.expect.values())
)


def _directives(header: str) -> dict[str, str]:
    parts = (part.strip().split(None, 1) for part in header.split(";") if part.strip())
    return {part[0]: part[1] if len(part) > 1 else "" for part in parts}


def test_the_matrix_gives_this_test_pages_to_open():
    assert len(GET_PAGES) > 30


@pytest.mark.parametrize(("name", "persona"), GET_PAGES)
def test_every_page_sends_the_security_headers(name, persona, as_persona, request):
    row = ROWS[name]
    url = reverse(name, kwargs=row.kwargs(request))
    if query := row.query(request):
        url = f"{url}?{urlencode(query)}"
    response = as_persona(persona).get(url)
    assert response.status_code == 200, f"{name} as {persona}"

    csp = _directives(response["Content-Security-Policy"])
    for directive, sources in CSP_DIRECTIVES.items():
        assert csp.get(directive) == sources, f"{name}: {directive} is {csp.get(directive)!r}"
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    if persona != "anonymous":
        assert "no-store" in response["Cache-Control"], f"{name} as {persona}"

    if response["Content-Type"].startswith("text/html"):
        page = response.content.decode()
        inline_scripts = [
            tag
            for tag in re.findall(r"<script\b[^>]*>", page, flags=re.IGNORECASE)
            if "src=" not in tag and "nonce=" not in tag
        ]
        assert inline_scripts == [], f"{name}: inline scripts without a nonce"
        assert not re.search(r"<style\b", page, flags=re.IGNORECASE), f"{name}: a <style> block"
        assert not re.search(r"\sstyle\s*=", page, flags=re.IGNORECASE), f"{name}: style="
        assert not re.search(r"\shx-on[:-]", page), f"{name}: hx-on needs eval"


def test_the_htmx_config_is_read_before_htmx_could_inject_a_style(client, officer):
    client.force_login(officer)
    page = client.get(reverse("home")).content.decode()
    assert (
        '<meta name="htmx-config" content=\'{"includeIndicatorStyles":false,"allowEval":false}\'>'
        in page
    )
    assert page.index('name="htmx-config"') < page.index("htmx.min.js")


def test_a_signed_in_page_that_sets_its_own_caching_still_gets_no_store(client, officer):
    client.force_login(officer)
    response = client.get(reverse("healthz"))  # never_cache: max-age=0, no-cache, no-store
    assert "no-store" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


_COOKIES = (
    "from django.conf import settings as s; "
    "print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_SECURE, "
    "s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.CSRF_COOKIE_HTTPONLY, "
    "s.SESSION_COOKIE_SAMESITE, s.SESSION_COOKIE_PATH, s.CSRF_COOKIE_PATH, "
    "s.SESSION_COOKIE_DOMAIN, s.CSRF_COOKIE_DOMAIN)"
)


def test_https_deployments_use_host_prefixed_secure_http_only_cookies():
    result = run("shell", "--no-imports", "-c", _COOKIES, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "__Host-sessionid",
        "__Host-csrftoken",
        "True",
        "True",
        "True",
        "True",
        "Lax",
        "/",
        "/",
        "None",
        "None",
    ]


def test_plain_http_keeps_the_ordinary_cookie_names():
    # A __Host- cookie without Secure is refused by browsers: the local trial would break.
    result = run("shell", "--no-imports", "-c", _COOKIES, **{**PRODUCTION, "CFSJ_HTTPS": "false"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[:3] == ["sessionid", "csrftoken", "False"]


def test_a_malformed_search_rate_stops_the_process():
    result = run("check", **{**PRODUCTION, "CFSJ_SEARCH_RATE": "thirty a minute"})
    assert result.returncode != 0
    assert "CFSJ_SEARCH_RATE" in result.stderr
