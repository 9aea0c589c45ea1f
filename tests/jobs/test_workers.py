"""Real worker processes (``manage.py procrastinate worker``) against the test database: a failing job
is retried with exponential backoff and then succeeds; a job whose worker is killed (SIGKILL) mid-job
is picked up by another worker; SIGTERM lets the running job finish. They share the xdist group
"workers" (tests/conftest.py) and commit for real (transactional), so the subprocesses see the jobs."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from procrastinate.contrib.django.models import ProcrastinateJob

from jipp.ops import tasks as ops_tasks
from tests.jobs import tasks as test_tasks
from tests.ops.test_shared_cache import _database_url

ROOT = Path(__file__).resolve().parents[2]
HEARTBEAT, STALLED_AFTER = 1, 3


def _environment():
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "tests.jobs.worker_settings",
        "SECRET_KEY": os.environ["SECRET_KEY"],
        "DATABASE_URL": _database_url(),
        "EMAIL_URL": "memory://",
        "LOG_FORMAT": "plain",
        "JOB_HEARTBEAT_SECONDS": str(HEARTBEAT),
        "JOB_STALLED_AFTER_SECONDS": str(STALLED_AFTER),
        "JOB_SHUTDOWN_SECONDS": "20",
    }


@pytest.fixture
def start_worker(empty_queue, tmp_path):
    started = []

    def start(name):
        log = open(tmp_path / f"{name}.log", "w")  # noqa: SIM115 - closed at teardown
        process = subprocess.Popen(
            [sys.executable, "manage.py", "procrastinate", "worker", "--name", name,
             "--fetch-job-polling-interval", "0.2"],
            cwd=ROOT, env=_environment(), stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        started.append((process, log))
        return process

    yield start
    for process, log in started:
        if process.poll() is None:
            process.kill()
            process.wait()
        log.close()


def _wait_for(condition, timeout, what, logs=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    detail = "".join(f"\n--- {p.name}\n{p.read_text()[-3000:]}" for p in (logs or []))
    raise AssertionError(f"timed out waiting for {what}{detail}")


def _lines(path):
    return path.read_text().splitlines() if path.exists() else []


def _job(job_id):
    return ProcrastinateJob.objects.filter(pk=job_id).first()


def test_a_failing_job_is_retried_with_exponential_backoff_then_succeeds(start_worker, tmp_path):
    notes = tmp_path / "flaky.txt"
    start_worker("backoff")
    job_id = test_tasks.flaky.defer(path=str(notes), failures=2)
    _wait_for(lambda: "done" in _lines(notes), 40, "the third attempt", logs=[tmp_path / "backoff.log"])
    attempts = [line.split() for line in _lines(notes) if line.startswith("attempt")]
    assert [int(a[1]) for a in attempts] == [0, 1, 2]
    times = [float(a[2]) for a in attempts]
    first_wait, second_wait = times[1] - times[0], times[2] - times[1]
    # 2 ** 1, then 2 ** 2 seconds (plus the polling interval, and slack for a busy machine).
    assert 2 <= first_wait < 5, first_wait
    assert 4 <= second_wait < 8, second_wait
    assert second_wait > first_wait + 1
    # Succeeded jobs are deleted by the worker (delete_jobs="successful").
    _wait_for(lambda: _job(job_id) is None, 10, "the succeeded job to be removed")


def test_a_job_whose_worker_is_killed_mid_job_is_run_again_by_another_worker(start_worker, tmp_path):
    notes = tmp_path / "slow.txt"
    first = start_worker("first")
    logs = [tmp_path / "first.log", tmp_path / "second.log"]
    job_id = test_tasks.slow.defer(path=str(notes), seconds=120)
    _wait_for(lambda: f"start {first.pid}" in _lines(notes), 30, "the first worker to start the job", logs)

    first.send_signal(signal.SIGKILL)  # no chance to clean up: its job stays "doing"
    first.wait()
    assert _job(job_id).status == "doing"

    second = start_worker("second")
    time.sleep(STALLED_AFTER + HEARTBEAT + 0.5)  # the first worker's last heartbeat is now too old
    ops_tasks.retry_stalled_jobs.defer(stalled_after=STALLED_AFTER)  # what runs every minute
    _wait_for(lambda: f"done {second.pid}" in _lines(notes), 30, "the second worker to finish the job", logs)
    assert _lines(notes) == [f"start {first.pid}", f"start {second.pid}", f"done {second.pid}"]
    _wait_for(lambda: _job(job_id) is None, 10, "the succeeded job to be removed", logs)
    assert "of a silent worker is queued again" in (tmp_path / "second.log").read_text()


def test_a_healthy_workers_running_job_is_never_taken_from_it(start_worker, tmp_path):
    notes = tmp_path / "slow.txt"
    worker = start_worker("steady")
    logs = [tmp_path / "steady.log"]
    job_id = test_tasks.slow.defer(path=str(notes), seconds=STALLED_AFTER + 3)
    _wait_for(lambda: _lines(notes), 30, "the job to start", logs)
    time.sleep(STALLED_AFTER + 1)
    ops_tasks.retry_stalled_jobs.defer(stalled_after=STALLED_AFTER)
    _wait_for(lambda: f"done {worker.pid}" in _lines(notes), 30, "the job to finish", logs)
    assert _lines(notes) == [f"start {worker.pid}", f"done {worker.pid}"]  # ran once
    _wait_for(lambda: _job(job_id) is None, 10, "the succeeded job to be removed", logs)


def test_sigterm_lets_the_running_job_finish_and_the_worker_exits_cleanly(start_worker, tmp_path):
    notes = tmp_path / "slow.txt"
    worker = start_worker("graceful")
    job_id = test_tasks.slow.defer(path=str(notes), seconds=2)
    _wait_for(lambda: _lines(notes), 30, "the job to start", [tmp_path / "graceful.log"])
    worker.send_signal(signal.SIGTERM)
    assert worker.wait(timeout=30) == 0
    assert _lines(notes) == [f"start {worker.pid}", f"done {worker.pid}"]
    assert _job(job_id) is None
    with connection.cursor() as cursor:  # it said goodbye: no worker row left behind
        cursor.execute("SELECT count(*) FROM procrastinate_workers")
        assert cursor.fetchone()[0] == 0
