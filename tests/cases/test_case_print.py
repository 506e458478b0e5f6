"""The printed case summary (issue 5: prints are logged; PDF rendering fetches nothing but our
static files): what it holds is what the printing user may read, and nothing more."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from audit.models import AccessLog
from cases import breakglass, casework
from tests.conftest import require_pdf_renderer
from tests.factories import UserFactory

CLINICAL = "Disclosed panic attacks before school; plan agreed with the family."
PROTECTED = "Attends the methadone programme on Tuesdays."


@pytest.fixture
def notes(case, clinician):
    return [
        casework.note_add(actor=clinician, case=case, level="clinical", text=CLINICAL),
        casework.note_add(actor=clinician, case=case, level="protected", text=PROTECTED),
    ]


def print_url(case, **query) -> str:
    url = reverse("cases:case_print", args=[case.pk])
    return f"{url}?format=pdf" if query.get("pdf") else url


def last_print():
    return AccessLog.objects.filter(action=AccessLog.Action.PRINT).order_by("-id").first()


def test_the_assigned_clinician_prints_the_notes_and_the_print_is_logged(
    case, notes, clinician, as_persona
):
    html = as_persona("clinician").get(print_url(case)).content.decode()
    assert CLINICAL in html and PROTECTED in html
    row = last_print()
    assert (row.user, row.object_id, row.detail["format"]) == (clinician, str(case.pk), "html")
    assert sorted(row.detail["restricted_notes"]) == sorted(note.pk for note in notes)


def test_a_clinician_of_the_unit_not_on_the_case_prints_no_protected_note(case, notes):
    colleague = UserFactory(
        username="p_colleague", role=Role.CLINICIAN, units=("clinical-support",)
    )
    client = Client()
    client.force_login(colleague)
    html = client.get(print_url(case)).content.decode()
    assert CLINICAL in html
    assert PROTECTED not in html


def test_the_pdf_is_the_same_summary_and_fetches_only_our_stylesheet(
    case, notes, as_persona, monkeypatch
):
    pdf = require_pdf_renderer()
    fetched: list[str] = []
    original = pdf.StaticOnlyFetcher.fetch

    def spy(self, url, headers=None):
        fetched.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(pdf.StaticOnlyFetcher, "fetch", spy)
    rendered: list[str] = []
    real_render = pdf.render_pdf

    def capture(html: str) -> bytes:
        rendered.append(html)
        return real_render(html)

    monkeypatch.setattr("cfsj.lib.pdf.render_pdf", capture)
    response = as_persona("clinician").get(print_url(case, pdf=True))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="case-{case.pk}.pdf"'
    assert response.content.startswith(b"%PDF")
    assert CLINICAL in rendered[0]
    assert "Download as PDF" not in rendered[0]
    assert [url.rsplit("/", 1)[-1] for url in fetched] == ["print.css"]
    assert last_print().detail["format"] == "pdf"


def test_an_officer_cannot_print_a_case_he_cannot_see(case, as_persona):
    assert as_persona("officer").get(print_url(case)).status_code == 404
    assert last_print() is None


def test_a_break_the_glass_grant_reads_but_does_not_print(case, clinician_other_unit, as_persona):
    breakglass.break_glass(
        user=clinician_other_unit,
        case=case,
        reason="Person in crisis at the station, need the safety plan now.",
        request=None,
    )
    client = as_persona("clinician_other_unit")
    assert client.get(reverse("cases:case_detail", args=[case.pk])).status_code == 200
    assert client.get(print_url(case)).status_code == 403
    assert last_print() is None


def test_the_eleventh_print_in_an_hour_is_refused_and_audited(case, as_persona, settings):
    settings.CFSJ_EXPORT_RATE = "10/h"
    client = as_persona("clinician")
    answers = [client.get(print_url(case)).status_code for _ in range(11)]
    assert answers == [200] * 10 + [429]
    denied = AccessLog.objects.filter(action=AccessLog.Action.DENIED).order_by("-id").first()
    assert denied.detail == {"rate_limited": "export"}
