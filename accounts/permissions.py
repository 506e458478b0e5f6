"""The record policy for user accounts (see accounts.access for the model).

Supervisors see every account: they audit everyone's reads, administrators' and partners'
included, and re-enable accounts disabled for inactivity. Anyone else sees only their own.
Nobody changes an account through this policy: administrators use the admin.
"""

from typing import Any

from django.db.models import QuerySet

from accounts import access
from accounts.models import User


@access.register(User)
class UserPolicy(access.Policy):
    def visible(self, user: Any, queryset: QuerySet) -> QuerySet:
        if access.can(user, "supervise"):
            return queryset
        return queryset.filter(pk=user.pk)
