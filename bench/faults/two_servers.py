"""Two app servers on two ports sharing PostgreSQL and Redis, as behind a load balancer.

Checks: a session started on A is valid on B; a change made on B (with B's CSRF check) is seen on A;
signing out on B ends the session on A too; failed sign-ins are counted across both servers (when
django-axes is installed); a file uploaded on A is served by B; the public page cache is shared;
rate limits (password-reset emails) are counted across both servers.
"""

import hashlib
import time
import uuid

from _env import ADMIN, ADMIN_PASSWORD, csrf_from, django_eval, fault_env, prepare, services_answer
from common import AppServer, Checks, cookie_header, get, request

PORT_A, PORT_B = 8781, 8782


def form_post(server, path, fields, jar, *, files=None):
    """POST a form (multipart when ``files``) with the cookies in ``jar``; returns the response."""
    headers = {"Cookie": cookie_header(jar), "Referer": server.base + path}
    if files:
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in fields.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            )
        for name, (filename, content, ctype) in files.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                f"Content-Type: {ctype}\r\n\r\n".encode()
                + content
                + b"\r\n"
            )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
    else:
        from urllib.parse import urlencode

        body = urlencode(fields).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    return request("POST", server.base + path, body=body, headers=headers)


def sign_in(server, username, password):
    page = get(server.base + "/admin/login/")
    jar = page.cookies()
    response = form_post(
        server,
        "/admin/login/",
        {
            "csrfmiddlewaretoken": csrf_from(page.body),
            "username": username,
            "password": password,
            "next": "/admin/",
        },
        jar,
    )
    jar.update(response.cookies())
    return response, jar


def reset_axes(env):
    """Clear the sign-in failure counters for the test account and loopback, with either handler."""
    django_eval(
        env,
        f"from axes.utils import reset\nreset(username={ADMIN!r})\nreset(ip='127.0.0.1')\nresult = 1",
    )


def main():
    checks = Checks("Two app servers sharing PostgreSQL and Redis")
    if not services_answer():
        checks.check(False, "PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379 answer")
        checks.exit()
    env = fault_env()
    prepare(env)
    info = django_eval(
        env,
        """
from django.conf import settings
from django.apps import apps
from django.urls import NoReverseMatch, reverse
from innovations.models import Innovation
from jipp.models import Agency
agency = Agency.objects.order_by("pk").first()
innovation, _ = Innovation.objects.get_or_create(
    slug="faults-shared-upload",
    defaults=dict(name="Faults shared upload", agency=agency, summary="For the two-server check.",
                  form="public_service", kind="digital", sector="population", stage="trial",
                  initiator="agency", started_on="2024-01-01"),
)
download = None
for name in ("innovations:evidence_download", "innovations:evidence", "evidence_download",
             "innovations:evidence_file", "workspace:evidence_download"):
    try:
        reverse(name, kwargs={"pk": 1})
        download = name
        break
    except NoReverseMatch:
        continue
result = {
    "session_engine": settings.SESSION_ENGINE,
    "axes": apps.is_installed("axes"),
    "axes_limit": getattr(settings, "AXES_FAILURE_LIMIT", 3),
    "reset_limit": settings.JIPP_RATE_LIMITS["password-reset-email"].split("/")[0],
    "innovation": innovation.pk,
    "download": download,
}
""",
    )
    print(f"  sessions: {info['session_engine']}; django-axes installed: {info['axes']}")
    a = AppServer(env, PORT_A, workers=2).start()
    b = AppServer(env, PORT_B, workers=2).start()
    try:
        # 1. Sign in on A, use the session on B.
        response, jar = sign_in(a, ADMIN, ADMIN_PASSWORD)
        checks.check(
            response.status == 302 and "sessionid" in jar, "signed in on A", f"status {response.status}"
        )
        on_b = get(b.base + "/admin/", headers={"Cookie": cookie_header(jar)})
        checks.check(on_b.status == 200, "the session from A is valid on B", f"B answered {on_b.status}")

        # 2. Act on B (a CSRF-checked change), see it on A.
        form = get(b.base + "/admin/jipp/university/add/", headers={"Cookie": cookie_header(jar)})
        name = f"Universitas Uji {uuid.uuid4().hex[:6]}"
        created = form_post(
            b,
            "/admin/jipp/university/add/",
            {
                "csrfmiddlewaretoken": csrf_from(form.body),
                "name": name,
                "slug": name.lower().replace(" ", "-"),
                "province": django_eval(
                    env, "from jipp.models import Province\nresult = Province.objects.get(code='14').pk"
                ),
                "website": "",
            },
            jar,
        )
        listing = get(
            a.base + "/admin/jipp/university/?q=" + name.split()[-1], headers={"Cookie": cookie_header(jar)}
        )
        checks.check(
            created.status == 302 and name.encode() in listing.body,
            "a change made on B (CSRF-checked POST) is visible on A",
            f"B answered {created.status}",
        )

        # 3. Upload on A, served by B.
        content = b"%PDF-1.4 bukti dukung " + uuid.uuid4().hex.encode()
        form = get(a.base + "/admin/innovations/evidence/add/", headers={"Cookie": cookie_header(jar)})
        uploaded = form_post(
            a,
            "/admin/innovations/evidence/add/",
            {
                "csrfmiddlewaretoken": csrf_from(form.body),
                "innovation": info["innovation"],
                "title": "SK uji dua server",
                "content_type": "application/pdf",
                "size": len(content),
                "original_name": "sk.pdf",
            },
            jar,
            files={"file": ("sk.pdf", content, "application/pdf")},
        )
        checks.check(uploaded.status == 302, "uploaded a file on A", f"A answered {uploaded.status}")
        evidence = django_eval(
            env,
            "from innovations.models import Evidence\n"
            "e = Evidence.objects.filter(title='SK uji dua server').latest('pk')\n"
            "result = {'pk': e.pk, 'name': e.file.name}",
        )
        if info["download"]:
            url = django_eval(
                env,
                "from django.urls import reverse\n"
                f"result = reverse({info['download']!r}, kwargs={{'pk': {evidence['pk']}}})",
            )
            from_b = get(
                b.base + url,
                headers={"Cookie": cookie_header(jar)},
            )
            if from_b.status in (301, 302) and from_b.header("Location", "").startswith("http"):
                from_b = get(from_b.header("Location"))  # a signed object-storage URL
            checks.check(
                from_b.status == 200 and from_b.body == content,
                "the file uploaded on A is served by B (download view)",
                f"B answered {from_b.status}",
            )
        else:
            served = django_eval(
                env,
                "import hashlib\nfrom django.core.files.storage import default_storage\n"
                f"result = hashlib.sha256(default_storage.open({evidence['name']!r}).read()).hexdigest()",
            )
            checks.check(
                served == hashlib.sha256(content).hexdigest(),
                "the file uploaded on A is readable through B's storage (no download view merged yet)",
            )

        # 4. The public page cache is shared: a page stored by A is a hit on B.
        path = f"/hub/?shared={uuid.uuid4().hex[:8]}"
        same_host = {"Host": "localhost"}  # as behind a load balancer: one public host name
        first = get(a.base + path, headers=same_host)
        second = get(b.base + path, headers=same_host)
        checks.check(
            first.header("X-Page-Cache") == "miss" and second.header("X-Page-Cache") == "hit",
            "a public page cached by A is served from the shared cache by B",
        )

        # 5. Sign out on B ends the session on A.
        page = get(b.base + "/admin/", headers={"Cookie": cookie_header(jar)})
        out = form_post(b, "/admin/logout/", {"csrfmiddlewaretoken": csrf_from(page.body)}, jar)
        after = get(a.base + "/admin/", headers={"Cookie": cookie_header(jar)})
        checks.check(
            out.status in (200, 302) and after.status == 302,
            "signing out on B ends the session on A",
            f"A answered {after.status} afterwards",
        )

        # 6. Failed sign-ins counted across both servers.
        if info["axes"]:
            reset_axes(env)
            limit = int(info["axes_limit"])
            statuses = []
            for attempt in range(limit):
                server = (a, b)[attempt % 2]
                response, _ = sign_in(server, ADMIN, "wrong-password-" + str(attempt))
                statuses.append(response.status)
            response, jar_locked = sign_in(a if limit % 2 else b, ADMIN, ADMIN_PASSWORD)
            locked = response.status != 302 or "sessionid" not in jar_locked
            checks.check(
                locked,
                f"after {limit} failed sign-ins spread over A and B, even the right password is refused",
                f"statuses {statuses}, then {response.status}",
            )
            reset_axes(env)
        else:
            print("  [skip] sign-in throttling across servers: django-axes is not installed yet")

        # 7. Rate limits counted across both servers: password-reset emails for one address.
        django_eval(env, "from django.core.cache import cache\nresult = cache.delete_pattern('rl:*')")
        limit = int(info["reset_limit"])
        statuses = []
        for attempt in range(limit + 1):
            server = (a, b)[attempt % 2]
            page = get(server.base + "/akun/lupa-kata-sandi/")
            jar = page.cookies()
            response = form_post(
                server,
                "/akun/lupa-kata-sandi/",
                {"csrfmiddlewaretoken": csrf_from(page.body), "email": "nobody@example.id"},
                jar,
            )
            statuses.append(response.status)
        checks.check(
            statuses[:-1] == [302] * limit and statuses[-1] == 429,
            f"after {limit} password-reset requests for one address spread over A and B, the next is refused",
            f"statuses {statuses}",
        )
        django_eval(env, "from django.core.cache import cache\nresult = cache.delete_pattern('rl:*')")
    finally:
        a.stop()
        b.stop()
    time.sleep(0)
    checks.exit()


if __name__ == "__main__":
    main()
