"""Reads on user accounts for the supervisor's pages."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from accounts.models import User
from accounts.roles import Role


def disabled_for_inactivity() -> QuerySet:
    """Accounts the inactivity rule disabled and nobody has re-enabled, longest disabled first."""
    return User.objects.filter(
        is_active=False, deactivated_reason=User.DeactivationReason.INACTIVITY
    ).order_by("deactivated_at", "pk")


def disabled_accounts_page() -> QuerySet:
    """Accounts disabled for inactivity, each marked ``privileged`` when only an administrator
    may re-enable it (accounts.services.reenable_account). One query."""
    administrators = User.groups.through.objects.filter(
        user_id=OuterRef("pk"), group__name=Role.ADMINISTRATOR
    )
    return disabled_for_inactivity().annotate(
        privileged=Q(is_superuser=True) | Exists(administrators)
    )
