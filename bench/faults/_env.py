"""Environment for the fault scripts: the machine's PostgreSQL (127.0.0.1:5432) and Redis (6379),
a database of their own (jipp_faults), demo data, and an administrator to sign in with."""

import re
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from common import ROOT, django_eval, get, manage, port_open, production_env  # noqa: E402,F401

DATABASE_URL = "postgres://postgres@127.0.0.1:5432/jipp_faults"
REDIS_URL = "redis://127.0.0.1:6379/4"
ADMIN = "faults_admin"
ADMIN_PASSWORD = "faults-" + "kata-sandi-panjang-sekali"  # noqa: S105 - a throwaway local account


def services_answer() -> bool:
    return port_open("127.0.0.1", 5432) and port_open("127.0.0.1", 6379)


def fault_env(**extra) -> dict:
    return production_env(DATABASE_URL=DATABASE_URL, REDIS_URL=REDIS_URL, **extra)


def prepare(env) -> None:
    """Database, demo data, administrator; once per `make faults` (run_all.py sets the flag)."""
    import os

    if os.environ.get("JIPP_FAULTS_PREPARED") == "1":
        return
    # A scratch database, made anew each time: the schema always matches the code under test.
    for sql in ("DROP DATABASE IF EXISTS jipp_faults WITH (FORCE)", "CREATE DATABASE jipp_faults"):
        subprocess.run(
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql], check=True, capture_output=True
        )
    manage(env, "migrate", "--noinput")
    manage(env, "load_regions")
    manage(env, "seed_demo")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    django_eval(
        env,
        f"""
from django.contrib.auth import get_user_model
user, _ = get_user_model().objects.get_or_create(username={ADMIN!r}, defaults={{"email": "ops@example.id"}})
user.is_staff = user.is_superuser = True
user.set_password({ADMIN_PASSWORD!r})
user.save()
result = user.pk
""",
    )
    subprocess.run(["redis-cli", "-n", REDIS_URL.rsplit("/", 1)[1], "FLUSHDB"], capture_output=True)


def pg_cluster() -> tuple[str, str]:
    version = sorted(p.name for p in Path("/etc/postgresql").iterdir())[-1]
    return version, "main"


def pg_ctl(action: str) -> None:
    version, name = pg_cluster()
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, name, action], check=True, capture_output=True
    )


def pg_accepting() -> bool:
    return subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1", "-p", "5432"]).returncode == 0


CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def csrf_from(body: bytes) -> str:
    match = CSRF_INPUT.search(body)
    if not match:
        raise SystemExit("no CSRF token in the page")
    return match.group(1).decode()


class Load:
    """Background clients hitting ``paths`` on ``base`` and recording every outcome with its time."""

    def __init__(self, base: str, paths: list[str], clients: int = 4, bust_cache: bool = True):
        self.base, self.paths, self.clients, self.bust = base, paths, clients, bust_cache
        # (started, path, status or error, body head, ended)
        self.results: list[tuple[float, str, object, str, float]] = []
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads = []

    def _run(self, offset):
        index = offset
        while not self._stop.is_set():
            path = self.paths[index % len(self.paths)]
            index += 1
            if self.bust and "?" not in path and path not in ("/healthz", "/readyz"):
                path = f"{path}?lt={uuid.uuid4().hex[:8]}"  # a new URL: the page cache cannot answer
            started = time.monotonic()
            try:
                response = get(self.base + path, timeout=15)
                # Enough of the body to hold the page's heading after the site's layout.
                outcome, head = response.status, response.body[:16384].decode("utf-8", "replace")
                retry_after = response.header("Retry-After")
                if retry_after:
                    head = f"[Retry-After {retry_after}] " + head
            except Exception as exc:  # noqa: BLE001 - every failure is an outcome to report
                outcome, head = type(exc).__name__, str(exc)[:200]
                if isinstance(exc, ConnectionRefusedError) and self.stop_on_refused:
                    with self._lock:
                        self.results.append((started, path, outcome, head, time.monotonic()))
                    return
            with self._lock:
                self.results.append((started, path, outcome, head, time.monotonic()))

    stop_on_refused = False

    def start(self):
        for i in range(self.clients):
            thread = threading.Thread(target=self._run, args=(i,), daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self):
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=30)
        return sorted(self.results, key=lambda r: r[0])
