"""The queue's own housekeeping jobs (the domain apps keep theirs in their ``tasks.py``)."""

import logging

from django.conf import settings

from jipp.ops import jobs

log = logging.getLogger("jipp.ops.jobs")


@jobs.periodic(cron="* * * * *")
@jobs.task(name="ops.retry_stalled_jobs", queueing_lock="ops.retry_stalled_jobs", pass_context=True)
async def retry_stalled_jobs(context, timestamp=None, stalled_after=None):
    """Hand the jobs of a dead worker to the others: a worker killed mid-job (SIGKILL, a lost machine,
    the out-of-memory killer) stops sending heartbeats; after ``JOB_STALLED_AFTER_SECONDS`` its running
    jobs are put back in the queue, to run again from the start (jobs are idempotent). A worker stopped
    by SIGTERM finishes or gives back its jobs itself."""
    seconds = stalled_after or settings.JOB_STALLED_AFTER_SECONDS
    manager = context.app.job_manager
    stalled = list(await manager.get_stalled_jobs(seconds_since_heartbeat=seconds))
    for job in stalled:
        log.warning("Job %s (%s) of a silent worker is queued again", job.id, job.task_name)
        await manager.retry_job(job)
    return len(stalled)


@jobs.periodic(cron="17 20 * * *")  # 03:17 in Jakarta
@jobs.task(name="ops.remove_old_jobs", queueing_lock="ops.remove_old_jobs", pass_context=True)
async def remove_old_jobs(context, timestamp=None):
    """Failed and cancelled jobs stay for ``JOB_KEEP_FAILED_DAYS`` (to be read in the admin), then go;
    succeeded ones are deleted by the worker as soon as they finish."""
    await context.app.job_manager.delete_old_jobs(
        nb_hours=settings.JOB_KEEP_FAILED_DAYS * 24,
        include_failed=True,
        include_cancelled=True,
        include_aborted=True,
    )
