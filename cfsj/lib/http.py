from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The caller's address, trusting X-Forwarded-For only behind a configured number of proxies.

    One function for axes, allauth's rate limits and our access log, so that all three agree
    on who the caller is.
    """
    proxies = settings.CFSJ_TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR") or None
