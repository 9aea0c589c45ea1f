"""The job queue in the portal's PostgreSQL (jipp/ops/jobs.py): a job deferred in a transaction lives
or dies with it, every app's jobs are found, periodic jobs are deferred once per tick."""

import datetime

import pytest
from asgiref.sync import async_to_sync
from django.db import connection, transaction
from procrastinate.contrib.django.models import ProcrastinateJob
from procrastinate.periodic import PeriodicDeferrer

from jipp.ops import jobs
from tests.jobs import tasks as test_tasks

PERIODIC = {
    "ops.retry_stalled_jobs": "* * * * *",
    "ops.remove_old_jobs": "17 20 * * *",
    "replication.flag_stalled_requests": "0 1 * * *",
    "innovations.send_reconfirmation_reminders": "30 1 * * *",
    "hubs.send_monthly_reports": "0 1 * * *",
    "hubs.refresh_monitoring_counts": "*/5 * * * *",
}


def _jobs(task_name):
    return list(ProcrastinateJob.objects.filter(task_name=task_name).order_by("id"))


@pytest.mark.django_db
def test_a_job_deferred_in_a_committed_transaction_is_queued_with_its_arguments(tmp_path):
    with transaction.atomic():
        test_tasks.slow.defer(path=str(tmp_path / "x"), seconds=1)
    [job] = _jobs("tests.slow")
    assert job.status == "todo" and job.args == {"path": str(tmp_path / "x"), "seconds": 1}
    assert job.queue_name == jobs.DEFAULT_QUEUE


@pytest.mark.django_db
def test_a_job_deferred_in_a_rolled_back_transaction_is_never_queued(tmp_path):
    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        test_tasks.slow.defer(path=str(tmp_path / "x"), seconds=1)
        assert len(_jobs("tests.slow")) == 1  # written through the same connection, inside it
        raise Undo
    assert _jobs("tests.slow") == []


def test_every_apps_tasks_module_is_found_with_its_schedule_and_retry():
    registered = jobs.app.tasks
    assert set(PERIODIC) <= set(registered)
    schedules = {pt.task.name: pt.cron for pt in jobs.app.periodic_registry.periodic_tasks.values()}
    assert {name: schedules.get(name) for name in PERIODIC} == PERIODIC
    for name in PERIODIC:
        if not name.startswith("ops."):
            strategy = registered[name].retry_strategy
            assert strategy is not None and strategy.exponential_wait > 1 and strategy.max_attempts > 1


def test_the_default_retry_backs_off_exponentially_then_gives_up():
    from procrastinate.jobs import Job

    waits = []
    for attempts in range(jobs.RETRY_DEFAULT.max_attempts):
        job = Job(id=1, queue="default", lock=None, queueing_lock=None, task_name="t", attempts=attempts)
        decision = jobs.RETRY_DEFAULT.get_retry_decision(exception=RuntimeError(), job=job)
        waits.append(decision.retry_at - datetime.datetime.now(datetime.UTC))
    seconds = [round(w.total_seconds()) for w in waits]
    assert seconds == [4, 16, 64, 256, 1024]
    job = Job(id=1, queue="default", lock=None, queueing_lock=None, task_name="t", attempts=5)
    assert jobs.RETRY_DEFAULT.max_attempts == 5
    assert jobs.RETRY_DEFAULT.get_retry_decision(exception=RuntimeError(), job=job) is None


@pytest.mark.django_db
def test_a_periodic_tick_is_deferred_once_however_many_workers_defer_it():
    """Each worker runs its own periodic deferrer; the database keeps one job per task and tick."""
    [periodic_task] = [
        pt
        for pt in jobs.app.periodic_registry.periodic_tasks.values()
        if pt.task.name == "hubs.send_monthly_reports"
    ]
    tick = int(datetime.datetime(2026, 12, 1, 1, 0, tzinfo=datetime.UTC).timestamp())
    for _worker in range(3):
        deferrer = PeriodicDeferrer(registry=jobs.app.periodic_registry)
        async_to_sync(deferrer.defer_jobs)([(periodic_task, tick)])
    [job] = _jobs("hubs.send_monthly_reports")
    assert job.args == {"timestamp": tick}
    # Even once that job has run (its queueing lock free again), the same tick is not deferred again;
    # the next one is.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE procrastinate_jobs SET status = 'succeeded' WHERE id = %s", [job.id])
    async_to_sync(PeriodicDeferrer(registry=jobs.app.periodic_registry).defer_jobs)([(periodic_task, tick)])
    assert len(_jobs("hubs.send_monthly_reports")) == 1
    next_tick = tick + 86400
    async_to_sync(PeriodicDeferrer(registry=jobs.app.periodic_registry).defer_jobs)(
        [(periodic_task, next_tick)]
    )
    assert [j.args["timestamp"] for j in _jobs("hubs.send_monthly_reports")] == [tick, next_tick]


def test_moment_is_the_tick_in_utc():
    assert jobs.moment(1796313120) == datetime.datetime(2026, 12, 3, 15, 52, tzinfo=datetime.UTC)
    assert jobs.moment(None).tzinfo is not None


@pytest.mark.django_db
def test_jobs_status_reports_the_oldest_waiting_job_and_fails_without_workers(tmp_path):
    import json

    from django.core.management import CommandError, call_command

    out = __import__("io").StringIO()
    call_command("jobs_status", stdout=out)
    assert json.loads(out.getvalue()) == {
        "waiting": 0,
        "oldest_waiting_seconds": None,
        "running": 0,
        "failed": 0,
        "workers": 0,
    }
    test_tasks.slow.defer(path=str(tmp_path / "x"), seconds=1)
    with connection.cursor() as cursor:  # deferred ten minutes ago
        cursor.execute(
            "UPDATE procrastinate_events SET at = now() - interval '10 minutes' WHERE type = 'deferred'"
        )
    status = jobs.queue_status()
    assert status["waiting"] == 1 and 595 <= status["oldest_waiting_seconds"] <= 610
    with pytest.raises(CommandError, match="no worker"):
        call_command("jobs_status", stdout=out)
    test_tasks.slow.configure(schedule_in={"hours": 1}).defer(path="later", seconds=1)
    assert jobs.queue_status()["waiting"] == 1  # a job scheduled for later is not waiting yet


@pytest.mark.django_db
def test_administrators_read_the_jobs_in_the_admin(world, client, tmp_path):
    test_tasks.slow.defer(path=str(tmp_path / "x"), seconds=1)
    [job] = _jobs("tests.slow")
    client.force_login(world.admin)
    listing = client.get("/admin/procrastinate/procrastinatejob/")
    assert listing.status_code == 200 and "tests.slow" in listing.content.decode()
    assert client.get(f"/admin/procrastinate/procrastinatejob/{job.pk}/change/").status_code == 200
    client.force_login(world.officer_riau)
    assert client.get("/admin/procrastinate/procrastinatejob/").status_code == 302  # to the admin sign-in
