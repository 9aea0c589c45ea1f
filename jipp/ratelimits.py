"""Rate limits on what costs the portal a lot or reaches people's inboxes.

Counters live in the default cache through django-ratelimit (atomic ``add``/``incr`` in fixed
windows): with ``REDIS_URL`` set every app server counts together; without it each process counts
on its own (local runs). A cache outage lets requests through (``RATELIMIT_FAIL_OPEN``): the limits
protect the service, they must not take it down.

Limits are per client address (``client_address`` below, which honours the trusted proxy
count) and generous, because government offices and mobile carriers put many people behind one
address. The rates are settings (``JIPP_RATE_LIMITS``) so a deployment can tune them.

Sign-in throttling is django-axes (settings ``AXES_*``); the JSON API's own limit is DRF's
throttling (``REST_FRAMEWORK``); both use the same cache.
"""

from functools import wraps

from django.conf import settings
from django.shortcuts import render
from django_ratelimit import ALL, UNSAFE
from django_ratelimit.core import get_usage

ALL_METHODS = ALL  # count GET and HEAD too (downloads, the data API)


def client_address(request):
    """The client's address for rate limits and sign-in throttling (settings.JIPP_TRUSTED_PROXY_COUNT
    explains)."""
    count = settings.JIPP_TRUSTED_PROXY_COUNT
    if count:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR")


def by_address(group, request) -> str:
    return client_address(request) or ""


def by_posted_email(group, request) -> str:
    return request.POST.get("email", "").strip().lower()


def too_many_requests(request, retry_after: int):
    response = render(request, "429.html", {"retry_minutes": max(1, -(-retry_after // 60))}, status=429)
    response["Retry-After"] = str(max(1, retry_after))
    response["Cache-Control"] = "no-store"
    return response


def over_limit(request, name: str, *, key=by_address, method=UNSAFE):
    """Count this request against ``JIPP_RATE_LIMITS[name]`` (requests of ``method`` with the same
    ``key`` in the rate's window); the 429 response once it is over, else None."""
    usage = get_usage(
        request, group=name, key=key, rate=settings.JIPP_RATE_LIMITS[name], method=method, increment=True
    )
    if usage is not None and usage["should_limit"]:
        return too_many_requests(request, usage["time_left"])
    return None


def limited(name: str, *, key=by_address, method=UNSAFE):
    """``over_limit`` as a decorator for function views (``method_decorator`` for class-based ones);
    stack it for several limits."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            return over_limit(request, name, key=key, method=method) or view(request, *args, **kwargs)

        return wrapped

    return decorator
