"""SIGTERM to gunicorn under load: every request a worker had taken completes (graceful timeout),
none fails, and the master exits cleanly.

One client per worker keeps every worker busy with uncached pages (each a new URL). The server says
which requests reached a worker (bench/faults/gunicorn_traced.py): each of those must complete with
200, before or after the signal. A connection no worker took (still queued in the listen backlog, or
made after the signal) may be refused or reset before any response: gunicorn has stopped taking new
work, and the load balancer, which deregisters a server before stopping it, retries elsewhere. A 5xx
or a truncated response is a failure either way.
"""

import signal
import time
from collections import Counter

from _env import Load, fault_env, prepare, services_answer
from common import VAR, AppServer, Checks

PORT = 8772
WORKERS = 3


def main():
    checks = Checks("SIGTERM to gunicorn under load")
    if not services_answer():
        checks.check(False, "PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379 answer")
        checks.exit()
    env = fault_env()
    prepare(env)
    trace = VAR / "sigterm-taken.log"
    trace.parent.mkdir(parents=True, exist_ok=True)
    trace.write_text("")
    env["JIPP_TRACE_REQUESTS"] = str(trace)
    server = AppServer(env, PORT, workers=WORKERS, config="bench/faults/gunicorn_traced.py").start()
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

    taken_paths = set(trace.read_text().splitlines())
    taken = [r for r in results if r[1] in taken_paths]
    not_taken = [r for r in results if r[1] not in taken_paths]
    before = [r for r in results if r[0] < sent_at]
    in_flight = [r for r in taken if r[0] < sent_at < r[4]]
    outcomes = Counter(r[2] for r in results)
    print(f"  {len(results)} requests, {len(taken)} taken by a worker; outcomes {dict(outcomes)}")
    print(f"  gunicorn stopped {stopped_at - sent_at:.2f} s after SIGTERM, exit code {code}")
    no_response = ("ConnectionRefusedError", "ConnectionResetError")
    failed_taken = [r for r in taken if r[2] != 200]
    failed_not_taken = [r for r in not_taken if r[2] not in no_response]
    checks.check(
        len(before) > 50, "the server was under load when SIGTERM arrived", f"{len(before)} requests"
    )
    checks.check(
        in_flight and all(r[2] == 200 for r in in_flight),
        "the requests workers were serving at SIGTERM completed with 200",
        f"{len(in_flight)} in flight: {sorted(Counter(r[2] for r in in_flight).items(), key=str)}",
    )
    checks.check(
        not failed_taken,
        "every request a worker took completed with 200",
        f"{len(failed_taken)} failed: {failed_taken[:3]}" if failed_taken else f"{len(taken)} requests",
    )
    queued = sum(r[0] < sent_at for r in not_taken)
    late = len(not_taken) - queued
    checks.check(
        not failed_not_taken,
        "requests no worker took were refused or reset before any response (no 5xx, no truncation)",
        f"{len(failed_not_taken)} failed: {failed_not_taken[:3]}"
        if failed_not_taken
        else f"{len(not_taken)} not taken ({queued} queued before the signal, {late} after)",
    )
    checks.check(code == 0, "gunicorn exited cleanly", f"exit code {code}")
    checks.exit()


if __name__ == "__main__":
    main()
