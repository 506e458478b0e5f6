from django.conf import settings
from django.http import HttpRequest

from cfsj.navigation import navigation_for


def site(request: HttpRequest) -> dict:
    return {
        "department_name": settings.CFSJ_DEPARTMENT_NAME,
        "sign_in_notice": settings.CFSJ_SIGN_IN_NOTICE,
        "nav_items": navigation_for(request.user) if hasattr(request, "user") else [],
    }
