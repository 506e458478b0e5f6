from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import HttpRequest

from audit.models import AccessLog
from cfsj.lib.http import client_ip


def log_access(
    *,
    request: HttpRequest | None,
    action: str,
    obj: models.Model | None = None,
    user: Any = None,
    username: str = "",
    detail: dict | None = None,
) -> AccessLog:
    """Write one access-log row. ``user`` defaults to the request's signed-in user."""
    if user is None and request is not None and request.user.is_authenticated:
        user = request.user
    return AccessLog.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        username=username or (user.get_username() if user is not None else ""),
        action=action,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        ip_address=client_ip(request) if request is not None else None,
        detail=detail or {},
    )
