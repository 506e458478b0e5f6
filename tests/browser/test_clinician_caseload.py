from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Unit, User
from cases import casework
from cases.models import CaseType, Note, Task
from tests import factories
from tests.browser.conftest import serious_axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_clinician_opens_the_caseload_writes_a_note_and_completes_a_task(phone):
    clinician = User.objects.get(username="clinician")
    supervisor = User.objects.get(username="supervisor")
    person = factories.person(first_name="Keisha", last_name="Joseph")
    case = casework.case_open(
        actor=supervisor,
        unit=Unit.objects.get(code="clinical-support"),
        case_type=CaseType.objects.get(code="mental-health"),
        reason="Referred after a crisis call.",
        person=person,
        assigned_to=clinician,
        risk="high",
    )
    task = Task.objects.create(
        title="Call her mother back",
        due_on=timezone.localdate() - timedelta(days=1),
        assignee=clinician,
        case=case,
        created_by=supervisor,
    )
    sign_in(phone, "clinician", settings.CFSJ_DEMO_PASSWORD)

    phone.goto("/caseload/")
    assert serious_axe_violations(phone) == []
    phone.get_by_role("link", name="Keisha Joseph").first.click()
    expect(phone.get_by_role("heading", name=f"Mental health · #{case.pk}")).to_be_visible()
    assert serious_axe_violations(phone) == []

    phone.get_by_label("Confidentiality").select_option(value="clinical")
    phone.locator("#id_text").fill("Safety plan reviewed with Keisha and her mother.")
    phone.get_by_role("button", name="Save note").click()
    expect(phone.get_by_text("Note signed and saved.")).to_be_visible()
    expect(phone.get_by_text("Safety plan reviewed with Keisha and her mother.")).to_be_visible()

    task_row = phone.get_by_test_id(f"task-{task.pk}")
    task_row.get_by_role("button", name="Done").click()
    expect(
        phone.get_by_test_id(f"task-{task.pk}").get_by_role("button", name="Reopen")
    ).to_be_visible()
    assert serious_axe_violations(phone) == []

    note = Note.objects.get()
    assert (note.author, note.level, note.status) == (clinician, "clinical", "signed")
    assert Task.objects.get().done_by == clinician


def test_a_clinician_prints_a_case_summary_that_passes_axe(phone):
    clinician = User.objects.get(username="clinician")
    case = casework.case_open(
        actor=User.objects.get(username="supervisor"),
        unit=Unit.objects.get(code="clinical-support"),
        case_type=CaseType.objects.get(code="mental-health"),
        reason="Referred after a crisis call.",
        person=factories.person(first_name="Ana", last_name="Lopes"),
        assigned_to=clinician,
    )
    casework.note_add(actor=clinician, case=case, level="clinical", text="Sleeping better.")
    sign_in(phone, "clinician", settings.CFSJ_DEMO_PASSWORD)
    phone.goto(f"/cases/{case.pk}/")
    phone.get_by_role("link", name="Print summary").click()
    expect(phone.get_by_role("heading", name=f"Mental health · #{case.pk}")).to_be_visible()
    expect(phone.get_by_text("Sleeping better.")).to_be_visible()
    assert serious_axe_violations(phone) == []
    with phone.expect_download() as download:
        phone.get_by_role("link", name="Download as PDF").click()
    assert download.value.suggested_filename == f"case-{case.pk}.pdf"
