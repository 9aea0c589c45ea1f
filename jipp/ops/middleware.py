"""Middleware for operating the portal: request logs, the public page cache, and the 503 while the
database is unreachable. Their places in ``settings.MIDDLEWARE`` matter; each class says where."""

import hashlib
import logging
import re
import time
import uuid
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified, QueryDict
from django.middleware.csrf import get_token
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import cc_delim_re, patch_vary_headers
from django.utils.http import parse_http_date_safe

from jipp.errors import Conflict
from jipp.ops import cache as page_cache
from jipp.ops import errors, logs, replica

request_logger = logging.getLogger("jipp.request")

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")


class RequestLogMiddleware:
    """First in MIDDLEWARE: one structured line per request (method, path without the query string,
    status, duration, request id) and the request id echoed as ``X-Request-ID``.

    The id comes from the load balancer's ``X-Request-ID`` when it looks like one, so a request can be
    followed across the proxy and the app; otherwise it is generated. Nothing personal is logged: no
    query string (search terms), no user, no IP address, no cookies.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        request_id = request.headers.get("X-Request-ID", "")
        if not _REQUEST_ID.match(request_id):
            request_id = uuid.uuid4().hex
        request.request_id = request_id
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        status = response.status_code
        request_logger.log(
            logging.WARNING if status >= 500 else logging.INFO,
            "%s %s %s",
            request.method,
            request.path,
            status,
            extra={
                "fields": {
                    "request_id": request_id,
                    "method": request.method,
                    "path": request.path,
                    "status": status,
                    "duration_ms": duration_ms,
                    "cache": response.get("X-Page-Cache", ""),
                }
            },
        )
        return response


class HealthCheckMiddleware:
    """After the security headers' middleware and before CommonMiddleware (the first to validate the
    Host header): ``/healthz`` and ``/readyz`` answer whatever Host the probe sends. A container's
    HEALTHCHECK and a load balancer's probe ask by address (``127.0.0.1:8000``, a private IP), which
    ``ALLOWED_HOSTS`` rightly refuses for pages; the probes show nothing but "ok" or what is
    unavailable, so they need no host validation. They still get the CSP and frame headers."""

    PROBES = {"/healthz": "jipp.ops.health.healthz", "/readyz": "jipp.ops.health.readyz"}

    def __init__(self, get_response):
        from csp.middleware import CSPMiddleware
        from django.middleware.clickjacking import XFrameOptionsMiddleware
        from django.utils.module_loading import import_string

        self.get_response = get_response
        self.probes = {
            path: XFrameOptionsMiddleware(CSPMiddleware(import_string(view)))
            for path, view in self.PROBES.items()
        }

    def __call__(self, request):
        probe = self.probes.get(request.path_info)
        if probe is None or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        return probe(request)


class PrivateResponseCacheMiddleware:
    """Right after WhiteNoise (so static files are untouched), before the session and CSRF
    middleware (so it sees the cookies they set): every response to a signed-in person, and every
    response that sets a cookie or varies on the session cookie the request carried, is
    ``Cache-Control: private, no-store``: no browser cache, proxy or back button keeps a copy of a
    workspace, a draft's preview or a monitoring CSV. Public files marked ``public_file`` (evidence,
    the same for everyone) keep their own long caching."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(response, "public_file", False):
            # The same bytes for everyone: no Vary (added by the session and locale middleware) that
            # would split browser and CDN caches by cookie or language.
            if "Vary" in response:
                del response["Vary"]
            return response
        if self._shared(request, response):
            return response
        response["Cache-Control"] = "private, no-store"
        if "Expires" in response:
            del response["Expires"]
        return response

    @staticmethod
    def _shared(request, response) -> bool:
        """True when the response is the same for everyone (no cookie set, no signed-in user)."""
        if response.cookies:
            return False
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return True  # no session: nobody is signed in, nothing varies on a session
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return False
        vary = {v.strip().lower() for v in cc_delim_re.split(response.get("Vary", "")) if v.strip()}
        return "cookie" not in vary


class ErrorPageMiddleware:
    """After CSP (so its header applies): an error response with an empty body — Django's
    ``require_POST`` and ``http_method_not_allowed`` answer a bare 405, a view may answer a bare 409
    or 429 — gets the translated page for its status in the site layout; headers such as ``Allow``
    and ``Retry-After`` are kept."""

    STATUSES = {400, 403, 404, 405, 409, 413, 429}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code not in self.STATUSES or response.streaming or response.content:
            return response
        retry_after = response.get("Retry-After", "")
        minutes = -(-int(retry_after) // 60) if retry_after.isdigit() else 1
        page = errors.error_page(request, response.status_code, {"retry_minutes": max(1, minutes)})
        for name, value in response.items():
            if name.lower() not in ("content-type", "content-length"):
                page[name] = value
        page["Cache-Control"] = "no-store"
        return page

    def process_exception(self, request, exception):
        """A ``Conflict`` no view caught (the object moved on; nothing changed) is the 409 page."""
        if isinstance(exception, Conflict):
            return errors.conflict_page(request, exception)
        return None


class CrossOriginResourcePolicyMiddleware:
    """Sends ``Cross-Origin-Resource-Policy`` (Django has no setting for it): other sites cannot embed
    the portal's responses (Spectre-style leaks) unless a view sets its own value, as an open-data
    endpoint meant for embedding may. Value from ``SECURE_CROSS_ORIGIN_RESOURCE_POLICY``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "SECURE_CROSS_ORIGIN_RESOURCE_POLICY", "same-origin")
        if policy and "Cross-Origin-Resource-Policy" not in response:
            response["Cross-Origin-Resource-Policy"] = policy
        return response


class DatabaseUnavailableMiddleware:
    """Last in MIDDLEWARE: a view that fails because PostgreSQL is unreachable answers the static 503
    page with ``Retry-After`` instead of a 500. Failures outside views (session saving, middleware)
    reach ``handler500`` = ``jipp.ops.errors.server_error``, which does the same. Django closes the broken
    connection at the end of the request (``CONN_HEALTH_CHECKS``), so the first request after the
    database is back reconnects: no app server restart is needed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, errors.DATABASE_ERRORS):
            logs.logger.warning("database unavailable: %s", type(exception).__name__)
            return errors.database_unavailable_response(request)
        return None


# --- Public page cache ---------------------------------------------------------------------------
CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
CSRF_PLACEHOLDER = b"\x00jipp-csrf-token\x00"
CACHEABLE_VARY = {"cookie", "accept-language"}
MAX_BODY = 1024 * 1024


def _no_cache_directives(response) -> bool:
    directives = {
        d.strip().split("=")[0].lower() for d in cc_delim_re.split(response.get("Cache-Control", ""))
    }
    return bool(directives & {"private", "no-cache", "no-store"}) or "max-age=0" in response.get(
        "Cache-Control", ""
    )


# Parameters that share links and ad platforms append and no view reads: a page shared as
# /inovasi/x/?utm_source=whatsapp&fbclid=... is the same page, so it is the same cache entry.
TRACKING_PARAM = re.compile(r"utm_[a-z]+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|mc_cid|mc_eid|igshid|_ga")


def _query_without_tracking(request) -> str:
    """The query string minus tracking parameters, re-encoded (so ``a=1%26b`` never reads as two)."""
    return urlencode(
        [
            (key, value)
            for key, values in request.GET.lists()
            if not TRACKING_PARAM.fullmatch(key)
            for value in values
        ]
    )


def _strip_tracking(request) -> None:
    """Remove tracking parameters from the request before the view sees it: they are not part of the
    cache key, so nothing rendered may contain them (``request.get_full_path`` in the language
    switch's ``next=``); otherwise the first visitor's ``utm_*`` would be served to everyone."""
    query = request.META.get("QUERY_STRING", "")
    if not query or not any(TRACKING_PARAM.fullmatch(key) for key in request.GET):
        return
    clean = _query_without_tracking(request)
    request.META["QUERY_STRING"] = clean
    request.GET = QueryDict(clean)


class PublicPageCacheMiddleware:
    """Innermost but one in MIDDLEWARE (after CSP, before DatabaseUnavailableMiddleware): anonymous
    GET/HEAD pages that are the same for everyone are served from the shared cache.

    *Which requests.* GET or HEAD, no session cookie (signed-in users always have one, so their pages
    are never served from or stored in this cache), no pending flash messages, a path outside
    ``PUBLIC_PAGE_CACHE_EXCLUDE`` (admin, accounts). The key is host + HTTPS + language + path + query
    string without tracking parameters (``utm_*``, ``fbclid``...), so each language and each filtered
    list is cached on its own, and a shared link with tracking parameters is the page it points to.

    *Which responses are stored.* 200, not streaming, not marked ``private``/``no-cache``/``no-store``
    (``@never_cache`` opts a view out), no cookie set by the view, session untouched, no message shown,
    varying only by Cookie and Accept-Language, at most 1 MB. The CSRF token in forms is replaced by a
    placeholder when storing and by the visitor's own token when serving, so tokens never leak.

    *Invalidation.* Each entry carries the content version (``jipp.ops.cache.content_version``); any change
    to a portal record bumps it, so every stored page is stale at once, and so does every successful
    write request of a signed-in user. ``PUBLIC_PAGE_CACHE_SECONDS``
    bounds staleness for writes that bypass ``save()`` and forget ``page_cache.content_changed()``.

    *Conditional requests.* Served pages carry an ``ETag`` (hash of body and version); a matching
    ``If-None-Match`` gets a 304. ``Cache-Control: private, no-cache`` keeps shared proxies from
    storing pages that set the CSRF cookie, while browsers revalidate cheaply.

    Cost on a hit: one cache round trip (``get_many`` of the version and the page), no SQL.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD"):
            _strip_tracking(request)
        timeout = getattr(settings, "PUBLIC_PAGE_CACHE_SECONDS", 0)
        if timeout and request.method not in ("GET", "HEAD", "OPTIONS", "TRACE"):
            return self._write(request)
        if not timeout or not self._eligible(request):
            return self.get_response(request)
        key = self._key(request)
        found = cache.get_many([page_cache.CONTENT_VERSION_KEY, key])
        version = found.get(page_cache.CONTENT_VERSION_KEY) or page_cache.content_version()
        entry = found.get(key)
        if entry and entry["version"] == version:
            return self._serve(request, entry)
        response = self.get_response(request)
        if self._storable(request, response):
            body = CSRF_INPUT.sub(rb"\1" + CSRF_PLACEHOLDER + rb"\2", response.content)
            # A validator the view set (the API's, a hash of the body alone) stays: clients keep it
            # across content-version bumps that did not change this response.
            etag = response.get("ETag") or (
                '"' + hashlib.blake2b(body + version.encode(), digest_size=12).hexdigest() + '"'
            )
            headers = {k: v for k, v in response.items() if k.lower() not in ("vary", "content-length")}
            entry = {"version": version, "status": 200, "headers": headers, "body": body, "etag": etag}
            if (
                replica.reads_from_replica()
                and page_cache.version_age(version) < settings.REPLICA_MAX_LAG_SECONDS
            ):
                # Rendered from the replica just after a change it may not have applied yet.
                timeout = settings.REPLICA_MAX_LAG_SECONDS
            cache.set(key, entry, timeout)
            response["ETag"] = etag
            response["Cache-Control"] = "private, no-cache"
            response["X-Page-Cache"] = "miss"
        return response

    def _write(self, request):
        """A signed-in user's successful POST/PUT/PATCH/DELETE may have changed public records in ways
        no signal sees (``QuerySet.update()`` in a service): bump the version as a second safety
        net. Anonymous writes (sign-in attempts, say) do not, so nobody can flush the cache at will."""
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated  # before the view: sign-out changes it
        response = self.get_response(request)
        if signed_in and response.status_code < 400:
            page_cache.content_changed()
        return response

    @staticmethod
    def _eligible(request) -> bool:
        if request.method not in ("GET", "HEAD"):
            return False
        if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
            return False
        excluded = getattr(settings, "PUBLIC_PAGE_CACHE_EXCLUDE", ())
        return not request.path.startswith(tuple(excluded))

    @staticmethod
    def _key(request) -> str:
        raw = "|".join(
            [
                request.get_host(),
                "https" if request.is_secure() else "http",
                getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE),
                request.path,
                _query_without_tracking(request),
            ]
        )
        return "page:" + hashlib.blake2b(raw.encode(), digest_size=16).hexdigest()

    @staticmethod
    def _storable(request, response) -> bool:
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        if _no_cache_directives(response) or len(response.content) > MAX_BODY:
            return False
        vary = {v.strip().lower() for v in cc_delim_re.split(response.get("Vary", "")) if v.strip()}
        if vary - CACHEABLE_VARY:
            return False
        session = getattr(request, "session", None)
        if session is not None and session.modified:
            return False
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return False
        messages = getattr(request, "_messages", None)
        return not (messages is not None and (messages.used or messages.added_new))

    @staticmethod
    def _serve(request, entry) -> HttpResponse:
        if _etag_matches(request.headers.get("If-None-Match", ""), entry["etag"]) or _not_modified_since(
            request, entry
        ):
            response = HttpResponseNotModified()
        else:
            body = entry["body"]
            if CSRF_PLACEHOLDER in body:
                body = body.replace(CSRF_PLACEHOLDER, get_token(request).encode())
            response = HttpResponse(body, status=entry["status"])
            for name, value in entry["headers"].items():
                response[name] = value
        response["ETag"] = entry["etag"]
        if "Last-Modified" in entry["headers"]:
            response["Last-Modified"] = entry["headers"]["Last-Modified"]
        response["Cache-Control"] = "private, no-cache"
        response["X-Page-Cache"] = "hit"
        patch_vary_headers(response, ["Cookie"])
        return response


def _etag_matches(header: str, etag: str) -> bool:
    """Weak comparison (RFC 9110), as for GET: gzip turns the served ETag into W/"…"."""
    if not header:
        return False
    tags = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return "*" in tags or etag.removeprefix("W/") in tags


def _not_modified_since(request, entry) -> bool:
    """If-Modified-Since (only without If-None-Match) at or after the stored Last-Modified."""
    if "If-None-Match" in request.headers or "Last-Modified" not in entry["headers"]:
        return False
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    modified = parse_http_date_safe(entry["headers"]["Last-Modified"])
    return since is not None and modified is not None and modified <= since


class PublicCompressionMiddleware(GZipMiddleware):
    """gzip for public text responses only, so compression never leaks a secret (BREACH).

    BREACH recovers a secret that a response reflects next to attacker-chosen text by watching the
    compressed size. Public pages carry no secret: no CSRF token (they have no POST forms), no
    session, nothing personal. So a response is compressed only when it is anonymous, sets no
    cookie, is not ``private``, and no CSRF token was used to render it; everything signed-in stays
    uncompressed. Django's own random padding (``max_random_bytes``) is kept as a second guard.
    Only text types (HTML, CSV, JSON, XML, Atom, SVG): images and PDFs are compressed already.
    """

    COMPRESSIBLE = ("text/", "application/json", "application/xml", "application/atom+xml", "image/svg+xml")

    def process_response(self, request, response):
        if not self._is_public(request, response):
            return response
        return super().process_response(request, response)

    def _is_public(self, request, response) -> bool:
        if not response.get("Content-Type", "").startswith(self.COMPRESSIBLE):
            return False
        if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            return False  # a cookie is set, or a CSRF token was put in the page
        if "private" in response.get("Cache-Control", ""):
            return False
        user = getattr(request, "user", None)
        return not (user is not None and user.is_authenticated)
