from django.urls import path

from cases.views import (
    assessments,
    breakglass,
    caseload,
    casework,
    consultations,
    contacts,
    merge,
    people,
    printing,
    search,
)

app_name = "cases"

urlpatterns = [
    path("people/", search.person_search, name="person_search"),
    path("people/new/", people.person_create, name="person_create"),
    path("people/duplicates/", merge.duplicate_candidates, name="duplicate_candidates"),
    path("people/merge/", merge.person_merge, name="person_merge"),
    path("people/<int:pk>/", people.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", people.person_update, name="person_update"),
    path("people/<int:pk>/relationships/", people.relationship_add, name="relationship_add"),
    path("relationships/<int:pk>/end/", people.relationship_end, name="relationship_end"),
    path("contacts/new/", contacts.contact_create, name="contact_create"),
    path("contacts/people/", search.contact_person_picker, name="contact_person_picker"),
    path("contacts/<int:pk>/", contacts.contact_detail, name="contact_detail"),
    path("contacts/<int:pk>/edit/", contacts.contact_update, name="contact_update"),
    path("contacts/<int:pk>/addendum/", contacts.contact_addendum, name="contact_addendum"),
    path("contacts/<int:pk>/flags/", contacts.contact_flags, name="contact_flags"),
    # --- casework (issue 4)
    path("caseload/", caseload.caseload, name="caseload"),
    path("cases/", caseload.case_list, name="case_list"),
    path("cases/new/", casework.case_create, name="case_create"),
    path("cases/<int:pk>/", casework.case_detail, name="case_detail"),
    path("cases/<int:pk>/edit/", casework.case_update, name="case_update"),
    path("cases/<int:pk>/print/", printing.case_print, name="case_print"),
    path("cases/<int:pk>/status/", casework.case_transition, name="case_transition"),
    path("cases/<int:pk>/transfer/", casework.case_transfer, name="case_transfer"),
    path("cases/<int:pk>/break-glass/", breakglass.case_break_glass, name="case_break_glass"),
    path("cases/<int:pk>/notes/", casework.note_create, name="note_create"),
    path("notes/<int:pk>/cosign/", casework.note_cosign, name="note_cosign"),
    path("cases/<int:pk>/tasks/", caseload.task_create, name="task_create"),
    path("tasks/<int:pk>/done/", caseload.task_done, name="task_done"),
    path("consultations/", consultations.consultation_queue, name="consultation_queue"),
    path("consultations/new/", consultations.consultation_create, name="consultation_create"),
    path("consultations/<int:pk>/", consultations.consultation_detail, name="consultation_detail"),
    path("consultations/<int:pk>/take/", consultations.consultation_take, name="consultation_take"),
    path(
        "consultations/<int:pk>/answer/",
        consultations.consultation_answer,
        name="consultation_answer",
    ),
    path(
        "consultations/<int:pk>/open-case/",
        consultations.consultation_open_case,
        name="consultation_open_case",
    ),
    path("assessments/new/<slug:code>/", assessments.assessment_create, name="assessment_create"),
    path("assessments/<int:pk>/", assessments.assessment_detail, name="assessment_detail"),
]
