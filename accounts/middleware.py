from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

STARTED = "cfsj_started"
LAST_SEEN = "cfsj_last_seen"
# Writing the session on every request costs a write per click; a minute's slack is harmless
# against a 30-minute idle window.
_TOUCH_EVERY = 60


class SessionTimeoutMiddleware:
    """Ends a signed-in session after SESSION_IDLE_TIMEOUT without a request, and after
    SESSION_ABSOLUTE_TIMEOUT in any case, whatever the activity.

    The session row's own expiry (SESSION_COOKIE_AGE = the idle window) ends idle sessions on
    the server too; this middleware adds the absolute limit and a clear message. An htmx
    request that would be sent to sign in gets ``HX-Redirect`` so the whole page changes,
    instead of the sign-in form being swapped into a fragment.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self._check(request) or self.get_response(request)
        return self._htmx_sign_in(request, response)

    def _check(self, request: HttpRequest) -> HttpResponse | None:
        if not request.user.is_authenticated:
            return None
        now = timezone.now().timestamp()
        started = request.session.setdefault(STARTED, now)
        last_seen = request.session.setdefault(LAST_SEEN, now)
        idle = settings.SESSION_IDLE_TIMEOUT.total_seconds()
        absolute = settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds()
        if now - last_seen > idle or now - started > absolute:
            logout(request)  # flushes the server-side session
            messages.info(request, _("Your session ended. Please sign in again."))
            return redirect(f"{settings.LOGIN_URL_PATH}?next={request.path}")
        if now - last_seen > _TOUCH_EVERY:
            request.session[LAST_SEEN] = now
        return None

    def _htmx_sign_in(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if (
            request.headers.get("HX-Request") == "true"
            and response.status_code == 302
            and response.get("Location", "").startswith(settings.LOGIN_URL_PATH)
        ):
            swapped = HttpResponse(status=204)
            swapped["HX-Redirect"] = settings.LOGIN_URL_PATH
            return swapped
        return response


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every page served to a signed-in user, so that no browser,
    shared station or proxy keeps a copy of a record after sign-out. Static files are left with
    their own caching (whitenoise answers them before this middleware in any case)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(f"/{settings.STATIC_URL.lstrip('/')}")
        ):
            patch_cache_control(response, no_store=True, private=True)
        return response


MFA_ENROLLED = "cfsj_mfa_enrolled"
MFA_PATH = "/accounts/2fa/"  # allauth's second-factor pages (cfsj/urls.py, allauth.urls)
# What a signed-in user without a second factor may still open: enrolment, the password
# confirmation allauth asks for before it, signing out, and the health check.
MFA_ENROLMENT_VIEWS = frozenset(
    {
        "mfa_activate_totp",
        "account_reauthenticate",
        "mfa_reauthenticate",
        "account_logout",
        "healthz",
    }
)


class MfaRequiredMiddleware:
    """Sends a signed-in user who has no second factor (TOTP) to enrolment, from every URL but
    ``MFA_ENROLMENT_VIEWS``, the Django admin included. An htmx request gets ``HX-Redirect``.

    allauth asks for the code at sign-in once a user has an authenticator; this closes the gap
    for the user who has none. ``CFSJ_MFA_REQUIRED`` turns it off, for the local demo only
    (settings refuse that with DEBUG off).

    Whether the user has an authenticator is remembered in the session, so an ordinary page
    costs no query. The second factor can go away in two ways: an administrator removes it (and
    ends every session of the user with it), or the user deactivates it, by a POST under
    ``MFA_PATH`` while signed in, after which the next request looks again.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        managing = (
            request.method == "POST"
            and request.path.startswith(MFA_PATH)
            and request.user.is_authenticated
        )
        response = self.get_response(request)
        if managing:
            request.session.pop(MFA_ENROLLED, None)
        return response

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if not settings.CFSJ_MFA_REQUIRED or not request.user.is_authenticated:
            return None
        match = request.resolver_match
        if match is not None and match.view_name in MFA_ENROLMENT_VIEWS:
            return None
        if _has_second_factor(request):
            return None
        messages.warning(
            request,
            _(
                "Your account needs a second factor before you can continue: confirm your "
                "password, then set up an authenticator app."
            ),
            fail_silently=True,
        )
        url = reverse("mfa_activate_totp")
        if request.headers.get("HX-Request") == "true":
            swapped = HttpResponse(status=204)
            swapped["HX-Redirect"] = url
            return swapped
        return redirect(url)


def _has_second_factor(request: HttpRequest) -> bool:
    if request.session.get(MFA_ENROLLED) == request.user.pk:
        return True
    return _look_up_second_factor(request.session, request.user)


def remember_second_factor(sender, request: HttpRequest | None, user, **kwargs) -> None:
    """``user_logged_in`` receiver: the lookup is made at sign-in, so that no page after it
    (the first one included) pays for it."""
    if request is not None and hasattr(request, "session"):
        _look_up_second_factor(request.session, user)


def _look_up_second_factor(session, user) -> bool:
    from allauth.mfa.models import Authenticator

    # Recovery codes alone do not count: allauth asks for a code at sign-in only when a
    # TOTP (or WebAuthn) authenticator exists.
    enrolled = Authenticator.objects.filter(
        user_id=user.pk, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    ).exists()
    if enrolled:
        session[MFA_ENROLLED] = user.pk
    return enrolled
