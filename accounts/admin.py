from axes.utils import reset as axes_reset
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import PartnerOrganisation, Unit, User
from audit.models import AccessLog
from audit.services import log_access


class NoDeleteAdmin(SimpleHistoryAdmin):
    """Records are deactivated, never deleted (DESIGN.md)."""

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(User)
class UserAdmin(DjangoUserAdmin, NoDeleteAdmin):
    list_display = ("username", "first_name", "last_name", "email", "is_active", "role_names")
    list_filter = ("is_active", "groups", "units", "organisation")
    filter_horizontal = ("groups", "units")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("first_name", "last_name", "email")}),
        (
            _("Roles and membership"),
            {"fields": ("is_active", "groups", "units", "organisation", "supervising_clinician")},
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    readonly_fields = ("last_login", "date_joined")
    actions = ["unlock_accounts"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description=_("roles"))
    def role_names(self, obj: User) -> str:
        return ", ".join(group.name for group in obj.groups.all())

    @admin.action(description=_("Unlock the selected accounts (clear failed sign-ins)"))
    def unlock_accounts(self, request: HttpRequest, queryset: QuerySet) -> None:
        for user in queryset:
            axes_reset(username=user.username)
            log_access(
                request=request,
                action=AccessLog.Action.LOCKOUT,
                obj=user,
                detail={"unlocked_by": request.user.username},
            )
        count = queryset.count()
        self.message_user(
            request,
            ngettext("%(count)d account unlocked.", "%(count)d accounts unlocked.", count)
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(Unit)
class UnitAdmin(NoDeleteAdmin):
    list_display = ("name", "code", "is_clinical", "closure_needs_approval", "active")
    list_filter = ("active",)


@admin.register(PartnerOrganisation)
class PartnerOrganisationAdmin(NoDeleteAdmin):
    list_display = ("name", "code", "kind", "active")
    list_filter = ("kind", "active")
