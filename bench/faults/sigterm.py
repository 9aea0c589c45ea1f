"""SIGTERM to gunicorn under load: every request a worker had started completes (graceful timeout),
none fails, and the master exits cleanly.

One client per worker keeps every worker busy with uncached pages (each a new URL). Every request
started before the signal must complete with 200. A request started after it may be refused or reset
before any response (gunicorn has stopped taking new work; the load balancer, which deregisters a
server before stopping it, retries elsewhere); a 5xx or a truncated response is a failure either way.
"""

import signal
import time
from collections import Counter

from _env import Load, fault_env, prepare, services_answer
from common import AppServer, Checks

PORT = 8772
WORKERS = 3


def main():
    checks = Checks("SIGTERM to gunicorn under load")
    if not services_answer():
        checks.check(False, "PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379 answer")
        checks.exit()
    env = fault_env()
    prepare(env)
    server = AppServer(env, PORT, workers=WORKERS).start()
    load = Load(server.base, ["/", "/hub/", "/provinsi/riau/", "/hub/riau/"], clients=WORKERS)
    load.stop_on_refused = True
    load.start()
    time.sleep(3)
    sent_at = time.monotonic()
    server.proc.send_signal(signal.SIGTERM)
    code = server.proc.wait(timeout=60)
    stopped_at = time.monotonic()
    results = load.stop()
    server._log.close()

    before = [r for r in results if r[0] < sent_at]
    around = [r for r in results if r[0] >= sent_at]
    outcomes = Counter(r[2] for r in results)
    print(f"  {len(results)} requests; {len(around)} started after SIGTERM; outcomes {dict(outcomes)}")
    print(f"  gunicorn stopped {stopped_at - sent_at:.2f} s after SIGTERM, exit code {code}")
    not_taken = ("ConnectionRefusedError", "ConnectionResetError")
    failed_before = [r for r in before if r[2] != 200]
    failed_after = [r for r in around if r[2] != 200 and r[2] not in not_taken]
    in_flight = before[-WORKERS:]
    checks.check(
        len(before) > 50, "the server was under load when SIGTERM arrived", f"{len(before)} requests"
    )
    checks.check(
        all(r[2] == 200 for r in in_flight),
        "the requests in flight at SIGTERM completed with 200",
        f"the last {len(in_flight)} started before the signal",
    )
    checks.check(
        not failed_before,
        "no request started before SIGTERM failed",
        f"{len(failed_before)} failed: {failed_before[:3]}" if failed_before else f"{len(before)} requests",
    )
    checks.check(
        not failed_after,
        "requests started after SIGTERM were served or not taken (no 5xx, no truncation)",
        f"{len(failed_after)} failed: {failed_after[:3]}"
        if failed_after
        else f"{sum(r[2] == 200 for r in around)} served, {sum(r[2] in not_taken for r in around)} not taken",
    )
    checks.check(code == 0, "gunicorn exited cleanly", f"exit code {code}")
    checks.exit()


if __name__ == "__main__":
    main()
