"""`make loadtest`: the portal under gunicorn with production settings, driven over loopback by wrk.

1. Prepares the database (migrations, regions, demo data, `generate_innovations --count N` when that
   command exists) and static files.
2. Starts gunicorn (gunicorn.conf.py, WEB_CONCURRENCY workers) with REDIS_URL when Redis answers.
3. For each page type — home, list, search, detail, statistics, /healthz — runs wrk from a second
   process (bench/wrk_report.lua) and reports req/s, p50/p95/p99, non-2xx and errors, and the
   throughput as a ratio of /healthz. Each page type rotates over several URLs (10 searches, 100
   innovation pages), fetched once beforehand as visitors would have: this is the portal as
   deployed, with the public page cache. "cold" rows give every request a URL never seen before,
   so the cache cannot answer: they measure the page itself (reported, not judged).
4. Prints each worker's memory after the run and checks the targets on the deployed rows (detail
   ≥ 300 req/s at p95 ≤ 100 ms, search ≥ 100 req/s at p95 ≤ 250 ms), no errors anywhere, and
   workers < 200 MB.

Options: --count N (default 100000), --duration S (10), --connections C (16), --port P (18765),
--skip-setup, --cold. Results also go to bench/results/loadtest.json.

Cold mode (``make loadtest ARGS=--cold`` or ``make loadtest LOADTEST_MODE=cold``): nothing is served
from the page cache. Every request is a URL never seen before: bench/wrk_report.lua adds
``lt=<run>.<thread>.<n>`` (a fresh run token per wrk run, so neither threads nor the warm-up run share
URLs with the measured one). The page cache keys on every parameter except tracking ones (``utm_*``,
``fbclid``...; jipp.ops.middleware.TRACKING_PARAM) and no view reads ``lt``; both are checked at the
start (same URL twice: miss then hit; another ``lt``: miss; the page itself unchanged). In one run, with
/healthz measured first and last (its mean is the reference), it reports req/s, p50, p95 and p99 of:
the innovation page (100 records), home, the list, statistics, and search shapes, each rotating over
several words so that no cache keyed by normalized words could answer either: one common word, two
words, a typo, a word and a province, a word and three facets (province, sector, year; values taken
from records in the database), a phrase, an exclusion, and the deepest page a common word allows
(MAX_DEPTH // DEFAULT_PER_PAGE in innovations/search.py). Goals, each printed met or missed: the
innovation page ≥ 0.5× /healthz req/s; home, list and statistics ≥ 0.3×; every search shape ≥ 0.1×
with p99 ≤ 500 ms; no non-2xx and no errors; every worker < 200 MB. Also prints a Markdown table
(page | req/s | ratio | p50 | p95 | p99) and writes bench/results/loadtest-cold.json. Application
data caches (home figures, national statistics) are not cleared: only the page cache is bypassed.
A reference row, reported and not judged, measures the floor under every page: the "not found" page
for a path no URL matches, i.e. the whole middleware stack and the site's layout with no query and
no content (its 404s are expected).
"""

import argparse
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, AppServer, django_eval, get, has_command, manage, port_open, production_env  # noqa: E402
from shapes import COMMON_WORDS, EXCLUSIONS, PHRASES, TWO_WORDS, TYPOS  # noqa: E402

TARGETS = {"detail": (300, 100), "search": (100, 250)}
MEMORY_LIMIT_MB = 200

URLS_CODE = r"""
from django.urls import NoReverseMatch, reverse
def first(*names):
    for name in names:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return None
from innovations.models import Innovation
published = Innovation.objects.filter(status="published").order_by("-published_at", "-id")
details = []
for slug in published.values_list("slug", flat=True)[:100]:
    try:
        details.append(reverse("innovations:detail", kwargs={"slug": slug}))
    except NoReverseMatch:
        break
listing = first("innovations:list", "innovations:innovation_list", "innovations:index", "innovations:search")
stats = first("statistics", "statistics:index", "stats:index", "hubs:statistics", "jipp:statistics",
              "innovations:statistics", "statistics_index")
terms = ["pelayanan", "kesehatan", "perizinan daring", "kependudukan", "sekolah", "pajak daerah",
         "posyandu", "antrean", "desa digital", "sampah"]
result = {
    "home": ["/"],
    "list": [listing] if listing else [],
    "list page 2": [listing + "?page=2"] if listing else [],
    "search": [f"{listing}?q={t.replace(' ', '+')}" for t in terms] if listing else [],
    "detail": details,
    "statistics": [stats] if stats else [],
    "healthz": ["/healthz"],
    "innovations": Innovation.objects.count(),
}
"""


def prepare(env, count):
    print("== Preparing the database (migrate, regions, demo data)", flush=True)
    manage(env, "migrate", "--noinput")
    manage(env, "load_regions")
    manage(env, "seed_demo")
    if has_command(env, "generate_innovations"):
        have = django_eval(
            env, "from innovations.models import Innovation\nresult = Innovation.objects.count()"
        )
        if have < count:
            print(f"== generate_innovations --count {count} (have {have})", flush=True)
            started = time.monotonic()
            manage(env, "generate_innovations", "--count", str(count))
            print(f"   done in {time.monotonic() - started:.0f} s", flush=True)
        else:
            print(f"== {have} innovations already present", flush=True)
    else:
        print("== generate_innovations not available yet: measuring with the demo data only", flush=True)
    manage(env, "collectstatic", "--noinput", "-v", "0")


def run_wrk(base, paths, *, duration, connections, unique=False) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
        handle.write("\n".join(paths) + "\n")
        paths_file = handle.name
    cmd = [
        "wrk",
        "-t2",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "10s",
        "-s",
        str(ROOT / "bench" / "wrk_report.lua"),
        base,
        "--",
        paths_file,
        "unique" if unique else "repeat",
        secrets.token_hex(4),  # this run's token in lt=: no URL of an earlier run comes back
    ]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    Path(paths_file).unlink()
    line = next(line for line in out.splitlines() if line.startswith("RESULT "))
    data = json.loads(line[7:])
    data["rps"] = data["requests"] / (data["duration_us"] / 1e6)
    data["errors"] = data["connect"] + data["read"] + data["write"] + data["timeout"]
    return data


# --- Cold mode (--cold): every request a URL never seen before --------------------------------------

COLD_GOALS = {"innovation page": 0.5, "home": 0.3, "list": 0.3, "statistics": 0.3}
SEARCH_GOAL_RATIO, SEARCH_GOAL_P99_MS = 0.1, 500
UNIQUE_PARAM = "lt"  # added by bench/wrk_report.lua in "unique" mode
# The floor under every page: middleware and the layout, no query (a path no URL pattern matches).
FLOOR_ROW, FLOOR_PATH, FLOOR_STATUS = "reference: layout only", "/halaman-tidak-ada/", 404

COLD_CODE = r"""
from django.urls import reverse
from innovations import search
from innovations.models import Innovation
published = Innovation.objects.filter(status="published")
newest = published.order_by("-published_at", "-id")
slugs = newest.values_list("slug", flat=True)[:100]
details = [reverse("innovations:detail", kwargs={"slug": slug}) for slug in slugs]
# Facet values from real records (the newest 2,000 with a start date): each combination has a record.
rows = list(
    newest.filter(started_on__isnull=False)
    .values_list("province__slug", "sector", "started_on__year")[:2000]
)
provinces = []
for province, _sector, _year in rows:
    if province not in provinces:
        provinces.append(province)
combos = list(dict.fromkeys(rows))
result = {
    "list": reverse("innovations:list"),
    "statistics": reverse("statistics"),
    "details": details,
    "provinces": provinces[:20],
    "combos": combos[::max(1, len(combos) // 20)][:20],
    "deep_page": max(1, search.MAX_DEPTH // search.DEFAULT_PER_PAGE),
    "innovations": published.count(),
}
"""


def cold_rows(data) -> list[tuple[str, list[str], bool]]:
    """[(row name, paths, is a search shape)] in the order measured; /healthz first and last."""
    listing = data["list"]

    def searches(params_list):
        return [f"{listing}?{urlencode(params)}" for params in params_list]

    provinces = data["provinces"] or [None]
    combos = data["combos"]
    one_facet = [
        {"q": COMMON_WORDS[i % len(COMMON_WORDS)], "province": provinces[i % len(provinces)]}
        for i in range(max(len(COMMON_WORDS), len(provinces)))
        if provinces[i % len(provinces)]
    ]
    three_facets = [
        {"q": COMMON_WORDS[i % len(COMMON_WORDS)], "province": p, "sector": s, "year": y}
        for i, (p, s, y) in enumerate(combos)
    ]
    rows = [
        ("healthz", ["/healthz"], False),
        (FLOOR_ROW, [FLOOR_PATH], False),
        ("innovation page", data["details"], False),
        ("home", ["/"], False),
        ("list", [listing], False),
        ("statistics", [data["statistics"]], False),
        ("search: one common word", searches({"q": w} for w in COMMON_WORDS), True),
        ("search: two words", searches({"q": w} for w in TWO_WORDS), True),
        ("search: typo", searches({"q": w} for w in TYPOS), True),
        ("search: word + province", searches(one_facet), True),
        ("search: word + 3 facets", searches(three_facets), True),
        ("search: phrase", searches({"q": w} for w in PHRASES), True),
        ("search: exclusion", searches({"q": w} for w in EXCLUSIONS), True),
        (
            f"search: page {data['deep_page']}",
            searches({"q": w, "page": data["deep_page"]} for w in COMMON_WORDS),
            True,
        ),
        ("healthz (end)", ["/healthz"], False),
    ]
    return [row for row in rows if row[1]]


_VOLATILE = re.compile(rb'(nonce|value)="[^"]*"')


def check_cache_key(base, path) -> tuple[bool, str]:
    """The extra parameter is part of the page cache key and changes nothing else on the page."""
    sep = "&" if "?" in path else "?"
    token = secrets.token_hex(4)
    a, b = f"{path}{sep}{UNIQUE_PARAM}=probe{token}a", f"{path}{sep}{UNIQUE_PARAM}=probe{token}b"
    first, again, other = (get(base + url, timeout=60) for url in (a, a, b))
    seen = [r.header("X-Page-Cache") for r in (first, again, other)]
    if seen == [None, None, None]:
        return True, "page cache off (PUBLIC_PAGE_CACHE_SECONDS=0): every request is cold anyway"
    same_page = _VOLATILE.sub(b"", first.body.replace(f"probe{token}a".encode(), b"")) == _VOLATILE.sub(
        b"", other.body.replace(f"probe{token}b".encode(), b"")
    )
    ok = seen == ["miss", "hit", "miss"] and same_page
    detail = f"X-Page-Cache {'/'.join(str(s) for s in seen)} (want miss/hit/miss)"
    return ok, detail + ("" if same_page else "; the page differs with another lt value")


def run_cold(env, args, redis_url) -> int:
    data = django_eval(env, COLD_CODE)
    print(
        f"== cold mode: {data['innovations']} innovations; Redis: {redis_url or 'no (local memory cache)'}; "
        f"{args.duration} s per row, {args.connections} connections",
        flush=True,
    )
    rows_spec = cold_rows(data)
    server = AppServer(env, args.port, log=ROOT / "var" / "loadtest-gunicorn.log").start()
    rows, failures = [], []
    try:
        probe_path = next(paths[0] for _name, paths, is_search in rows_spec if is_search)
        key_ok, key_detail = check_cache_key(server.base, probe_path)
        print(f"   page cache key includes {UNIQUE_PARAM}=: {'yes' if key_ok else 'NO'} ({key_detail})")
        if not key_ok:
            failures.append(f"the page cache does not key on {UNIQUE_PARAM}= as expected: {key_detail}")
        # Every URL answers 200, the floor row 404 (with an lt= of its own, so nothing measured later
        # is warmed).
        probe = secrets.token_hex(4)
        for name, paths, _search in rows_spec:
            for path in paths:
                sep = "&" if "?" in path else "?"
                status = get(f"{server.base}{path}{sep}{UNIQUE_PARAM}=check{probe}", timeout=60).status
                if status != (FLOOR_STATUS if name == FLOOR_ROW else 200):
                    raise SystemExit(f"{name}: {path} answered {status}")
        for name, paths, is_search in rows_spec:
            run_wrk(server.base, paths, duration=1, connections=args.connections, unique=True)  # warm-up
            result = run_wrk(
                server.base, paths, duration=args.duration, connections=args.connections, unique=True
            )
            rows.append(
                {"page": name, "search": is_search, "urls": len(paths), "example": paths[0], **result}
            )
            print(
                f"   {name:<26} {result['rps']:8.1f} req/s  p95 {result['p95_us'] / 1000:7.1f} ms"
                f"  p99 {result['p99_us'] / 1000:7.1f} ms",
                flush=True,
            )
        memory = server.worker_rss_mb()
    finally:
        server.stop()

    health_rows = [r for r in rows if r["page"].startswith("healthz")]
    health = sum(r["rps"] for r in health_rows) / len(health_rows)
    for row in rows:
        row["ratio"] = row["rps"] / health
    goals = []

    def goal(what, ok, detail):
        goals.append({"goal": what, "met": ok, "detail": detail})

    for row in rows:
        if row["page"] in COLD_GOALS:
            want = COLD_GOALS[row["page"]]
            goal(f"{row['page']} ≥ {want}× /healthz", row["ratio"] >= want, f"{row['ratio']:.2f}×")
        elif row["search"]:
            p99 = row["p99_us"] / 1000
            goal(
                f"{row['page']} ≥ {SEARCH_GOAL_RATIO}× /healthz, p99 ≤ {SEARCH_GOAL_P99_MS} ms",
                row["ratio"] >= SEARCH_GOAL_RATIO and p99 <= SEARCH_GOAL_P99_MS,
                f"{row['ratio']:.2f}×, p99 {p99:.0f} ms",
            )
    bad = [
        f"{r['page']}: {r['non2xx']} non-2xx, {r['errors']} errors"
        for r in rows
        if (r["non2xx"] and r["page"] != FLOOR_ROW) or r["errors"]
    ]
    goal("no non-2xx, no errors", not bad, "; ".join(bad) or "none")
    biggest = max(memory.values(), default=0)
    goal(f"worker RSS < {MEMORY_LIMIT_MB} MB", biggest < MEMORY_LIMIT_MB, f"largest {biggest} MB")
    goal(f"page cache keys on {UNIQUE_PARAM}= (requests really cold)", key_ok, key_detail)

    print()
    print(
        f"{'page':<26} {'req/s':>8} {'ratio':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
        f"{'non-2xx':>8} {'errors':>7}"
    )
    for r in rows:
        print(
            f"{r['page']:<26} {r['rps']:8.1f} {r['ratio']:6.2f}x {r['p50_us'] / 1000:8.1f} "
            f"{r['p95_us'] / 1000:8.1f} {r['p99_us'] / 1000:8.1f} {r['non2xx']:8d} {r['errors']:7d}"
        )
    print(
        f"(ratio: req/s over /healthz, the mean of its two rows, {health:.1f} req/s; "
        f"every request a URL never seen before)"
    )
    print("\nworker memory after the run (RSS): " + ", ".join(f"{mb} MB" for mb in memory.values()))
    print("\nexample URLs (each row rotates over several):")
    for r in rows:
        if r["search"]:
            print(f"  {r['page']:<26} {r['example']}  ({r['urls']} URLs)")

    print("\nMarkdown:\n")
    print(
        f"Cold pages, {data['innovations']:,} innovations, {args.connections} connections, "
        f"{args.duration} s a row.\n"
    )
    print("| page | req/s | ratio | p50 | p95 | p99 |")
    print("|---|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['page']} | {r['rps']:.0f} | {r['ratio']:.2f}× | {r['p50_us'] / 1000:.1f} ms "
            f"| {r['p95_us'] / 1000:.1f} ms | {r['p99_us'] / 1000:.1f} ms |"
        )

    print("\nGoals:")
    for g in goals:
        print(f"  [{'met   ' if g['met'] else 'MISSED'}] {g['goal']} — {g['detail']}")
    failures += [g["goal"] for g in goals if not g["met"]]
    results_dir = ROOT / "bench" / "results"
    results_dir.mkdir(parents=True, exist_ok=True)
    (results_dir / "loadtest-cold.json").write_text(
        json.dumps(
            {
                "mode": "cold",
                "innovations": data["innovations"],
                "duration_s": args.duration,
                "connections": args.connections,
                "healthz_rps": health,
                "rows": rows,
                "goals": goals,
                "memory_mb": memory,
            },
            indent=1,
        )
    )
    met = sum(g["met"] for g in goals)
    print(f"\n{met} of {len(goals)} goals met; results in bench/results/loadtest-cold.json")
    return 1 if failures else 0


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--port", type=int, default=18765)
    parser.add_argument("--skip-setup", action="store_true")
    parser.add_argument(
        "--cold",
        action="store_true",
        default=os.environ.get("LOADTEST_MODE", "").strip().lower() == "cold",
        help="every request a new URL; pages and search shapes against the goals (LOADTEST_MODE=cold)",
    )
    args = parser.parse_args()

    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (Debian package wrk; `make loadtest` installs it)")
    redis_url = "redis://127.0.0.1:6379/2" if port_open("127.0.0.1", 6379) else None
    env = production_env(REDIS_URL=redis_url)
    if not args.skip_setup:
        prepare(env, args.count)
    if args.cold:  # nothing to flush: no URL measured was ever requested before
        raise SystemExit(run_cold(env, args, redis_url))
    urls = django_eval(env, URLS_CODE)
    print(f"== {urls.pop('innovations')} innovations; Redis: {redis_url or 'no (local memory cache)'}")
    if redis_url:
        subprocess.run(["redis-cli", "-n", "2", "FLUSHDB"], capture_output=True)

    server = AppServer(env, args.port, log=ROOT / "var" / "loadtest-gunicorn.log").start()
    rows = []
    try:
        for page, paths in urls.items():
            if not paths:
                rows.append({"page": page, "missing": True})
                continue
            with ThreadPoolExecutor(4) as pool:  # every URL once: visitors came before
                statuses = list(pool.map(lambda path: get(server.base + path, timeout=60).status, paths))
            bad = [(path, status) for path, status in zip(paths, statuses, strict=True) if status != 200]
            if bad:
                raise SystemExit(f"{page}: {bad[:3]} did not answer 200")
            variants = [("", False)]
            if page not in ("healthz",):
                variants.append((" (cold)", True))
            for suffix, unique in variants:
                run_wrk(server.base, paths, duration=2, connections=args.connections, unique=unique)  # warm
                result = run_wrk(
                    server.base, paths, duration=args.duration, connections=args.connections, unique=unique
                )
                rows.append({"page": page + suffix, **result})
                print(
                    f"   {page + suffix:<20} {result['rps']:8.1f} req/s"
                    f"  p95 {result['p95_us'] / 1000:7.1f} ms",
                    flush=True,
                )
        memory = server.worker_rss_mb()
    finally:
        server.stop()

    health = next(r for r in rows if r["page"] == "healthz")["rps"]
    print()
    print(
        f"{'page':<20} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
        f"{'non-2xx':>8} {'errors':>7} {'/healthz':>9}"
    )
    for row in rows:
        if row.get("missing"):
            print(f"{row['page']:<20} {'(page not available yet)':>40}")
            continue
        print(
            f"{row['page']:<20} {row['rps']:8.1f} {row['p50_us'] / 1000:8.1f} {row['p95_us'] / 1000:8.1f} "
            f"{row['p99_us'] / 1000:8.1f} {row['non2xx']:8d} {row['errors']:7d} {row['rps'] / health:8.2f}x"
        )
    print("(cold rows: every request a new URL, so the page cache cannot answer; reported, not judged)")
    print("\nworker memory after the run (RSS): " + ", ".join(f"{mb} MB" for mb in memory.values()))

    failures = []
    for row in rows:
        if not row.get("missing") and (row["non2xx"] or row["errors"]):
            failures.append(f"{row['page']}: {row['non2xx']} non-2xx, {row['errors']} errors")
    for page, (min_rps, max_p95) in TARGETS.items():
        for row in rows:
            if row["page"] == page and not row.get("missing"):
                if row["rps"] < min_rps or row["p95_us"] / 1000 > max_p95:
                    failures.append(
                        f"{row['page']}: {row['rps']:.0f} req/s at p95 {row['p95_us'] / 1000:.0f} ms "
                        f"(target ≥ {min_rps} req/s at p95 ≤ {max_p95} ms)"
                    )
    unmeasured = [
        page for page in TARGETS if not any(r["page"] == page and not r.get("missing") for r in rows)
    ]
    if unmeasured:
        print(f"\nnot measured (pages not available yet): targets for {', '.join(unmeasured)}")
    if any(mb >= MEMORY_LIMIT_MB for mb in memory.values()):
        failures.append(f"worker memory {max(memory.values())} MB ≥ {MEMORY_LIMIT_MB} MB")
    results_dir = ROOT / "bench" / "results"
    results_dir.mkdir(parents=True, exist_ok=True)
    (results_dir / "loadtest.json").write_text(json.dumps({"rows": rows, "memory_mb": memory}, indent=1))
    verdict = "targets met" if not failures else "targets missed:\n  " + "\n  ".join(failures)
    print("\n" + verdict + (" (for the pages measured)" if unmeasured and not failures else ""))
    raise SystemExit(1 if failures else 0)


if __name__ == "__main__":
    main()
