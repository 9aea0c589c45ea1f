"""Reads from a PostgreSQL read replica, when one is configured (``DATABASE_REPLICA_URL``).

Only anonymous GET and HEAD requests read from the replica: they are the public's pages, which
tolerate a moment of replication lag and are most of the traffic. Everything else reads from the
primary, so staff and officers always see what they just saved, and every write, transaction and
migration goes to the primary.

- ``ReplicaReadsMiddleware`` marks such a request (a context variable, so threads and async tasks do
  not share it). If the replica fails during the request (the page would be the 503), the request is
  served again from the primary: a replica outage never takes the public site down.
- ``ReplicaRouter`` sends ORM reads of marked requests to the replica, except inside a transaction.
- ``read_connection()`` is the same choice for raw SQL (search, lineage, statistics).
- Page-cache staleness: a page rendered from the replica shortly after a change may predate it, so
  ``jipp.ops.middleware.PublicPageCacheMiddleware`` keeps such a page only ``REPLICA_MAX_LAG_SECONDS``.

Without ``DATABASE_REPLICA_URL``, ``JIPP_REPLICA_ALIAS`` is None and all of this is inert.
"""

import logging
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

logger = logging.getLogger("jipp.ops.replica")
_reading_from_replica: ContextVar[bool] = ContextVar("jipp_reading_from_replica", default=False)


def replica_alias() -> str | None:
    return settings.JIPP_REPLICA_ALIAS


def reads_from_replica() -> bool:
    """True while serving a request whose reads go to the replica (outside transactions)."""
    return (
        _reading_from_replica.get()
        and replica_alias() is not None
        and not connections[DEFAULT_DB_ALIAS].in_atomic_block
    )


def read_alias() -> str:
    return replica_alias() if reads_from_replica() else DEFAULT_DB_ALIAS


def read_connection():
    """The connection raw read-only SQL should use for the current request."""
    return connections[read_alias()]


@contextmanager
def replica_reads(enabled: bool = True):
    token = _reading_from_replica.set(enabled)
    try:
        yield
    finally:
        _reading_from_replica.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return read_alias()

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same data on both

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


class ReplicaReadsMiddleware:
    """Anonymous GET/HEAD requests (no session cookie) read from the replica; on a replica failure
    the request is served again from the primary."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not (
            replica_alias() is not None
            and request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
        ):
            return self.get_response(request)
        with replica_reads():
            response = self.get_response(request)
        if getattr(response, "database_unavailable", False):
            logger.warning("replica unavailable: %s served from the primary", request.path)
            connections[replica_alias()].close()
            response = self.get_response(request)
        return response
