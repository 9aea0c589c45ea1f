"""The mail server goes down while officers decide under load, then comes back: every message is
delivered exactly once after it returns, and no request failed meanwhile.

A real SMTP server on loopback (``smtp_sink.py``, aiosmtpd) records the Message-ID of every message
it accepts. gunicorn and one background-job worker (procrastinate) run against the fault database.
An officer publishes submitted innovations one after another over HTTP, each decision writing its
message to the outbox in its own transaction, while other clients load public pages. A third of the
way in the SMTP server is stopped; the decisions go on; it is started again. Then every decision's
message must reach the server exactly once (its Message-ID once in the record, none missing, none
twice), some of them after failed attempts, and every request must have answered as it should.
"""

import os
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter

from _env import Load, csrf_from, fault_env, prepare, services_answer
from common import PY, ROOT, VAR, AppServer, Checks, cookie_header, django_eval, port_open, request

PORT = 8776
SMTP_PORT = 8825
DECISIONS = 45
OUTAGE_SECONDS = 20
OFFICER, PASSWORD = "petugas.riau", "jipp-demo-2026"


def _form(fields):
    return urllib.parse.urlencode(fields).encode()


class Sink:
    def __init__(self, record):
        self.record, self.proc = record, None

    def start(self):
        self.proc = subprocess.Popen(
            [PY, str(ROOT / "bench/faults/smtp_sink.py"), str(SMTP_PORT), str(self.record)]
        )
        deadline = time.monotonic() + 15
        while not port_open("127.0.0.1", SMTP_PORT):
            if time.monotonic() > deadline:
                raise SystemExit("the SMTP sink did not start")
            time.sleep(0.1)
        return self

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=15)


def _submitted_innovations(env):
    return django_eval(
        env,
        f"""
import datetime
from django.contrib.auth import get_user_model
from django.utils import timezone
from innovations.models import Innovation
from jipp.models import Membership
staff = get_user_model().objects.get(username="staf.siak")
agency = Membership.objects.get(user=staff, role="staff").agency
stamp = timezone.now().strftime("%H%M%S%f")
rows = []
for n in range({DECISIONS}):
    innovation = Innovation.objects.create(
        agency=agency, name=f"Layanan Uji Gangguan Surel {{stamp}}-{{n}}", slug=f"uji-surel-{{stamp}}-{{n}}",
        summary="Inovasi untuk uji gangguan server surel.", form="public_service", kind="digital",
        sector="governance", stage="implemented", initiator="agency", status="submitted",
        started_on=datetime.date(2024, 1, 1),
        submitted_by=staff, submitted_at=timezone.now(),
    )
    rows.append([innovation.pk, innovation.version])
result = rows
""",
    )


def _sign_in(base):
    page = request("GET", base + "/akun/masuk/")
    jar = page.cookies()
    response = request(
        "POST",
        base + "/akun/masuk/",
        body=_form({"csrfmiddlewaretoken": csrf_from(page.body), "username": OFFICER, "password": PASSWORD}),
        headers={"Cookie": cookie_header(jar), "Content-Type": "application/x-www-form-urlencoded"},
    )
    jar.update(response.cookies())
    if response.status != 302:
        raise SystemExit(f"the officer could not sign in: {response.status}")
    return jar


def _publish(base, jar, pk, version):
    page = request("GET", f"{base}/ruang-kerja/inovasi/{pk}/", headers={"Cookie": cookie_header(jar)})
    jar.update(page.cookies())
    response = request(
        "POST",
        f"{base}/ruang-kerja/inovasi/{pk}/terbitkan/",
        body=_form({"csrfmiddlewaretoken": csrf_from(page.body), "version": version}),
        headers={
            "Cookie": cookie_header(jar),
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": base + "/",
        },
        timeout=15,
    )
    jar.update(response.cookies())
    return response.status


def _outbox(env, pks):
    return django_eval(
        env,
        f"""
from django.contrib.contenttypes.models import ContentType
from innovations.models import Innovation
from jipp.notifications.models import Notification
rows = Notification.objects.filter(
    about_type=ContentType.objects.get_for_model(Innovation), about_id__in={pks!r}, kind="records"
)
result = [[row.about_id, row.message_id(), row.mail_state, row.attempts] for row in rows]
""",
    )


def main():
    checks = Checks("SMTP server down while officers decide under load")
    if not services_answer():
        checks.check(False, "PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379 answer")
        checks.exit()
    env = fault_env(
        EMAIL_URL=f"smtp://127.0.0.1:{SMTP_PORT}?timeout=5",
        NOTIFICATIONS_RETRY_BASE="2",
        JIPP_SITE_URL=f"http://127.0.0.1:{PORT}",
    )
    prepare(env)
    record = VAR / "smtp-outage-received.log"
    record.parent.mkdir(parents=True, exist_ok=True)
    record.write_text("")
    innovations = _submitted_innovations(env)
    pks = [pk for pk, _ in innovations]

    sink = Sink(record).start()
    server = AppServer(env, PORT, workers=3).start()
    worker_log = open(VAR / "smtp-outage-worker.log", "ab")  # noqa: SIM115 - closed below
    worker = subprocess.Popen(
        [PY, "manage.py", "procrastinate", "worker"],
        cwd=ROOT,
        env=env,
        stdout=worker_log,
        stderr=subprocess.STDOUT,
    )
    load = Load(server.base, ["/", "/inovasi/", "/hub/riau/", "/provinsi/riau/"], clients=2).start()
    jar = _sign_in(server.base)

    statuses, events = [], {}
    try:
        for index, (pk, version) in enumerate(innovations):
            if index == DECISIONS // 3:
                sink.stop()
                events["down"] = time.monotonic()
                print(f"  SMTP server stopped after {index} decisions", flush=True)
            if "down" in events and "up" not in events and time.monotonic() - events["down"] > OUTAGE_SECONDS:
                sink.start()
                events["up"] = time.monotonic()
                print(f"  SMTP server started again after {index} decisions", flush=True)
            statuses.append(_publish(server.base, jar, pk, version))
            time.sleep(0.25)
        if "up" not in events:
            time.sleep(max(0.0, OUTAGE_SECONDS - (time.monotonic() - events["down"])))
            sink.start()
            events["up"] = time.monotonic()
            print("  SMTP server started again after the last decision", flush=True)
        results = load.stop()

        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            rows = _outbox(env, pks)
            if len(rows) == DECISIONS and all(state == "sent" for _, _, state, _ in rows):
                break
            time.sleep(3)
        delivered_after = time.monotonic() - events["up"]
        rows = _outbox(env, pks)
    finally:
        worker.terminate()
        worker.wait(timeout=40)
        worker_log.close()
        server.stop()
        if sink.proc and sink.proc.poll() is None:
            sink.stop()

    received = Counter(line.split("\t")[0] for line in record.read_text().splitlines() if line.strip())
    expected = {message_id for _, message_id, _, _ in rows}
    states = Counter(state for _, _, state, _ in rows)
    retried = sum(1 for *_, attempts in rows if attempts > 1)
    during = [r for r in results if events["down"] <= r[0] <= events["up"]]
    bad = [r for r in results if r[2] != 200]
    print(f"  {len(statuses)} decisions: {dict(Counter(statuses))}; {len(results)} page loads,", end=" ")
    print(f"{len(during)} during the outage")
    print(f"  outbox: {dict(states)}; {retried} sent after failed attempts;", end=" ")
    print(f"all sent {delivered_after:.0f} s after the server returned")
    print(f"  the SMTP server received {sum(received.values())} messages, {len(received)} distinct")
    checks.check(
        statuses == [302] * DECISIONS,
        "every decision succeeded (302), during the outage too",
        str(Counter(statuses)),
    )
    checks.check(
        not bad and len(during) > 10,
        "no page load failed, under load through the outage",
        f"{len(bad)} failed: {bad[:3]}",
    )
    checks.check(len(rows) == DECISIONS, "each decision wrote its message to the outbox", f"{len(rows)} rows")
    checks.check(
        states == Counter({"sent": DECISIONS}),
        "every message was sent after the server returned",
        str(dict(states)),
    )
    checks.check(
        retried > 0, "messages written during the outage were retried, not lost", f"{retried} retried"
    )
    # The demo data's own messages (written by seed_demo) are delivered too, each once as well.
    checks.check(
        expected <= set(received) and all(count == 1 for count in received.values()),
        "the server received each message exactly once (by Message-ID), none missing, none twice",
        f"missing {len(expected - set(received))}, twice {sum(1 for c in received.values() if c > 1)}",
    )
    checks.exit()


if __name__ == "__main__":
    sys.path.insert(0, os.fspath(ROOT))
    threading.excepthook = lambda args: print("thread failed:", args.exc_value)
    main()
