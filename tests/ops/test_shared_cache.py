"""Issue 10 #3: without Redis, every app server process agrees on what is current. Two gunicorn
servers (separate processes) run the production settings (no REDIS_URL: the cache table in
PostgreSQL) against the test database: a page cached by one is served by the other, an officer's
edit through one is seen at once through the other, and rate-limit counters are shared."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _database_url() -> str:
    s = connection.settings_dict
    host = urllib.parse.quote(s["HOST"] or "", safe="")
    auth = urllib.parse.quote(s["USER"] or "", safe="")
    if s.get("PASSWORD"):
        auth += ":" + urllib.parse.quote(s["PASSWORD"], safe="")
    options = s.get("OPTIONS", {})
    socket_dir = options.get("host") or (s["HOST"] if (s["HOST"] or "").startswith("/") else "")
    if socket_dir:  # a Unix socket (the embedded server): host and port as query options, as it is given
        port = options.get("port") or s.get("PORT")
        query = urllib.parse.urlencode({"host": socket_dir, **({"port": port} if port else {})})
        return f"postgres://{auth}@/{s['NAME']}?{query}"
    port = f":{s['PORT']}" if s.get("PORT") else ""
    return f"postgres://{auth}@{host}{port}/{s['NAME']}"


def _environment(**extra) -> dict:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "tests.ops.process_settings",
        "SECRET_KEY": os.environ["SECRET_KEY"],
        "DATABASE_URL": _database_url(),
        "JIPP_INSECURE_HTTP": "1",
        "ALLOWED_HOSTS": "127.0.0.1",
        "PUBLIC_PAGE_CACHE_SECONDS": "300",
        "EMAIL_URL": "memory://",
        "LOG_LEVEL": "WARNING",
        **extra,
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def two_servers(world):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM jipp_cache")  # a table, not a model: the test flush leaves it
    servers, processes = [], []
    for _ in range(2):
        port = _free_port()
        processes.append(
            subprocess.Popen(  # noqa: S603
                [str(Path(sys.executable).parent / "gunicorn"), "jipp.wsgi", "--config", "gunicorn.conf.py",
                 "--bind", f"127.0.0.1:{port}", "--workers", "1"],
                cwd=ROOT, env=_environment(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            )
        )  # fmt: skip
        servers.append(f"http://127.0.0.1:{port}")
    try:
        for server, process in zip(servers, processes, strict=True):
            deadline = time.monotonic() + 60
            while True:
                try:
                    urllib.request.urlopen(server + "/healthz", timeout=10)  # noqa: S310
                    break
                except OSError:  # refused, or accepted while the worker still boots
                    assert process.poll() is None, process.stderr.read().decode()[-3000:]
                    assert time.monotonic() < deadline, "gunicorn did not start"
                    time.sleep(0.2)
        yield servers
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


# Both servers are asked for the same site, as behind one load balancer (the page cache's key
# includes the host, and the two servers listen on different ports here).
SITE = {"Host": "127.0.0.1:8000"}


class Browser:
    """A cookie jar shared by both servers (cookies do not depend on the port), no redirects."""

    def __init__(self):
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()), _NoRedirect()
        )

    def get(self, url):
        return self._open(urllib.request.Request(url, headers=SITE))  # noqa: S310 - http://127.0.0.1 only

    def post(self, url, data, *, token_from):
        token = TOKEN.search(self.get(token_from)[2]).group(1)
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        return self._open(urllib.request.Request(url, data=body, headers=SITE, method="POST"))  # noqa: S310

    def _open(self, request):
        try:
            response = self.opener.open(request, timeout=10)
        except urllib.error.HTTPError as error:  # 3xx (redirects not followed), 4xx, 5xx
            response = error
        return response.status, response.headers, response.read().decode()


def test_a_publish_through_one_process_is_seen_at_once_by_the_other(two_servers):
    a, b = two_servers
    page = "/hub/riau/"
    # A page cached by one process is served by the other: one page cache.
    status, headers, _ = Browser().get(b + page)
    assert status == 200 and headers["X-Page-Cache"] == "miss"
    assert Browser().get(a + page)[1]["X-Page-Cache"] == "hit"
    assert Browser().get(b + page)[1]["X-Page-Cache"] == "hit"

    # The hub officer edits the hub's public page through server A...
    officer = get_user_model().objects.get(username="officer_riau")
    officer.password = PBKDF2PasswordHasher().encode(PASSWORD, "garamgaramgaram1", iterations=1000)
    officer.save(update_fields=["password"])
    browser = Browser()
    status, _, _ = browser.post(
        a + "/akun/masuk/", {"username": "officer_riau", "password": PASSWORD}, token_from=a + "/akun/masuk/"
    )
    assert status == 302
    manage = a + "/hub/riau/kelola/"
    status, _, _ = browser.post(manage, {"description": "Teks baru dari petugas hub."}, token_from=manage)
    assert status == 302
    # ...and the very next anonymous visit through server B shows it.
    status, headers, html = Browser().get(b + page)
    assert status == 200 and "Teks baru dari petugas hub." in html
    assert headers["X-Page-Cache"] == "miss"
    assert "Teks baru dari petugas hub." in Browser().get(a + page)[2]


def test_rate_limits_are_counted_across_processes(two_servers):
    a, b = two_servers
    browser = Browser()
    form = "/akun/lupa-kata-sandi/"
    asked = {"email": "staff_pekanbaru@example.id"}
    statuses = [browser.post(server + form, asked, token_from=server + form)[0] for server in (a, b, a, b, a)]
    assert statuses == [302] * 5  # "password-reset-email": 5 an hour for one email address
    status, headers, _ = browser.post(b + form, asked, token_from=b + form)
    assert status == 429 and int(headers["Retry-After"]) > 0


def test_the_default_cache_passes_django_ratelimit_checks():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "from django_ratelimit.checks import check_caches; "
        "print(s.CACHES['default']['BACKEND'], s.DATABASE_ROUTERS[0], "
        "[m.id for m in check_caches(None) if m.level >= 40])"
    )
    env = _environment(DJANGO_SETTINGS_MODULE="jipp.settings", DATABASE_URL="postgres://u@db/jipp")
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.split() == [
        "jipp.ops.cache.SharedDatabaseCache",
        "jipp.ops.cache.CacheRouter",
        "[]",
    ], result.stderr
