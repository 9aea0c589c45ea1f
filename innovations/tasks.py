"""Innovation records' background jobs (jipp/ops/jobs.py)."""

from innovations import services
from jipp.ops import jobs


@jobs.periodic(cron="30 1 * * *")  # 08:30 in Jakarta
@jobs.task(
    name="innovations.send_reconfirmation_reminders",
    queueing_lock="innovations.send_reconfirmation_reminders",
)
def send_reconfirmation_reminders(timestamp=None):
    """Once a day: remind each agency of its records that fell due for re-confirmation since."""
    return sum(services.send_reconfirmation_reminders(now=jobs.moment(timestamp)).values())


@jobs.task(name="innovations.process_import", retry=jobs.RETRY_DEFAULT)
def process_import(*, run_id):
    """Check or import one large file (``innovations.importing.process_run``). A retry after a worker
    died mid-file starts the phase again: rows already saved are found by their source id and count as
    unchanged, so nothing is written twice."""
    from innovations import importing

    importing.process_run(run_id, resume=True)
