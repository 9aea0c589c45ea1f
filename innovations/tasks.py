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
