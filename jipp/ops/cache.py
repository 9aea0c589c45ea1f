"""The public page cache's content version, and the shared PostgreSQL cache used without Redis.

Infrastructure, not domain flow: the one signal receiver here (``_content_saved``) only bumps a cache
version so that cached public pages are re-rendered; it never changes data (docs/deploy.md).
"""

import base64
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
    connections,
    router,
    transaction,
)
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

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
    return f"{uuid.uuid4().hex}-{time.time():.3f}"  # the time: jipp.ops.replica's lag allowance


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
