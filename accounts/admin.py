import copy

from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from axes.utils import reset as axes_reset
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import ReadOnlyPasswordHashWidget
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import PartnerOrganisation, Unit, User
from accounts.sessions import end_all_sessions
from audit.models import AccessLog
from audit.services import log_access


class NoDeleteAdmin(SimpleHistoryAdmin):
    """Records are deactivated, never deleted (DESIGN.md)."""

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class PasswordHashWidget(ReadOnlyPasswordHashWidget):
    def __init__(self, *, url: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.url = url

    def get_context(self, name, value, attrs):
        return {**super().get_context(name, value, attrs), "password_url": self.url}


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
        (
            _("Dates"),
            {
                "fields": (
                    "last_login",
                    "date_joined",
                    "deactivated_at",
                    "deactivated_reason",
                    "reenabled_at",
                )
            },
        ),
    )
    # Written by the inactivity job and a supervisor's re-enable (accounts.services), not by hand.
    readonly_fields = (
        "last_login",
        "date_joined",
        "deactivated_at",
        "deactivated_reason",
        "reenabled_at",
    )
    actions = ["unlock_accounts", "remove_second_factor"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).prefetch_related("groups")

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = ""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            # A password set by an administrator ends every session of its owner, as a change
            # by the owner does (allauth's adapter); Django alone would only stop them at their
            # next request, without a trace in the access log.
            user = User.objects.get(pk=id)
            log_access(request=request, action=AccessLog.Action.PASSWORD_CHANGED, obj=user)
            end_all_sessions(user=user, request=request, reason="password set by an administrator")
        return response

    def get_form(self, request: HttpRequest, obj=None, change: bool = False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None and "password" in form.base_fields:
            # Django's widget links to "../password/", which from a history version page
            # (/admin/accounts/user/<pk>/history/<id>/) lands on a URL that crashes
            # simple-history. A copy of the field (the class's own is shared between requests)
            # gets the absolute address.
            field = copy.deepcopy(form.base_fields["password"])
            field.widget = PasswordHashWidget(
                url=reverse("admin:auth_user_password_change", args=[obj.pk])
            )
            form.base_fields["password"] = field
        return form

    def save_model(self, request: HttpRequest, obj: User, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data:
            if obj.is_active:
                log_access(request=request, action=AccessLog.Action.ACCOUNT_ENABLED, obj=obj)
            else:
                # Disabled means out now, not at the end of whatever session is open.
                log_access(request=request, action=AccessLog.Action.ACCOUNT_DISABLED, obj=obj)
                end_all_sessions(user=obj, request=request, reason="account disabled")

    @admin.action(
        description=_("Remove the second factor (lost phone): the user enrols again at sign-in")
    )
    def remove_second_factor(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = 0
        for user in queryset:
            with transaction.atomic():
                removed = list(Authenticator.objects.filter(user_id=user.pk))
                for authenticator in removed:
                    authenticator.delete()
                    log_access(
                        request=request,
                        action=AccessLog.Action.MFA_REMOVED,
                        obj=user,
                        detail={"type": authenticator.type, "removed_by": request.user.username},
                    )
                # Whoever holds the lost phone may hold an open session on it too.
                end_all_sessions(user=user, request=request, reason="second factor removed")
            count += bool(removed)
        self.message_user(
            request,
            ngettext(
                "Second factor removed from %(count)d account.",
                "Second factor removed from %(count)d accounts.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

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


# allauth registers these; the admin shows neither. Authenticator rows hold (encrypted) secrets,
# and deleting one there would not be logged nor end the user's sessions: the user list's
# "Remove the second factor" action does both. Ending sessions likewise goes through
# accounts.sessions, not through deleting UserSession rows.
for _model in (Authenticator, UserSession):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
