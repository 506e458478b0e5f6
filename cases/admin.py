"""Reference lists an administrator edits. People, contacts and everything clinical stay out of
the admin (separation of duties: tests/test_admin_separation.py)."""

from django.contrib import admin

from accounts.admin import NoDeleteAdmin
from cases.models import ContactType, Disposition, PopulationFlag


@admin.register(PopulationFlag)
class PopulationFlagAdmin(NoDeleteAdmin):
    list_display = ("name", "code", "restricted", "position", "active")
    list_editable = ("position", "active")


@admin.register(ContactType)
class ContactTypeAdmin(NoDeleteAdmin):
    list_display = ("name", "code", "position", "active")
    list_editable = ("position", "active")


@admin.register(Disposition)
class DispositionAdmin(NoDeleteAdmin):
    list_display = ("name", "code", "outcome", "position", "active")
    list_editable = ("position", "active")
