"""Province hubs' background jobs (jipp/ops/jobs.py)."""

from hubs import monitoring, services
from jipp.ops import jobs


# Daily, so a month whose 1st the worker missed is still sent (once) the next day.
@jobs.periodic(cron="0 1 * * *")  # 08:00 in Jakarta
@jobs.task(name="hubs.send_monthly_reports", queueing_lock="hubs.send_monthly_reports")
def send_monthly_reports(timestamp=None):
    """Email last month's report to each hub's officers and a summary to the ministry, once a month."""
    return services.send_monthly_reports(now=jobs.moment(timestamp))


# Every five minutes, inside the counts' ten-minute lifetime: the monitoring overview never counts
# a million records while someone waits.
@jobs.periodic(cron="*/5 * * * *")
@jobs.task(name="hubs.refresh_monitoring_counts", queueing_lock="hubs.refresh_monitoring_counts")
def refresh_monitoring_counts(timestamp=None):
    """Recount the records due for re-confirmation per province for the monitoring overview."""
    return len(monitoring.refresh_reconfirmation_due_counts())
