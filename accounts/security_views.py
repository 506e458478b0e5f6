"""The user's own "Account security" page: password, e-mail, second factor, sessions. Each
change happens on allauth's pages, which ask for the password again first."""

from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


@login_required
@require_GET
def account_security(request: HttpRequest) -> HttpResponse:
    user = request.user
    types = set(Authenticator.objects.filter(user_id=user.pk).values_list("type", flat=True))
    context = {
        "has_totp": Authenticator.Type.TOTP in types,
        "has_recovery_codes": Authenticator.Type.RECOVERY_CODES in types,
        "session_count": len(UserSession.objects.purge_and_list(user)),
    }
    return render(request, "account/security.html", context)
