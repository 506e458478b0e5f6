from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
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
