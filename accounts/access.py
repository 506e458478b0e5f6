"""The one access module: every "may this user see / change this record?" is answered here.

Two layers:

* **capabilities** — what a role may do at all (``accounts.<codename>`` permissions granted to
  role groups by migrations). A signed-in member without the capability gets 403.
* **record policies** — which rows a user may see and change, from role, unit membership,
  assignment, confidentiality level and consent. Each app registers one policy per model in its
  ``permissions.py``; views fetch records *through* :func:`visible_to`, so lists and detail pages
  cannot disagree, and a record outside the user's scope answers 404 (its existence is not
  revealed).
"""

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import models
from django.http import Http404

from accounts.roles import HOME_PRECEDENCE, Role
from audit.middleware import current_request
from audit.models import AccessLog
from audit.services import log_access

M = TypeVar("M", bound=models.Model)


def roles_of(user: Any) -> frozenset[str]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    return user.roles


def has_role(user: Any, *roles: str) -> bool:
    return bool(roles_of(user) & set(roles))


def is_administrator(user: Any) -> bool:
    return has_role(user, Role.ADMINISTRATOR)


def is_supervisor(user: Any) -> bool:
    return has_role(user, Role.SUPERVISOR)


def home_role(user: Any) -> str | None:
    held = roles_of(user)
    for role in HOME_PRECEDENCE:
        if role in held:
            return role
    return None


def can(user: Any, capability: str) -> bool:
    """True when the user's roles grant ``capability`` (an accounts.User permission codename)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.has_perm(f"accounts.{capability}")


def require(user: Any, capability: str) -> None:
    """403 for a signed-in user without the capability (login is enforced before this)."""
    if not can(user, capability):
        raise PermissionDenied


# --- record policies ---------------------------------------------------------------------------


class Policy:
    """Rules for one model: override ``visible`` and, where records change, ``can_change``."""

    def visible(self, user: Any, queryset: models.QuerySet) -> models.QuerySet:
        return queryset.none()

    def can_change(self, user: Any, obj: models.Model) -> bool:
        return False


_policies: dict[type[models.Model], Policy] = {}


def register(model: type[models.Model]) -> Callable[[type[Policy]], type[Policy]]:
    """Class decorator: ``@access.register(Person) class PersonPolicy(access.Policy): ...``."""

    def decorator(policy_class: type[Policy]) -> type[Policy]:
        if model in _policies:
            raise ImproperlyConfigured(f"{model.__name__} already has an access policy.")
        _policies[model] = policy_class()
        return policy_class

    return decorator


def policy_for(model: type[models.Model]) -> Policy:
    try:
        return _policies[model]
    except KeyError:
        # No policy means no access rule was written: refuse loudly rather than show everything.
        raise ImproperlyConfigured(f"{model.__name__} has no access policy.") from None


def visible_to(user: Any, model_or_queryset: type[M] | models.QuerySet) -> models.QuerySet:
    """The rows of a model (or of a narrower queryset) that ``user`` may see."""
    if isinstance(model_or_queryset, models.QuerySet):
        queryset = model_or_queryset
    else:
        queryset = model_or_queryset._default_manager.all()
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return queryset.none()
    return policy_for(queryset.model).visible(user, queryset)


def get_visible_or_404(user: Any, model_or_queryset: type[M] | models.QuerySet, **lookup: Any) -> M:
    """Fetch one record through the user's visible queryset; 404 when outside it.

    A record that exists but is outside the user's scope is a denied attempt and goes into the
    access log (model and id only); a record that does not exist is a plain 404.
    """
    try:
        return visible_to(user, model_or_queryset).get(**lookup)
    except (models.ObjectDoesNotExist, ValueError, TypeError):
        _log_denied(user, model_or_queryset, lookup)
        raise Http404 from None


def _log_denied(user: Any, model_or_queryset: type[M] | models.QuerySet, lookup: dict) -> None:
    if isinstance(model_or_queryset, models.QuerySet):
        queryset = model_or_queryset
    else:
        queryset = model_or_queryset._default_manager.all()
    try:
        pk = queryset.filter(**lookup).values_list("pk", flat=True).first()
    except (ValueError, TypeError, models.ObjectDoesNotExist):
        return
    if pk is None:
        return
    log_access(
        request=current_request(),
        action=AccessLog.Action.DENIED,
        obj=queryset.model(pk=pk),
        user=user if getattr(user, "is_authenticated", False) else None,
    )


def can_change(user: Any, obj: models.Model) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return policy_for(type(obj)).can_change(user, obj)


def require_change(user: Any, obj: models.Model) -> None:
    """403 for a user who may see ``obj`` (already fetched through visible_to) but not change it."""
    if not can_change(user, obj):
        raise PermissionDenied
