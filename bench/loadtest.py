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
--skip-setup. Results also go to bench/results/loadtest.json.
"""

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, AppServer, django_eval, get, has_command, manage, port_open, production_env  # noqa: E402

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
    ]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    Path(paths_file).unlink()
    line = next(line for line in out.splitlines() if line.startswith("RESULT "))
    data = json.loads(line[7:])
    data["rps"] = data["requests"] / (data["duration_us"] / 1e6)
    data["errors"] = data["connect"] + data["read"] + data["write"] + data["timeout"]
    return data


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--port", type=int, default=18765)
    parser.add_argument("--skip-setup", action="store_true")
    args = parser.parse_args()

    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (Debian package wrk; `make loadtest` installs it)")
    redis_url = "redis://127.0.0.1:6379/2" if port_open("127.0.0.1", 6379) else None
    env = production_env(REDIS_URL=redis_url)
    if not args.skip_setup:
        prepare(env, args.count)
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
