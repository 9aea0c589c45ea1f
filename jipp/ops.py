"""Operational machinery shared by every page: the public page cache's content version, structured
logs, readiness, and the friendly 503 while the database is unreachable.

This is infrastructure, not domain flow. The one signal receiver here (``_content_saved``) only bumps
a cache version so that cached public pages are re-rendered; it never changes data. See
docs/architecture.md ("Operations") and docs/deploy.md.
"""

import base64
import json
import logging
import pickle
import time
import uuid

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.db import DatabaseCache
from django.db import (
    DEFAULT_DB_ALIAS,
    DatabaseError,
    InterfaceError,
    OperationalError,
    connections,
    router,
    transaction,
)
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger("jipp.ops")

# --- Content version for the public page cache ---------------------------------------------------
CONTENT_VERSION_KEY = "ops:content-version"


def content_version() -> str:
    """The current content version (created on first use, e.g. after the cache was flushed)."""
    version = cache.get(CONTENT_VERSION_KEY)
    if version is None:
        version = _new_version()
        cache.add(CONTENT_VERSION_KEY, version, timeout=None)
        version = cache.get(CONTENT_VERSION_KEY, version)
    return version


def _new_version() -> str:
    return f"{uuid.uuid4().hex}-{time.time():.3f}"  # the time: jipp.replica's lag allowance


def version_age(version: str) -> float:
    """Seconds since ``version`` was made (infinite for a version without a time)."""
    try:
        return max(0.0, time.time() - float(version.rsplit("-", 1)[1]))
    except (IndexError, ValueError):
        return float("inf")


def _bump() -> None:
    cache.set(CONTENT_VERSION_KEY, _new_version(), timeout=None)


def content_changed() -> None:
    """Tell the public page cache that records shown on public pages changed.

    Call it after writes that bypass ``Model.save()``/``delete()`` (``QuerySet.update()``,
    ``bulk_create()``, raw SQL, management commands); saves and deletes of the portal's models call it
    through the receiver below. Costs one cache write.

    It bumps at once, not on commit: registering ``transaction.on_commit`` callbacks here would change
    what the domain's own after-commit work (emails) sees. A page rendered from the old data while
    the transaction is still open could be cached under the new version; the bump that
    ``PublicPageCacheMiddleware`` makes after every signed-in write request (its transactions have
    committed by then) and ``PUBLIC_PAGE_CACHE_SECONDS`` close that window.
    """
    _bump()


def _is_portal_model(model) -> bool:
    """Models of the project's own apps (under BASE_DIR, not in the virtualenv), minus opt-outs."""
    config = apps.get_containing_app_config(model.__module__)
    if config is None or getattr(model, "public_cache_exempt", False):
        return False
    path = str(config.path)
    return path.startswith(str(settings.BASE_DIR)) and "site-packages" not in path


_portal_models: dict[type, bool] = {}


def _content_saved(sender, **kwargs):
    portal = _portal_models.get(sender)
    if portal is None:
        portal = _portal_models[sender] = _is_portal_model(sender)
    if portal and not kwargs.get("raw"):  # raw: loaddata fixtures; the caller flushes the cache
        content_changed()


def connect_signals() -> None:
    """Safety net, connected once from ``JippConfig.ready()``: any save or delete of a portal model
    bumps the content version. Models that change on every request can opt out with a class
    attribute ``public_cache_exempt = True``."""
    post_save.connect(_content_saved, dispatch_uid="jipp.ops.post_save")
    post_delete.connect(_content_saved, dispatch_uid="jipp.ops.post_delete")
    m2m_changed.connect(_m2m_changed, dispatch_uid="jipp.ops.m2m_changed")


def _m2m_changed(sender, instance, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        _content_saved(type(instance))


# --- The shared cache without Redis ---------------------------------------------------------------
class SharedDatabaseCache(DatabaseCache):
    """Django's database cache (table ``jipp_cache``, migration ``jipp/0005``) with an atomic ``incr``.

    Every gunicorn worker and app server reads the same table, so they agree on the content version
    and share cached pages and rate-limit counters. Django's own ``incr`` is a read then a write, so
    two workers counting at once could lose a count; here the row is locked for the increment. Reached
    through its own connection (``CacheRouter``), never inside a request's transaction.
    """

    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        table = connection.ops.quote_name(self._table)
        with transaction.atomic(using=db), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT value, expires FROM {table} WHERE cache_key = %s FOR UPDATE",  # noqa: S608
                [key],
            )
            row = cursor.fetchone()
            if row is None or row[1] < timezone.now():
                raise ValueError(f"Key '{key}' not found")
            value = pickle.loads(base64.b64decode(row[0].encode())) + delta  # noqa: S301 - our own rows
            encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            cursor.execute(f"UPDATE {table} SET value = %s WHERE cache_key = %s", [encoded, key])  # noqa: S608
        return value


class CacheRouter:
    """Sends the database cache's queries to ``settings.JIPP_CACHE_DATABASE`` (a second connection to
    the primary): autocommit, outside the request's transactions, never to the read replica."""

    def _alias(self, model):
        if model._meta.app_label == "django_cache":
            return getattr(settings, "JIPP_CACHE_DATABASE", None) or DEFAULT_DB_ALIAS
        return None

    def db_for_read(self, model, **hints):
        return self._alias(model)

    def db_for_write(self, model, **hints):
        return self._alias(model)

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return None


# --- Database down: a friendly 503 --------------------------------------------------------------
DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 5


def database_unavailable_response(request=None) -> HttpResponse:
    """A static page (no database, no context processors), status 503 with Retry-After."""
    wants_json = request is not None and (
        request.path in ("/healthz", "/readyz") or "application/json" in request.headers.get("Accept", "")
    )
    if wants_json:
        response = JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    else:
        response = HttpResponse(_render_static("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    response.database_unavailable = True  # jipp.replica retries such a request on the primary
    return response


def server_error(request):
    """``handler500``: a database outage anywhere (middleware included) becomes the 503 page; anything
    else the translated 500 page, rendered without the request (no session, no database)."""
    import sys

    exc = sys.exc_info()[1]
    if isinstance(exc, DATABASE_ERRORS):
        return database_unavailable_response(request)
    response = HttpResponse(_render_static("500.html"), status=500)
    response["Cache-Control"] = "no-store"
    return response


# Used only if a layout template itself fails while rendering an error page.
_FALLBACK_PAGE = """<!doctype html>
<html lang="id"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Terjadi kesalahan · Something went wrong · JIPP</title></head>
<body><main><h1>Maaf, terjadi kesalahan · Sorry, something went wrong</h1>
<p>Silakan coba lagi sebentar lagi. · Please try again in a moment.</p><p><a href="/">Beranda · Home</a></p>
</main></body></html>"""


def _render_static(template_name: str) -> str:
    """An error page in the site layout rendered with no request: no context processor, no session,
    no query, in the language the request had already chosen; a plain page if even that fails."""
    try:
        return loader.get_template(template_name).render({"static_error_page": True})
    except Exception:  # noqa: BLE001 - the error page must not fail in turn
        logger.exception("error page %s could not be rendered", template_name)
        return _FALLBACK_PAGE


# --- Error pages (handler400/403/404, CSRF_FAILURE_VIEW, jipp.middleware.ErrorPageMiddleware) -------
def error_page(request, status: int, context=None, *, template=None) -> HttpResponse:
    """The translated page for an error status, in the site layout: what happened and what to do."""
    from django.shortcuts import render

    context = {"status": status, **(context or {})}
    if status == 403 and template is None:
        context.update(_forbidden_context(request))
    response = render(request, template or f"{status}.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


def bad_request(request, exception=None):
    """``handler400``; a request body over Django's limits (too large, too many files) is answered
    413 instead. (Too many fields stays a 400: it is usually a mangled query string.)"""
    from django.core.exceptions import RequestDataTooBig, TooManyFilesSent

    if isinstance(exception, RequestDataTooBig | TooManyFilesSent):
        return error_page(request, 413)
    return error_page(request, 400)


def permission_denied(request, exception=None):
    """``handler403``: advice that fits the person (see ``_forbidden_context``); a view that knows
    who may open the page says so in its ``PermissionDenied`` message, shown to people with a role."""
    who = str(exception.args[0]) if exception is not None and exception.args else ""
    return error_page(request, 403, {"who_may_open": who})


def _forbidden_context(request) -> dict:
    """What the 403 page advises. Anonymous visitors sign in; a signed-in person with no role (an
    applicant) sees where their latest access request stands, or asks for access; staff, officers and
    the ministry already have access, so they read that their role does not include this page and go
    on to their workspace or the search. Roles are read once per request (``access.roles_of``)."""
    from jipp import access
    from jipp.models import AccessRequest

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"denied_for": "anonymous"}
    roles = access.roles_of(user)
    if roles.is_staff_member or roles.is_officer or roles.reads_everything:
        return {"denied_for": "member"}
    latest = AccessRequest.objects.filter(user=user).select_related("agency").order_by("-created_at").first()
    return {"denied_for": "applicant", "access_request": latest}


def page_not_found(request, exception=None):
    """``handler404``."""
    return error_page(request, 404)


def csrf_failure(request, reason=""):
    """``CSRF_FAILURE_VIEW``: a form sent without a valid security token (expired page, cookies off)."""
    return error_page(request, 403, {"csrf_failure": True}, template="403_csrf.html")


# --- Readiness -----------------------------------------------------------------------------------
def _database_ok(alias=DEFAULT_DB_ALIAS) -> bool:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return False
    return True


def _cache_ok() -> bool:
    backend = settings.CACHES["default"]["BACKEND"]
    try:
        if backend.startswith("django_redis"):
            from django_redis import get_redis_connection

            return bool(get_redis_connection("default").ping())
        key = f"ops:readyz:{uuid.uuid4().hex}"
        cache.set(key, 1, timeout=5)
        return cache.get(key) == 1
    except Exception:  # noqa: BLE001 - any failure means "not ready"
        logger.warning("readyz: cache unreachable", exc_info=True)
        return False


@never_cache
@require_safe
def readyz(request):
    """Readiness: 200 when both PostgreSQL and the cache answer, 503 (naming what failed) otherwise.
    Load balancers send traffic only to ready servers; `/healthz` stays the liveness probe."""
    checks = {"database": _database_ok(), "cache": _cache_ok()}
    ok = all(checks.values())
    if settings.JIPP_REPLICA_ALIAS:
        # Reported, not required: without the replica, pages are read from the primary.
        checks["replica"] = _database_ok(settings.JIPP_REPLICA_ALIAS)
    body = {"status": "ok" if ok else "error", **{k: "ok" if v else "unavailable" for k, v in checks.items()}}
    response = JsonResponse(body, status=200 if ok else 503)
    if not ok:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


# --- Worker warm-up ------------------------------------------------------------------------------
def warm_up() -> None:
    """Load translation catalogs, the URLconf and the base templates (no database, no cache)."""
    from django.template import engines
    from django.urls import get_resolver
    from django.utils import translation

    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Home")
    get_resolver().url_patterns  # noqa: B018 - imports every view module
    for name in ("base.html", "404.html", "503.html"):
        try:
            engines["django"].get_template(name)
        except Exception:  # noqa: BLE001 - warming is best effort
            logger.debug("warm_up: template %s not loaded", name)


# --- Structured logs -----------------------------------------------------------------------------
class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, and the record's ``fields``."""

    converter = time.gmtime

    def format(self, record):
        data = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        data.update(getattr(record, "fields", {}))
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False, default=str)
