from django.urls import path

from cases.views import contacts, merge, people, search

app_name = "cases"

urlpatterns = [
    path("people/", search.person_search, name="person_search"),
    path("people/new/", people.person_create, name="person_create"),
    path("people/duplicates/", merge.duplicate_candidates, name="duplicate_candidates"),
    path("people/merge/", merge.person_merge, name="person_merge"),
    path("people/<int:pk>/", people.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", people.person_update, name="person_update"),
    path("contacts/new/", contacts.contact_create, name="contact_create"),
    path("contacts/people/", search.contact_person_picker, name="contact_person_picker"),
    path("contacts/<int:pk>/", contacts.contact_detail, name="contact_detail"),
    path("contacts/<int:pk>/edit/", contacts.contact_update, name="contact_update"),
    path("contacts/<int:pk>/addendum/", contacts.contact_addendum, name="contact_addendum"),
    path("contacts/<int:pk>/flags/", contacts.contact_flags, name="contact_flags"),
]
