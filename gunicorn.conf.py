"""gunicorn settings for the portal (used by `make run` and the container image)."""

import gc
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Synchronous workers: the app is I/O-light and PostgreSQL-bound; 2 per core plus one.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# On SIGTERM, workers finish the requests they are serving before exiting.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5
# Recycle workers now and then: bounds memory growth. ops: 10,000 (was 2,000) — workers stay near
# 70 MB (make loadtest), and at 2,000 a busy server recycled a worker every few seconds.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "10000"))
# ops: import the app once in the master and fork workers from it, so a recycled worker answers at
# once instead of spending a second importing Django while requests queue behind it (p99 spikes
# under load). Code changes need a new master (a container restart), not `kill -HUP`.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") == "1"
max_requests_jitter = max_requests // 10
# ops: the app logs one JSON line per request (jipp.ops.middleware.RequestLogMiddleware, with the request
# id); gunicorn's own access log would duplicate it. GUNICORN_ACCESS_LOG=- turns it back on.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def when_ready(server):
    """ops: with the app preloaded, load in the master what each worker would otherwise load on its
    first request (translation catalogs, URLconf, templates), so forked workers start warm. Opens no
    database or cache connection: those must not be shared across the fork."""
    if preload_app:
        from jipp.ops.health import warm_up

        warm_up()
        # ops: everything loaded so far lives as long as the process. Frozen, the workers' garbage
        # collector never walks those ~150,000 objects again (a full collection cost about 70 ms of a
        # request here) and never writes to their pages, which stay shared with the master after the
        # fork (the Python documentation's advice for forking servers).
        gc.collect()
        gc.freeze()
