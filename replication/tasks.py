"""Replication's background jobs (jipp/ops/jobs.py)."""

from jipp.ops import jobs
from replication import services


@jobs.periodic(cron="0 1 * * *")  # 08:00 in Jakarta
@jobs.task(name="replication.flag_stalled_requests", queueing_lock="replication.flag_stalled_requests")
def flag_stalled_requests(timestamp=None):
    """Once a day: tell the parties of each request that stalled since (``services``)."""
    return len(services.flag_stalled_requests(now=jobs.moment(timestamp)))
