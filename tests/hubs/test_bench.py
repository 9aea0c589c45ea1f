"""bench/stats.py runs against whatever is in the database (here the test world) and reports each page."""

import importlib.util
import io
from pathlib import Path

from tests.hubs.conftest import make_innovation


def _bench_module():
    path = Path(__file__).resolve().parents[2] / "bench" / "stats.py"
    spec = importlib.util.spec_from_file_location("bench_stats", path)
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
