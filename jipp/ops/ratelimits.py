"""Rate limits on what costs the portal a lot or reaches people's inboxes.

Counters live in the default cache through django-ratelimit (atomic ``add``/``incr`` in fixed
windows): with ``REDIS_URL`` set every app server counts together; without it each process counts
on its own (local runs). A cache outage lets requests through (``RATELIMIT_FAIL_OPEN``): the limits
protect the service, they must not take it down.

Limits are per client address (``client_address`` below, which honours the trusted proxy
count) and generous, because government offices and mobile carriers put many people behind one
address. The rates are settings (``JIPP_RATE_LIMITS``) so a deployment can tune them.

Sign-in throttling is django-axes (settings ``AXES_*``) with the per-parameter limits of
``JIPP_SIGN_IN_LIMITS`` (the handlers below): failures of one user name from one address lock that
pair; much looser limits per user name (from any address) and per address (any user names) stop
guessing at scale without letting anyone lock a known account from elsewhere. The JSON API's own
limit is DRF's throttling (``REST_FRAMEWORK``); both use the same cache.
"""

from datetime import timedelta
from functools import wraps

from axes.handlers.cache import AxesCacheHandler
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_cache_keys, get_cool_off, get_lockout_parameters
from django.conf import settings
from django.db.models import Max, Sum
from django.shortcuts import render
from django.utils import timezone
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


# --- Sign-in throttling (django-axes) ------------------------------------------------------------
def _limits(request, credentials) -> list[int]:
    """The failure limit of each of ``AXES_LOCKOUT_PARAMETERS``, in the same order."""
    parameters = get_lockout_parameters(request, credentials)
    names = ["+".join(p) if isinstance(p, list | tuple) else p for p in parameters]
    return [settings.JIPP_SIGN_IN_LIMITS[name] for name in names]


def _scaled(counts: list[int], limits: list[int]) -> int:
    """One number for axes to compare with ``AXES_FAILURE_LIMIT``: it reaches the limit exactly when
    some parameter's count reaches that parameter's own limit."""
    base = settings.AXES_FAILURE_LIMIT
    return max((count * base // limit for count, limit in zip(counts, limits, strict=True)), default=0)


class SignInDatabaseHandler(AxesDatabaseHandler):
    """Axes' PostgreSQL handler with a limit per lockout parameter (``JIPP_SIGN_IN_LIMITS``)."""

    def get_failures(self, request, credentials=None) -> int:
        counts = [
            attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        ]
        return _scaled(counts, _limits(request, credentials))

    def seconds_locked(self, request, credentials=None) -> int:
        cool_off = get_cool_off(request) or timedelta(0)
        latest = []
        for attempts, limit in zip(
            self.get_user_attempts(request, credentials), _limits(request, credentials), strict=True
        ):
            found = attempts.aggregate(n=Sum("failures_since_start"), last=Max("attempt_time"))
            if (found["n"] or 0) >= limit and found["last"]:
                latest.append(found["last"])
        if not latest:
            return int(cool_off.total_seconds())
        return int((max(latest) + cool_off - timezone.now()).total_seconds())


class SignInCacheHandler(AxesCacheHandler):
    """Axes' cache handler (Redis) with a limit per lockout parameter (``JIPP_SIGN_IN_LIMITS``)."""

    def get_failures(self, request, credentials=None) -> int:
        counts = [self.cache.get(key, default=0) for key in get_client_cache_keys(request, credentials)]
        return _scaled(counts, _limits(request, credentials))

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        # Axes' cache handler decides the lockout from the largest raw counter; decide it from the
        # per-parameter limits instead (the database handler already asks get_failures).
        was_locked = getattr(request, "axes_locked_out", False)
        super().user_login_failed(sender, credentials, request=request, **kwargs)
        if request is not None and not was_locked and getattr(request, "axes_locked_out", False):
            request.axes_locked_out = self.get_failures(request, credentials) >= settings.AXES_FAILURE_LIMIT

    def seconds_locked(self, request, credentials=None) -> int:
        cool_off = int((get_cool_off(request) or timedelta(0)).total_seconds())
        ttl = getattr(self.cache, "ttl", None)  # django-redis: seconds left of each counter
        if ttl is None:
            return cool_off
        limits = _limits(request, credentials)
        keys = get_client_cache_keys(request, credentials)
        over = [key for key, limit in zip(keys, limits, strict=True) if self.cache.get(key, 0) >= limit]
        left = [ttl(key) or 0 for key in over]
        return max(left, default=cool_off)


def sign_in_locked_out(request, original_response=None, credentials=None):
    """``AXES_LOCKOUT_CALLABLE``: the translated 429 page saying how many minutes to wait, with
    ``Retry-After`` in seconds."""
    from axes.handlers.proxy import AxesProxyHandler

    handler = AxesProxyHandler.get_implementation()
    seconds = getattr(handler, "seconds_locked", None)
    cool_off = int((get_cool_off(request) or timedelta(minutes=15)).total_seconds())
    retry_after = seconds(request, credentials) if seconds else cool_off
    retry_after = min(max(60, retry_after), cool_off)
    response = render(
        request,
        "accounts/locked_out.html",
        {"retry_minutes": -(-retry_after // 60), "failure_limit": settings.AXES_FAILURE_LIMIT},
        status=429,
    )
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response
