"""Who reads which note: each confidentiality level × each role, on the case page, the person
page, search results and the admin. Every rule is checked from the side that must not see.

Extra personas beside the standard ones: an officer on the case team (sees the case and its
general notes, never clinical or protected ones), a clinician of the case's own unit who is not
on the case (clinical yes, protected no: 42 CFR Part 2 limits it to the treating team) and an
intern not assigned to the case.
"""

import pytest
from django.urls import reverse

from accounts.roles import Role
from cases import casework
from tests.factories import UserFactory

TEXT = {
    "general": "CANARY-GENERAL-7f3a",
    "clinical": "CANARY-CLINICAL-91bd",
    "protected": "CANARY-PROTECTED-c24e",
}

# persona → the levels it reads on the case page (None: the case itself answers 404)
READS = {
    "officer": None,
    "officer_on_team": {"general"},
    "clinician": {"general", "clinical", "protected"},
    "clinician_same_unit": {"general", "clinical"},
    "clinician_other_unit": None,
    "intern": {"general", "clinical", "protected"},
    "intern_unassigned": None,
    "supervisor": {"general", "clinical", "protected"},
    "partner": None,
    "admin_user": None,
}


@pytest.fixture
def officer_on_team(case):
    user = UserFactory(username="p_officer_team", role=Role.OFFICER, units=("family-justice",))
    case.team.add(user)
    return user


@pytest.fixture
def clinician_same_unit(db):
    return UserFactory(username="p_clin_same", role=Role.CLINICIAN, units=("clinical-support",))


@pytest.fixture
def intern_unassigned(db, clinician):
    user = UserFactory(username="p_intern2", role=Role.INTERN, units=("clinical-support",))
    user.supervising_clinician = clinician
    user.save()
    return user


@pytest.fixture
def notes(case, clinician):
    return {
        level: casework.note_add(actor=clinician, case=case, level=level, text=text)
        for level, text in TEXT.items()
    }


@pytest.mark.parametrize("persona", sorted(READS))
def test_each_role_reads_only_its_note_levels_on_the_case_page(
    persona, request, client, case, notes
):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("cases:case_detail", args=[case.pk]))
    expected = READS[persona]
    if expected is None:
        assert response.status_code == 404
        return
    html = response.content.decode()
    for level, text in TEXT.items():
        assert (text in html) == (level in expected), f"{persona} / {level}"


@pytest.mark.parametrize("persona", sorted(READS))
def test_the_person_page_shows_only_readable_notes(persona, request, client, case, notes):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("cases:person_detail", args=[case.person.pk]))
    html = response.content.decode()
    expected = READS[persona] or set()
    for level, text in TEXT.items():
        assert (text in html) == (level in expected), f"{persona} / {level}"


@pytest.mark.parametrize("persona", sorted(READS))
def test_search_results_never_carry_note_text(persona, request, client, case, notes):
    client.force_login(request.getfixturevalue(persona))
    html = client.get(reverse("cases:person_search"), {"q": "Maria Santos"}).content.decode()
    for text in TEXT.values():
        assert text not in html


def test_the_admin_shows_no_note_anywhere(client, admin_user, case, notes):
    from django.contrib import admin

    client.force_login(admin_user)
    pages = [reverse("admin:index")] + [
        reverse(f"admin:{m._meta.app_label}_{m._meta.model_name}_changelist")
        for m in admin.site._registry
    ]
    for url in pages:
        html = client.get(url).content.decode()
        for text in TEXT.values():
            assert text not in html, url


def test_a_pending_intern_note_is_seen_only_by_its_author_and_cosigner(
    client, case, intern, clinician, supervisor, clinician_same_unit
):
    casework.note_add(actor=intern, case=case, level="general", text="CANARY-PENDING-55aa")
    url = reverse("cases:case_detail", args=[case.pk])
    for user, sees in (
        (intern, True),
        (clinician, True),
        (supervisor, False),
        (clinician_same_unit, False),
    ):
        client.force_login(user)
        assert ("CANARY-PENDING-55aa" in client.get(url).content.decode()) == sees, user


def test_reading_restricted_notes_is_access_logged_by_id(client, supervisor, case, notes):
    from audit.models import AccessLog

    client.force_login(supervisor)
    client.get(reverse("cases:case_detail", args=[case.pk]))
    row = AccessLog.objects.get(user=supervisor, object_id=str(case.pk))
    assert sorted(row.detail["restricted_notes"]) == sorted(
        [notes["clinical"].pk, notes["protected"].pk]
    )


def test_nobody_writes_a_note_at_a_level_they_cannot_read(case, clinician_same_unit):
    from cases.services import CasesError

    with pytest.raises(CasesError):
        casework.note_add(actor=clinician_same_unit, case=case, level="protected", text="x")
