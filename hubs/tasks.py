"""Province hubs' background jobs (jipp/ops/jobs.py)."""

from hubs import services
from jipp.ops import jobs


# Daily, so a month whose 1st the worker missed is still sent (once) the next day.
@jobs.periodic(cron="0 1 * * *")  # 08:00 in Jakarta
@jobs.task(name="hubs.send_monthly_reports", queueing_lock="hubs.send_monthly_reports")
def send_monthly_reports(timestamp=None):
    """Email last month's report to each hub's officers and a summary to the ministry, once a month."""
    return services.send_monthly_reports(now=jobs.moment(timestamp))
