"""make run's supervisor (jipp/ops/serve.py): gunicorn and the job worker start together and stop
together, gently."""

import os
import signal
import sys
import threading
import time

from jipp.ops import serve

# A stand-in for gunicorn or the worker: notes its start, and on SIGTERM notes it and exits 0.
CHILD = """
import signal, sys, time
path = sys.argv[1]
def stop(*_):
    open(path, "a").write("stopped\\n"); sys.exit(0)
signal.signal(signal.SIGTERM, stop)
open(path, "a").write("started\\n")
time.sleep(float(sys.argv[2]))
sys.exit(int(sys.argv[3]))
"""


def _child(path, seconds=60, status=0):
    return [sys.executable, "-c", CHILD, str(path), str(seconds), str(status)]


def _wait_started(*paths):
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if all(p.exists() and "started" in p.read_text() for p in paths):
            return
        time.sleep(0.05)
    raise AssertionError("children did not start")


def test_sigterm_stops_both_gently(tmp_path):
    web, worker = tmp_path / "web", tmp_path / "worker"

    def terminate_when_started():
        _wait_started(web, worker)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=terminate_when_started, daemon=True).start()
    assert serve.run([_child(web), _child(worker)]) == 0
    assert web.read_text().split() == ["started", "stopped"]
    assert worker.read_text().split() == ["started", "stopped"]
    # The test process's own handler is back.
    assert signal.getsignal(signal.SIGTERM) is not serve.run


def test_one_stopping_on_its_own_stops_the_other_with_its_status(tmp_path):
    web, worker = tmp_path / "web", tmp_path / "worker"
    assert serve.run([_child(web), _child(worker, seconds=0.5, status=3)]) == 3
    assert web.read_text().split() == ["started", "stopped"]  # the worker died: the portal is stopped too
    assert worker.read_text().split() == ["started"]


def test_the_commands_are_gunicorn_and_the_worker():
    web, worker = serve.commands(["--bind", "127.0.0.1:8123"])
    assert web[1:] == [
        "-m",
        "gunicorn",
        "jipp.wsgi",
        "--config",
        "gunicorn.conf.py",
        "--bind",
        "127.0.0.1:8123",
    ]
    assert worker[1:] == ["manage.py", "procrastinate", "worker"]
