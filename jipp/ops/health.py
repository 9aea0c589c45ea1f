"""Liveness (``/healthz``), readiness (``/readyz``) and the worker warm-up."""

import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import (
    DEFAULT_DB_ALIAS,
    DatabaseError,
    connection,
    connections,
)
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from jipp.ops.errors import RETRY_AFTER_SECONDS

logger = logging.getLogger("jipp.ops")


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


@never_cache
@require_safe
def healthz(request):
    """Liveness with a database round trip: 200 when PostgreSQL answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
