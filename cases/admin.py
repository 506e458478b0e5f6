"""Reference lists an administrator edits. People, contacts and everything clinical stay out of
the admin (separation of duties: tests/test_admin_separation.py)."""

from django.contrib import admin

from accounts.admin import NoDeleteAdmin
from cases.models import (
    CaseType,
    ClosureOutcome,
    ContactType,
    Disposition,
    Instrument,
    InstrumentVersion,
    PopulationFlag,
)


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


@admin.register(CaseType)
class CaseTypeAdmin(NoDeleteAdmin):
    list_display = ("name", "code", "position", "active")
    list_editable = ("position", "active")


@admin.register(ClosureOutcome)
class ClosureOutcomeAdmin(NoDeleteAdmin):
    list_display = ("name", "code", "position", "active")
    list_editable = ("position", "active")


class ReadOnlyAdmin(NoDeleteAdmin):
    """Instruments are loaded from data files (manage.py load_instrument), never edited here:
    an edited definition would change how past answers read."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Instrument)
class InstrumentAdmin(ReadOnlyAdmin):
    list_display = ("name", "code", "active")


@admin.register(InstrumentVersion)
class InstrumentVersionAdmin(ReadOnlyAdmin):
    list_display = ("instrument", "version", "loaded_at")
