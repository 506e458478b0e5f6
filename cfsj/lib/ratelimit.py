"""Per-user rate limits kept in the cache (Redis in production, so every worker shares them).

``limit(request, "search", settings.CFSJ_SEARCH_RATE)`` counts one use and says whether it is
within the rate. Person search uses it now; exports will use it with their own scope and rate.

A fixed window per user and scope: ``cache.add`` creates the counter with the window's
lifetime, ``cache.incr`` is atomic on Redis. At a window's edge a user can get up to twice the
rate in a short burst; that is accepted for a limit whose point is to stop bulk harvesting.
"""

import time

from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

from cfsj.lib.http import client_ip

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """``"30/m"`` → (30, 60); ``"10/h"`` → (10, 3600); ``"5/10m"`` → (5, 600)."""
    try:
        count_text, period_text = rate.strip().split("/")
        count = int(count_text)
        unit = period_text[-1:]
        multiple = int(period_text[:-1]) if period_text[:-1] else 1
        seconds = multiple * _UNITS[unit]
    except (ValueError, KeyError):
        raise ValueError(f"{rate!r} is not a rate like 30/m or 10/h") from None
    if count < 1 or seconds < 1:
        raise ValueError(f"{rate!r} must allow at least one use per period")
    return count, seconds


def parse_rate_setting(name: str, rate: str) -> str:
    """For settings.py: a malformed rate stops the process at start-up."""
    try:
        parse_rate(rate)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name}: {error}.") from None
    return rate


def limit(request: HttpRequest, scope: str, rate: str) -> bool:
    """Count one use of ``scope`` by the request's user; True while within ``rate``."""
    count, seconds = parse_rate(rate)
    user = getattr(request, "user", None)
    who = f"u{user.pk}" if user is not None and user.is_authenticated else f"ip{client_ip(request)}"
    window = int(time.time()) // seconds
    key = f"ratelimit:{scope}:{who}:{seconds}:{window}"
    cache.add(key, 0, timeout=seconds + 1)
    try:
        used = cache.incr(key)
    except ValueError:  # the counter expired between add and incr
        cache.add(key, 1, timeout=seconds + 1)
        used = 1
    return used <= count
