"""bench/stats.py runs against whatever is in the database (here the test world) and reports each page."""

import importlib.util
import io
from pathlib import Path

from tests.hubs.conftest import make_innovation


def _bench_module(name="stats"):
    path = Path(__file__).resolve().parents[2] / "bench" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"bench_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_stats_bench_times_every_statistics_page(world):
    make_innovation(world.pekanbaru)
    out = io.StringIO()
    results = _bench_module().run_stats_bench(count=None, runs=2, out=out)
    urls = [url for url, _cold, _warm in results]
    assert urls == [
        "/statistik/",
        "/statistik/?peta=coverage",
        "/statistik/cakupan/",
        "/statistik/cakupan/riau/",
        "/hub/riau/",
    ]
    assert all(cold > 0 and warm > 0 for _url, cold, warm in results)
    assert "Statistics pages at 1 innovations" in out.getvalue()


def test_signed_in_bench_opens_every_daily_page_with_the_job_counts_in_place(world, settings):
    from django.contrib.auth import get_user_model
    from django.core.cache import cache

    from hubs import monitoring

    settings.ALLOWED_HOSTS = ["localhost"]  # as make bench runs it
    make_innovation(world.pekanbaru)
    cache.delete(monitoring._due_counts_key())
    users = get_user_model().objects.count()
    job_ms, results = _bench_module("signed_in").run_signed_in_bench(requests=3, warmup=1)
    assert job_ms > 0
    assert cache.get(monitoring._due_counts_key()) is not None  # what the first visits found
    pages = [(role, page) for role, page, *_ in results]
    assert ("ministry", "monitoring") in pages and ("officer", "monitoring riau") in pages
    assert ("officer", "replication queue") in pages and ("staff", "workspace") in pages
    assert all(first > 0 and p95 >= p50 > 0 and queries > 0 for *_, first, p50, p95, queries in results)
    assert get_user_model().objects.count() == users  # the benchmark's people were rolled back
