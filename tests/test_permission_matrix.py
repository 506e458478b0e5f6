"""URL × persona → status, for every URL the resolver knows (STYLE.md habit 3).

A new URL without a row here fails ``test_every_url_has_a_row``. Rows state what each persona
gets *without following redirects*; ``LOGIN`` means "redirected to the sign-in page".
Record-level rows (a person, a case) arrive with their features and name the record to open.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils.http import urlencode

from cfsj.lib.urls import iter_url_names
from tests.conftest import PERSONAS

LOGIN = "login"
SIGNED_IN = tuple(p for p in PERSONAS if p != "anonymous")


def everyone(status) -> dict:
    return {persona: status for persona in PERSONAS}


def signed_in(status, anonymous=LOGIN, **overrides) -> dict:
    return {"anonymous": anonymous, **{p: status for p in SIGNED_IN}, **overrides}


@dataclass
class Row:
    expect: dict
    kwargs: Callable[[object], dict] = field(default=lambda request: {})
    method: str = "get"
    query: Callable[[object], dict] = field(default=lambda request: {})


def _person(request) -> dict:
    return {"pk": request.getfixturevalue("person").pk}


def _contact(request) -> dict:
    return {"pk": request.getfixturevalue("contact").pk}


def _fixture_pk(name: str) -> Callable[[object], dict]:
    return lambda request: {"pk": request.getfixturevalue(name).pk}


CASEWORKERS = {"clinician": 200, "clinician_other_unit": 200, "intern": 200, "supervisor": 200}
# On ``case``: the assigned clinician, the intern on its team, supervisors. Everyone else: 404.
ON_CASE = signed_in(404, clinician=200, intern=200, supervisor=200)
ON_CASE_POST = signed_in(404, clinician=302, intern=302, supervisor=302)


ROWS: dict[str, Row] = {
    "home": Row(signed_in(200)),
    "healthz": Row(everyone(200)),
    # --- people and contacts (issue 3). ``person`` has no care team; ``contact`` is the
    # officer's finished contact about them, logged an hour ago.
    "cases:person_search": Row(signed_in(200, partner=403, admin_user=403)),
    "cases:person_create": Row(signed_in(200, partner=403, admin_user=403)),
    "cases:contact_person_picker": Row(signed_in(200, partner=403, admin_user=403)),
    "cases:duplicate_candidates": Row(signed_in(403, supervisor=200)),
    "cases:person_merge": Row(signed_in(403, supervisor=200)),
    "cases:person_detail": Row(
        signed_in(200, intern=404, partner=404, admin_user=404), kwargs=_person
    ),
    "cases:person_update": Row(
        signed_in(200, officer=403, intern=404, partner=404, admin_user=404), kwargs=_person
    ),
    "cases:relationship_add": Row(
        signed_in(200, intern=404, partner=404, admin_user=404), kwargs=_person
    ),
    "cases:relationship_end": Row(
        signed_in(302, intern=404, partner=404, admin_user=404),
        kwargs=_fixture_pk("relationship"),
        method="post",
    ),
    "cases:contact_create": Row(signed_in(200, partner=403, admin_user=403)),
    "cases:contact_detail": Row(
        signed_in(200, intern=404, partner=404, admin_user=404), kwargs=_contact
    ),
    "cases:contact_update": Row(
        signed_in(403, officer=200, intern=404, partner=404, admin_user=404), kwargs=_contact
    ),
    # POST-only: an empty addendum or no flag is refused with a message and a redirect back.
    "cases:contact_addendum": Row(
        signed_in(302, intern=404, partner=404, admin_user=404), kwargs=_contact, method="post"
    ),
    "cases:contact_flags": Row(
        signed_in(302, intern=404, partner=404, admin_user=404), kwargs=_contact, method="post"
    ),
    # --- casework (issue 4). ``case`` is a Clinical Support case assigned to ``clinician``
    # with ``intern`` on its team; see tests/conftest.py for the other records.
    "cases:caseload": Row(signed_in(403, **CASEWORKERS)),
    "cases:case_list": Row(signed_in(403, **CASEWORKERS)),
    "cases:case_create": Row(signed_in(403, **CASEWORKERS)),
    "cases:case_detail": Row(ON_CASE, kwargs=_fixture_pk("case")),
    "cases:case_update": Row(ON_CASE, kwargs=_fixture_pk("case")),
    "cases:case_transfer": Row(ON_CASE, kwargs=_fixture_pk("case")),
    # POST-only rows: an empty form is refused with a message and a redirect back.
    "cases:case_transition": Row(ON_CASE_POST, kwargs=_fixture_pk("case"), method="post"),
    "cases:note_create": Row(ON_CASE_POST, kwargs=_fixture_pk("case"), method="post"),
    "cases:task_create": Row(ON_CASE_POST, kwargs=_fixture_pk("case"), method="post"),
    # A pending note: only its author (403: may not co-sign) and co-signer see it.
    "cases:note_cosign": Row(
        signed_in(404, clinician=302, intern=403), kwargs=_fixture_pk("pending_note"), method="post"
    ),
    "cases:task_done": Row(ON_CASE_POST, kwargs=_fixture_pk("task"), method="post"),
    # Consultations: the asking officer, the clinical unit's members and supervisors.
    "cases:consultation_queue": Row(signed_in(403, clinician=200, intern=200, supervisor=200)),
    # The person is fetched through the asker's visible people: an intern sees only theirs.
    "cases:consultation_create": Row(
        signed_in(200, intern=404, partner=403, admin_user=403),
        query=lambda r: {"person": r.getfixturevalue("person").pk},
    ),
    "cases:consultation_detail": Row(
        signed_in(404, officer=200, clinician=200, intern=200, supervisor=200),
        kwargs=_fixture_pk("consultation"),
    ),
    "cases:consultation_take": Row(
        signed_in(404, officer=403, clinician=302, intern=302, supervisor=302),
        kwargs=_fixture_pk("consultation"),
        method="post",
    ),
    "cases:consultation_answer": Row(
        signed_in(404, officer=403, clinician=302, intern=302, supervisor=302),
        kwargs=_fixture_pk("consultation"),
        method="post",
    ),
    "cases:consultation_open_case": Row(
        signed_in(404, officer=403, clinician=302, intern=302, supervisor=302),
        kwargs=_fixture_pk("consultation"),
        method="post",
    ),
    # Officers screen with the LAP on scene; anyone who finds people may start an assessment,
    # for a person they may see: ``person`` is on no care team, so the intern gets 404 (as on
    # person_detail). Without ``?person=`` the page answers 200 with a link to person search.
    "cases:assessment_create": Row(
        signed_in(200, intern=404, partner=403, admin_user=403),
        kwargs=lambda r: {"code": "lap"},
        query=lambda r: {"person": r.getfixturevalue("person").pk},
    ),
    "cases:assessment_detail": Row(ON_CASE, kwargs=_fixture_pk("assessment")),
    "cases:case_print": Row(ON_CASE, kwargs=_fixture_pk("case")),
    # --- allauth: sign-in, password, e-mail. Sign-up and sign-in by code are switched off.
    "account_login": Row(signed_in(302, anonymous=200)),
    "account_logout": Row(signed_in(200, anonymous=302)),
    "account_change_password": Row(signed_in(200)),
    "account_set_password": Row(signed_in(302)),
    "account_email": Row(signed_in(200)),
    "account_signup": Row(signed_in(302, anonymous=200)),
    "account_inactive": Row(everyone(200)),
    "account_email_verification_sent": Row(everyone(200)),
    "account_confirm_email": Row(everyone(200), kwargs=lambda r: {"key": "not-a-real-key"}),
    "account_reset_password": Row(everyone(200)),
    "account_reset_password_done": Row(everyone(200)),
    "account_reset_password_from_key": Row(
        everyone(200), kwargs=lambda r: {"uidb36": "zz", "key": "not-a-real-key"}
    ),
    "account_reset_password_from_key_done": Row(everyone(200)),
    "account_reauthenticate": Row(signed_in(200)),
    # Sign-in and re-authentication by e-mailed code are off: these only redirect away.
    "account_confirm_login_code": Row(signed_in(302)),
    "account_confirm_reauthentication_code": Row(signed_in(302)),
    "account_request_reauthentication_code": Row(signed_in(302)),
    # --- MFA and user sessions (issue 5)
    # Every persona has a TOTP authenticator (tests/factories.py) and was signed in by
    # force_login, so nothing counts as a recent re-authentication: the pages that change the
    # second factor first send to the code or password prompt (302).
    "account_security": Row(signed_in(200)),
    "usersessions_list": Row(signed_in(200)),
    "mfa_index": Row(signed_in(200)),
    "mfa_reauthenticate": Row(signed_in(200)),
    # Only between password and code at sign-in; anyone else is sent back to the sign-in page.
    "mfa_authenticate": Row(signed_in(302, anonymous=302)),
    "mfa_activate_totp": Row(signed_in(302)),
    "mfa_deactivate_totp": Row(signed_in(302)),
    "mfa_view_recovery_codes": Row(signed_in(302)),
    "mfa_generate_recovery_codes": Row(signed_in(302)),
    "mfa_download_recovery_codes": Row(signed_in(302)),
    # --- end MFA and user sessions
    # --- audit review and account inactivity (issue 5)
    # Supervisors only; administrators too get 403 (separation of duties). 2024-01-01 is an
    # ended week (a Monday); the acknowledgement redirects back to it.
    "audit:person_accesses": Row(signed_in(403, supervisor=200), kwargs=_person),
    "audit:user_list": Row(signed_in(403, supervisor=200)),
    "audit:user_activity": Row(signed_in(403, supervisor=200), kwargs=_fixture_pk("officer")),
    "audit:user_export": Row(signed_in(403, supervisor=200), kwargs=_fixture_pk("officer")),
    "audit:unusual": Row(signed_in(403, supervisor=200)),
    "audit:review_list": Row(signed_in(403, supervisor=200)),
    "audit:review_detail": Row(
        signed_in(403, supervisor=200), kwargs=lambda r: {"week": "2024-01-01"}
    ),
    "audit:review_acknowledge": Row(
        signed_in(403, supervisor=302), kwargs=lambda r: {"week": "2024-01-01"}, method="post"
    ),
    "accounts:disabled_accounts": Row(signed_in(403, supervisor=200)),
    "accounts:account_enable": Row(
        signed_in(403, supervisor=302), kwargs=_fixture_pk("disabled_account"), method="post"
    ),
    # /audit/ redirects to the reviews, which decide who gets in.
    "audit:index": Row(everyone(302)),
    # --- end audit review and account inactivity
    # --- break-the-glass (issue 5)
    # Only a clinician or supervisor outside ``case`` gets the page; whoever sees the case
    # already (its clinician, the intern on its team, the supervisor of its units) is sent to
    # it; everyone else gets 404, as on the case.
    "cases:case_break_glass": Row(
        signed_in(404, clinician=302, clinician_other_unit=200, intern=302, supervisor=302),
        kwargs=_fixture_pk("case"),
    ),
    # --- end break-the-glass
}

# The admin: one rule for all of its URLs, tried on the index and on every registered model's
# list and add pages. Only the administrator role gets in; anyone else is sent to the admin's
# login, which signs the anonymous in through allauth and refuses the signed-in with 403.
ADMIN_EXPECT = signed_in(302, anonymous=302, admin_user=200)


def _admin_urls() -> list[str]:
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        opts = model._meta
        urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    return urls


def test_every_url_has_a_row():
    names = set(iter_url_names())
    missing = sorted(n for n in names if not n.startswith("admin:") and n not in ROWS)
    stale = sorted(set(ROWS) - names)
    assert missing == [], f"URLs without a permission-matrix row: {missing}"
    assert stale == [], f"Rows for URLs that no longer exist: {stale}"


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(ROWS))
def test_url_answers_each_persona_as_the_matrix_says(name, persona, as_persona, request):
    row = ROWS[name]
    client = as_persona(persona)
    url = reverse(name, kwargs=row.kwargs(request))
    query = row.query(request)
    if query:
        url = f"{url}?{urlencode(query)}"
    response = getattr(client, row.method)(url)
    expected = row.expect[persona]
    if expected == LOGIN:
        assert response.status_code == 302, f"{name} as {persona}"
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == expected, f"{name} as {persona}"


@pytest.mark.parametrize("persona", PERSONAS)
def test_admin_opens_only_for_administrators(persona, as_persona):
    client = as_persona(persona)
    for url in _admin_urls():
        response = client.get(url)
        assert response.status_code == ADMIN_EXPECT[persona], f"{url} as {persona}"


@pytest.mark.parametrize("persona", [p for p in SIGNED_IN if p != "admin_user"])
def test_admin_login_refuses_a_signed_in_non_administrator(persona, as_persona):
    response = as_persona(persona).get(reverse("admin:login"))
    assert response.status_code == 403


def test_admin_login_sends_the_anonymous_to_the_one_sign_in_page(client):
    response = client.get(reverse("admin:login") + "?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
