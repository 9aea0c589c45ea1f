"""Shared helpers for bench/loadtest.py and bench/faults/*: production-like environments, manage.py,
gunicorn app servers started and stopped by process id, and a small HTTP client."""

import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
PY = (
    str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv" / "bin" / "python").exists() else sys.executable
)
GUNICORN = str(Path(PY).parent / "gunicorn")
VAR = ROOT / "var"


def secret_key() -> str:
    path = VAR / "secret_key"
    if not path.exists():
        VAR.mkdir(exist_ok=True)
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


def port_open(host: str, port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def production_env(**extra) -> dict:
    """Production settings (DEBUG off, JSON logs, manifest static files) served over plain HTTP on
    loopback (JIPP_INSECURE_HTTP=1: no HTTPS redirect; the headers are proven by tests/ops)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "JIPP", "DEBUG"))}
    env.update(
        DJANGO_SETTINGS_MODULE="jipp.settings",
        DEBUG="0",
        SECRET_KEY=secret_key(),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        JIPP_INSECURE_HTTP="1",
        JIPP_DEMO="1",
    )
    env.update({k: str(v) for k, v in extra.items() if v is not None})
    if not env.get("DATABASE_URL"):  # none given: the embedded PostgreSQL under var/
        sys.path.insert(0, str(ROOT))
        from jipp import embedded_db

        env["DATABASE_URL"] = embedded_db.ensure_running()
    return env


def manage(env: dict, *args, check=True, quiet=True) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if check and result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"manage.py {' '.join(args)} failed")
    if not quiet:
        sys.stdout.write(result.stdout)
    return result


def has_command(env: dict, name: str) -> bool:
    return manage(env, "help", name, check=False).returncode == 0


def django_eval(env: dict, code: str):
    """Run ``code`` (which sets ``result``) in a Django shell with ``env``; return result as JSON."""
    script = f"import json\n{code}\nprint('RESULT ' + json.dumps(result))"
    out = manage(env, "shell", "-c", script)
    for line in out.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    raise SystemExit(f"no result from shell: {out.stdout} {out.stderr}")


class AppServer:
    """A gunicorn master started with the repository's gunicorn.conf.py."""

    def __init__(
        self,
        env: dict,
        port: int,
        *,
        workers: int | None = None,
        log: Path | None = None,
        config: str = "gunicorn.conf.py",
    ):
        self.env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}"}
        self.config = config
        if workers:
            self.env["WEB_CONCURRENCY"] = str(workers)
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self.log_path = log or VAR / f"gunicorn-{port}.log"
        self.proc = None

    def start(self, timeout: float = 60) -> "AppServer":
        if port_open("127.0.0.1", self.port):
            raise SystemExit(f"port {self.port} is already in use")
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [GUNICORN, "jipp.wsgi", "--config", self.config],
            cwd=ROOT,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"gunicorn exited early; see {self.log_path}")
            try:
                if get(self.base + "/healthz", timeout=2).status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit(f"gunicorn did not answer on {self.base}; see {self.log_path}")

    def worker_pids(self) -> list[int]:
        out = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(self.proc.pid)], capture_output=True, text=True
        ).stdout
        return [int(p) for p in out.split()]

    def worker_rss_mb(self) -> dict[int, float]:
        result = {}
        for pid in self.worker_pids():
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        result[pid] = round(int(line.split()[1]) / 1024, 1)
            except FileNotFoundError:
                continue
        return result

    def terminate(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)

    def stop(self, timeout: float = 40) -> int | None:
        if self.proc is None:
            return None
        self.terminate()
        try:
            code = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = self.proc.wait()
        self._log.close()
        return code


class Response:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def header(self, name, default=None):
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return default

    def cookies(self) -> dict:
        jar = {}
        for key, value in self.headers:
            if key.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                jar[name.strip()] = rest.split(";", 1)[0]
        return jar


def request(method, url, *, body=None, headers=None, timeout=10) -> Response:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        conn.request(method, path or "/", body=body, headers=headers or {})
        raw = conn.getresponse()
        return Response(raw.status, raw.getheaders(), raw.read())
    finally:
        conn.close()


def get(url, **kwargs) -> Response:
    return request("GET", url, **kwargs)


def cookie_header(jar: dict) -> str:
    return "; ".join(f"{k}={v}" for k, v in jar.items())


class Checks:
    """Prints each check as it runs; ``exit()`` ends the script non-zero if any failed."""

    def __init__(self, title):
        self.failed = 0
        print(f"== {title}", flush=True)

    def check(self, ok: bool, what: str, detail: str = "") -> bool:
        mark = "ok  " if ok else "FAIL"
        print(f"  [{mark}] {what}" + (f" — {detail}" if detail else ""), flush=True)
        self.failed += 0 if ok else 1
        return ok

    def exit(self):
        print(
            f"== {'all checks passed' if not self.failed else f'{self.failed} check(s) FAILED'}", flush=True
        )
        raise SystemExit(1 if self.failed else 0)
