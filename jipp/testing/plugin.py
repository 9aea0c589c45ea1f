"""pytest plugin, loaded early (``-p jipp.testing.plugin``): before Django's settings are read, start
the embedded PostgreSQL when no ``DATABASE_URL`` is given and pass its URL on as ``DATABASE_URL``, so
``pytest`` alone works on a fresh clone. A given ``DATABASE_URL`` wins.

Under pytest-xdist this runs in the controlling process and in every worker: the controller starts the
server and the workers inherit its ``DATABASE_URL``; ``embedded_db.ensure_running`` holds a file lock
under var/ while it starts the server, so processes that get here at once still start exactly one.
Each worker gets its own test database from pytest-django (test_jipp_gw0, test_jipp_gw1, ...)."""

import os

if not os.environ.get("DATABASE_URL"):
    from jipp import embedded_db

    os.environ["DATABASE_URL"] = embedded_db.ensure_running()
# Tests run with production-like settings; a fixed key keeps them independent of the environment.
os.environ.setdefault("SECRET_KEY", "test-only-" + "k" * 60)
os.environ.setdefault("JIPP_INSECURE_HTTP", "1")
# ops: the public page cache is off for the suite as a whole, so tests that read a page twice or count
# queries see the view itself; tests/ops turns it on (fixture page_cache) and walks every public page
# through it.
os.environ.setdefault("PUBLIC_PAGE_CACHE_SECONDS", "0")
# ops: a "replica" alias on the same test database, idle unless a test turns replica reads on.
os.environ.setdefault("JIPP_TEST_REPLICA_MIRROR", "1")
# ops: without REDIS_URL deployments share a cache table in PostgreSQL; the suite keeps a local-memory
# cache (most tests have no database access), and tests/ops/test_shared_cache.py runs the real default
# in separate processes.
os.environ.setdefault("JIPP_TEST_LOCAL_CACHE", "1")
