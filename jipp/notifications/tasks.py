"""The worker's jobs for the outbox: send one message (deferred in the transaction that wrote it),
sweep whatever is due (every minute: rows whose job was lost, or written while no worker ran), and
the daily digests."""

from jipp.notifications import delivery
from jipp.ops import jobs


@jobs.task(name="notifications.deliver", retry=jobs.RETRY_PATIENT)
def deliver(*, notification_id):
    """Send one row. A failure raises, so the queue retries with backoff; the row's lock and state
    make every retry (or a sweep at the same moment) send it at most once."""
    if delivery.deliver(notification_id) == delivery.FAILED and delivery.retry_due(notification_id):
        raise delivery.DeliveryFailed(notification_id)


@jobs.periodic(cron="* * * * *")
@jobs.task(
    name="notifications.deliver_due", queueing_lock="notifications.deliver_due", retry=jobs.RETRY_DEFAULT
)
def deliver_due(timestamp=None):
    return delivery.deliver_due(now=jobs.moment(timestamp))


@jobs.periodic(cron="0 0 * * *")  # 07:00 in Jakarta
@jobs.task(name="notifications.send_digests", queueing_lock="notifications.send_digests")
def send_digests(timestamp=None):
    return len(delivery.send_digests(now=jobs.moment(timestamp)))
