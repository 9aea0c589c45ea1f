"""PostgreSQL stopped and started again under load, the app server left running.

Checks: while PostgreSQL is down every answer is 200 (a cached page) or the friendly 503 with
Retry-After — never a 500, a stack trace or a dropped connection; /healthz says 503; from one
second after PostgreSQL accepts connections again every request succeeds, with no restart.
"""

import time
from collections import Counter

from _env import Load, fault_env, pg_accepting, pg_ctl, prepare, services_answer
from common import AppServer, Checks, get

PORT = 8771
DOWN_SECONDS = 3


def main():
    checks = Checks("PostgreSQL restart under load")
    if not services_answer():
        checks.check(False, "PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379 answer")
        checks.exit()
    env = fault_env()
    prepare(env)
    server = AppServer(env, PORT, workers=3).start()
    try:
        paths = ["/", "/hub/", "/healthz", "/provinsi/riau/", "/hub/riau/"]
        load = Load(server.base, paths, clients=4).start()
        time.sleep(2)
        down_at = time.monotonic()
        pg_ctl("stop")
        time.sleep(DOWN_SECONDS)
        outage_healthz = get(server.base + "/healthz")
        pg_ctl("start")
        while not pg_accepting():
            time.sleep(0.05)
        up_at = time.monotonic()
        time.sleep(4)
        results = load.stop()
    finally:
        if not pg_accepting():
            pg_ctl("start")
        server.stop()

    # A request still running when the stop began may fairly get the 503: "before" means answered
    # before the outage began.
    before = [r for r in results if r[4] < down_at]
    during = [r for r in results if r[4] >= down_at and r[0] < up_at]
    settle = [r for r in results if up_at <= r[0] < up_at + 1]
    after = [r for r in results if r[0] >= up_at + 1]
    print(
        f"  requests: {len(before)} before, {len(during)} during the outage, {len(settle)} in the first "
        f"second back, {len(after)} after; outage {up_at - down_at:.1f} s"
    )
    print(f"  outcomes during the outage: {dict(Counter(r[2] for r in during))}")

    failed_before = [r[:3] for r in before if r[2] != 200]
    checks.check(
        not failed_before,
        "every request answered before the outage succeeded",
        f"{len(failed_before)} failed: {failed_before[:3]}" if failed_before else f"{len(before)} requests",
    )
    bad = [r for r in during + settle if r[2] not in (200, 503)]
    checks.check(
        not bad,
        "during the outage only 200 (cached) or 503 — no 500, no dropped connection",
        f"{len(bad)} others, e.g. {bad[:2]}" if bad else "",
    )
    unavailable = [r for r in during if r[2] == 503]
    checks.check(
        bool(unavailable), "pages answered 503 while PostgreSQL was down", f"{len(unavailable)} times"
    )
    pages = [r for r in unavailable if not r[1].startswith("/healthz")]
    unfriendly = [r for r in pages if "Retry-After" not in r[3] or "Traceback" in r[3] or "<h1>" not in r[3]]
    example = [(r[1], r[2], r[3][:300]) for r in unfriendly[:1]]
    checks.check(
        bool(pages) and not unfriendly,
        "each page's 503 was the friendly page with Retry-After",
        f"{len(pages)} pages" + (f", e.g. {example}" if unfriendly else ""),
    )
    checks.check(
        outage_healthz.status == 503,
        "/healthz reported 503 during the outage",
        outage_healthz.body.decode()[:80],
    )
    late = [r[0] - up_at for r in settle if r[2] != 200]
    print(
        f"  last failed request started {max(late) * 1000:.0f} ms after PostgreSQL accepted connections"
        if late
        else "  no request failed once PostgreSQL accepted connections"
    )
    failed_after = [r for r in after if r[2] != 200]
    checks.check(
        bool(after) and not failed_after,
        "from 1 s after PostgreSQL accepted connections, every request succeeded (no restart)",
        f"{len(after)} requests, {len(failed_after)} failed"
        + (f": {failed_after[:2]}" if failed_after else ""),
    )
    checks.exit()


if __name__ == "__main__":
    main()
