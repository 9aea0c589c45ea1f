"""Benchmark of the public innovation pages at a given database size: ``make bench BENCH_N=1000000``.

Fills the database up to ``--count`` published innovations with ``generate_innovations`` when it has
fewer, then times requests through Django's whole stack (middleware, views, templates) with the test
client in this process: p50/p95 server-side time and the SQL query count of each case (each search
shape rotating over distinct words, bench/shapes.py, the same shapes as ``make loadtest`` cold mode;
``--requests 20`` for a quick run), and
``EXPLAIN (ANALYZE, BUFFERS)`` of every query of the search and list cases, flagging any sequential
scan of the innovations table. Prints a table with each case's p95 target (100 ms for every search
shape) marked met or missed, and writes JSON to bench/results/. Then the statistics pages
(bench/stats.py) and the signed-in pages an officer and the ministry open every day (bench/signed_in.py:
the busiest hub's officer, first visit and p95, target 200 ms), which no page cache serves.
"""

import argparse
import itertools
import json
import os
import random
import re
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(ROOT / "bench"))
from shapes import COMMON_WORDS, EXCLUSIONS, PHRASES, TWO_WORDS, TYPOS  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jipp.settings")
if not os.environ.get("DATABASE_URL"):  # `make bench` passes one; run by hand, the embedded PostgreSQL
    from jipp import embedded_db

    os.environ["DATABASE_URL"] = embedded_db.ensure_running()
# Measure the work behind the public page cache (jipp.ops.middleware.PublicPageCacheMiddleware): with it
# on, every repeated URL would be a cache hit and the figures would say nothing about search.
os.environ.setdefault("PUBLIC_PAGE_CACHE_SECONDS", "0")

TARGET_MS = {"list": 50, "detail": 50}
DEFAULT_TARGET_MS = 100  # every search shape
UNJUDGED = ("list_per_page_100",)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=100, help="timed requests per case")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--no-generate", action="store_true")
    args = parser.parse_args()

    import django

    django.setup()
    import logging

    logging.getLogger("jipp.request").setLevel(logging.WARNING)  # one line per request would drown the table
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from innovations import search
    from innovations.models import Innovation
    from jipp.models import Province, Regency

    if Regency.objects.count() < 514:
        call_command("load_regions")
    published = Innovation.objects.published().count()
    generation = None
    if published < args.count and not args.no_generate:
        missing = args.count - published
        print(f"Generating {missing:,} innovations (have {published:,}) …", flush=True)
        started = time.monotonic()
        call_command("generate_innovations", count=missing)
        generation = {"rows": missing, "seconds": round(time.monotonic() - started, 1)}
        published = Innovation.objects.published().count()
    print(f"Published innovations: {published:,}", flush=True)

    rng = random.Random(7)
    ids = list(
        Innovation.objects.published().order_by("?").values_list("slug", "acronym")[:400]
        if published < 200_000
        else _sample(connection, 400)
    )
    slugs = [slug for slug, _ in ids]
    acronyms = [acronym for _, acronym in ids if acronym and len(acronym) >= 6 and acronym.isalpha()]
    province = Province.objects.filter(code="35").first() or Province.objects.first()
    province_slugs = list(Province.objects.order_by("code").values_list("slug", flat=True))
    deepest = max(1, search.MAX_DEPTH // search.DEFAULT_PER_PAGE)

    def rotating(params):
        """A URL maker that goes round ``params`` (dicts), one list URL per call."""
        cycle = itertools.cycle(params)
        return lambda: "/inovasi/?" + urlencode(next(cycle))

    words = [{"q": w} for w in COMMON_WORDS]

    def typo(word):
        # One letter replaced by "q", which no synthetic acronym contains: the search finds nothing
        # as typed and must go through "did you mean" (the slow path).
        i = len(word) // 2
        return word[:i] + "q" + word[i + 1 :]

    cases = [
        ("list", lambda: "/inovasi/", "first list page"),
        ("search_rare", lambda: "/inovasi/?q=asmat", "a place name in ~0.2% of records"),
        ("search_common", rotating(words), "a word in most records (pelayanan, masyarakat…)"),
        ("search_two_words", rotating({"q": w} for w in TWO_WORDS), "two words (layanan kesehatan…)"),
        (
            "search_typo",
            lambda: f"/inovasi/?q={typo(rng.choice(acronyms))}",
            "an acronym with one letter wrong (corrected)",
        ),
        ("search_typo_word", rotating({"q": w} for w in TYPOS), "a word one letter off (kesehtan…)"),
        (
            "search_one_facet",
            rotating(
                {"q": w["q"], "province": slug}
                for w, slug in zip(itertools.cycle(words), province_slugs, strict=False)
            ),
            "a common word and a province",
        ),
        (
            "search_faceted",
            rotating(
                {**w, "province": province.slug, "sector": "health", "stage": "implemented"} for w in words
            ),
            "a common word and three facets",
        ),
        ("deep_page", lambda: "/inovasi/?page=50", "page 50 of the list (the deepest allowed)"),
        (
            "search_deep_page",
            rotating({**w, "page": deepest} for w in words),
            f"a common word, page {deepest} (the deepest allowed)",
        ),
        ("detail", lambda: f"/inovasi/{rng.choice(slugs)}/", "a random innovation page"),
        ("search_phrase", rotating({"q": w} for w in PHRASES), 'a phrase ("administrasi kependudukan"…)'),
        (
            "search_exclusion",
            rotating({"q": w} for w in EXCLUSIONS),
            "a word minus another (pelayanan -kesehatan…)",
        ),
        # Not among the targets.
        ("list_per_page_100", lambda: "/inovasi/?per_page=100", "first list page, 100 per page"),
    ]
    client = Client()
    results = []
    for name, make_url, description in cases:
        for _ in range(args.warmup):
            _get(client, make_url())
        timings = []
        for _ in range(args.requests):
            url = make_url()
            started = time.perf_counter()
            response = _get(client, url)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        url = make_url()
        with CaptureQueriesContext(connection) as captured:
            _get(client, url)
        queries = [q["sql"] for q in captured.captured_queries]
        plans = []
        if name != "detail":
            plans = [_explain(connection, sql) for sql in queries if "innovations_innovation" in sql]
        timings.sort()
        target = TARGET_MS.get(name, DEFAULT_TARGET_MS) if name not in UNJUDGED else None
        result = {
            "case": name,
            "description": description,
            "example_url": url,
            "p50_ms": round(statistics.median(timings), 1),
            "p95_ms": round(timings[int(0.95 * (len(timings) - 1))], 1),
            "max_ms": round(timings[-1], 1),
            "queries": len(queries),
            "target_p95_ms": target,
            "seq_scan_of_innovations": any(plan["seq_scan"] for plan in plans),
            "plans": plans,
        }
        results.append(result)
        print(
            f"{name:<20} p50 {result['p50_ms']:7.1f} ms  p95 {result['p95_ms']:7.1f} ms  "
            f"queries {result['queries']:2d}  "
            f"seq scan {'YES' if result['seq_scan_of_innovations'] else 'no'}",
            flush=True,
        )

    print()
    print(
        f"{'case':<20} {'p50 ms':>8} {'p95 ms':>8} {'target':>7} {'queries':>8} {'seq scan':>9}  "
        f"p95 target (and ≤ 10 queries)"
    )
    for r in results:
        if r["target_p95_ms"] is None:
            verdict = "-"
        else:
            r["target_met"] = r["p95_ms"] <= r["target_p95_ms"] and r["queries"] <= 10
            verdict = "met" if r["target_met"] else "MISSED"
        print(
            f"{r['case']:<20} {r['p50_ms']:>8.1f} {r['p95_ms']:>8.1f} {r['target_p95_ms'] or '-':>7} "
            f"{r['queries']:>8} {'YES' if r['seq_scan_of_innovations'] else 'no':>9}  {verdict}"
        )
    judged = [r for r in results if r["target_p95_ms"] is not None]
    print(f"{sum(r['target_met'] for r in judged)} of {len(judged)} targets met")
    # Statistics, coverage and hub pages (target: under 200 ms at 1,000,000 innovations).
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_stats", ROOT / "bench" / "stats.py")
    stats_module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(stats_module)
    print()
    statistics_pages = [
        {"url": url, "cold_median_ms": cold, "warm_median_ms": warm, "target_ms": 200}
        for url, cold, warm in stats_module.run_stats_bench()
    ]
    # Signed-in pages: no page cache serves them, so every visit is cold (target p95 ≤ 200 ms).
    from signed_in import TARGET_MS as SIGNED_IN_TARGET_MS
    from signed_in import run_signed_in_bench

    print(
        f"\nSigned-in pages, a first visit then {args.requests} more each "
        f"(target: first and p95 ≤ {SIGNED_IN_TARGET_MS} ms):"
    )
    signed_in_pages = []
    job_ms, signed_in_results = run_signed_in_bench(args.requests)
    print(f"  (job worker: monitoring counts refreshed in {job_ms:.1f} ms before the first visits)")
    for role, page, url, first, p50, p95, queries in signed_in_results:
        met = p95 <= SIGNED_IN_TARGET_MS and first <= SIGNED_IN_TARGET_MS
        signed_in_pages.append(
            {"role": role, "page": page, "url": url, "first_ms": first, "p50_ms": p50, "p95_ms": p95}
            | {"queries": queries, "met": met}
        )
        label = f"{role}: {page}"
        verdict = "met" if met else "MISSED"
        print(
            f"  {label:<38} first {first:6.1f} ms  p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  "
            f"queries {queries:3d}  {verdict}"
        )
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"bench-{published}-{datetime.now():%Y%m%d-%H%M%S}.json"
    path.write_text(
        json.dumps(
            {
                "published_innovations": published,
                "generation": generation,
                "requests": args.requests,
                "results": results,
                "statistics": statistics_pages,
                "signed_in": signed_in_pages,
                "monitoring_counts_job_ms": job_ms,
            },
            indent=2,
            default=str,
        )
    )
    print(f"\nWrote {path.relative_to(ROOT)}")
    return 0


def _get(client, url):
    return client.get(url, HTTP_HOST="localhost")


def _sample(connection, n):
    # A cheap random sample of a big table: TABLESAMPLE reads a few pages, not the whole table.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT slug, acronym FROM innovations_innovation TABLESAMPLE SYSTEM (0.1) "
            "WHERE status = 'published' LIMIT %s",
            [n],
        )
        return cursor.fetchall()


_GUARD = re.compile(r"^((?:SET LOCAL [^;]+;\s*)+)(.*)$", re.S)


def _explain(connection, sql):
    from django.db import transaction

    match = _GUARD.match(sql)
    prefix, statement = (match.group(1), match.group(2)) if match else ("", sql)
    with transaction.atomic(), connection.cursor() as cursor:
        for setting in filter(None, (s.strip() for s in prefix.split(";"))):
            cursor.execute(setting)
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement)
        lines = [row[0] for row in cursor.fetchall()]
        transaction.set_rollback(True)
    return {
        "sql": statement[:2000],
        "seq_scan": any("Seq Scan on innovations_innovation" in line for line in lines),
        "plan": lines,
    }


if __name__ == "__main__":
    sys.exit(main())
