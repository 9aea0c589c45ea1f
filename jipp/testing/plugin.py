"""pytest plugin, loaded early (``-p jipp.testing.plugin``): before Django's settings are read, ask for
the embedded PostgreSQL when no ``DATABASE_URL`` is given, so ``pytest`` alone works on a fresh clone."""

import os

if not os.environ.get("DATABASE_URL"):
    os.environ.setdefault("JIPP_EMBEDDED_DB", "1")
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
