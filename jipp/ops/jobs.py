"""Background jobs: the portal's one queue, in PostgreSQL (procrastinate).

A job is a row in this database, so the embedded default needs no other server and a job deferred
inside ``transaction.atomic`` is committed or rolled back with the change that deferred it (it is
written through Django's own connection). Workers (``manage.py procrastinate worker``; ``make run``
starts one beside gunicorn) take jobs with ``SELECT … FOR UPDATE SKIP LOCKED``, so any number of them,
on any number of machines, share the queue; each job runs once.

Every app keeps its jobs in its own ``tasks.py`` (found by the worker at start)::

    from jipp.ops import jobs

    @jobs.task(name="innovations.reindex", retry=jobs.RETRY_DEFAULT)
    def reindex(*, innovation_id):
        ...

    reindex.defer(innovation_id=innovation.pk)          # inside the transaction of the change

    @jobs.periodic(cron="0 0 * * *")                     # UTC; every day at 07:00 in Jakarta
    @jobs.task(name="innovations.daily_thing")
    def daily_thing(timestamp):
        run_daily_thing(now=jobs.moment(timestamp))

Arguments are JSON: pass ids, never model instances. A job may run more than once (a worker killed
mid-job has it run again elsewhere, a failure is retried), so every job is idempotent: it records what
it did in the same transaction as doing it. A periodic job is deferred once per tick whatever the
number of workers (the database refuses a second defer of the same tick).
"""

import datetime

from django.utils import timezone
from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

__all__ = ["RETRY_DEFAULT", "RETRY_PATIENT", "RetryStrategy", "app", "moment", "periodic", "task"]

# Exponential backoff: the wait before retry n (1, 2, ...) is base ** n seconds; max_attempts counts
# the retries. Default: 4 s, 16 s, 64 s, 4 min, 17 min: a database restart or a deploy is ridden out,
# a real bug stops after about 23 minutes and the job stays "failed" in the admin for a person to read.
RETRY_DEFAULT = RetryStrategy(max_attempts=5, exponential_wait=4)
# For jobs that talk to other servers (mail): 5 s, 25 s, 2 min, 10 min, 52 min, 4.3 h, 21.7 h.
RETRY_PATIENT = RetryStrategy(max_attempts=7, exponential_wait=5)

DEFAULT_QUEUE = "default"


def task(*, name, retry=RETRY_DEFAULT, queue=DEFAULT_QUEUE, **options):
    """Declare a job (a decorator): ``name`` is stable (``<app>.<what>``; renaming it orphans the jobs
    already queued under the old one), ``retry`` a ``RetryStrategy`` (``RETRY_DEFAULT``), other options
    those of procrastinate's ``App.task`` (``queueing_lock``, ``lock``, ``pass_context``, ``priority``)."""
    return app.task(name=name, retry=retry, queue=queue, **options)


def periodic(*, cron, periodic_id="", **configure):
    """Run a job on a schedule (a decorator above ``task``). ``cron`` is read in UTC (Jakarta is UTC+7;
    a sixth field counts seconds). The job receives ``timestamp`` (the tick, seconds since the epoch;
    ``moment`` turns it into the ``now`` the domain functions take) and ``configure["task_kwargs"]``."""
    return app.periodic(cron=cron, periodic_id=periodic_id, **configure)


def moment(timestamp):
    """The aware datetime of a periodic job's tick (``None`` → now)."""
    if timestamp is None:
        return timezone.now()
    return datetime.datetime.fromtimestamp(int(timestamp), tz=datetime.UTC)


def queue_status():
    """What an operator asks of the queue, in one query: jobs ready to run and how long the oldest has
    waited (seconds, ``None`` when none waits), jobs running, jobs failed for good, and workers whose
    heartbeat is current."""
    from django.conf import settings
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*) FILTER (WHERE j.status = 'todo' AND runnable_since <= now()),
                   EXTRACT(EPOCH FROM now() - min(runnable_since) FILTER (WHERE j.status = 'todo'
                                                                         AND runnable_since <= now())),
                   count(*) FILTER (WHERE j.status = 'doing'),
                   count(*) FILTER (WHERE j.status = 'failed'),
                   (SELECT count(*) FROM procrastinate_workers
                     WHERE last_heartbeat > now() - make_interval(secs => %s))
              FROM procrastinate_jobs j
              LEFT JOIN LATERAL (
                   SELECT COALESCE(j.scheduled_at, min(e.at)) AS runnable_since
                     FROM procrastinate_events e WHERE e.job_id = j.id AND e.type = 'deferred'
              ) since ON true
             WHERE j.status IN ('todo', 'doing', 'failed')
            """,
            [settings.JOB_STALLED_AFTER_SECONDS],
        )
        waiting, oldest, running, failed, workers = cursor.fetchone()
    return {
        "waiting": waiting,
        "oldest_waiting_seconds": None if oldest is None else round(float(oldest)),
        "running": running,
        "failed": failed,
        "workers": workers,
    }
