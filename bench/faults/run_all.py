"""`make faults`: every fault script in turn against the machine's PostgreSQL and Redis.
Prints what each checked; exits non-zero when any check failed."""

import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from _env import fault_env, prepare, services_answer  # noqa: E402

SCRIPTS = ["two_servers.py", "sigterm.py", "pg_restart.py", "replica.py", "smtp_outage.py"]


def main():
    if not services_answer():
        print("PostgreSQL (127.0.0.1:5432) and Redis (127.0.0.1:6379) must both answer for `make faults`.")
        raise SystemExit(2)
    print("== Preparing the jipp_faults database", flush=True)
    prepare(fault_env())
    env = {**os.environ, "JIPP_FAULTS_PREPARED": "1"}
    results = {}
    for script in SCRIPTS:
        started = time.monotonic()
        code = subprocess.run([sys.executable, str(HERE / script)], env=env).returncode
        results[script] = (code, time.monotonic() - started)
    print("\n== make faults")
    for script, (code, seconds) in results.items():
        print(f"  {'ok  ' if code == 0 else 'FAIL'} {script} ({seconds:.0f} s)")
    raise SystemExit(1 if any(code for code, _ in results.values()) else 0)


if __name__ == "__main__":
    main()
