from following import digest
from jipp.ops import jobs


@jobs.periodic(cron="30 0 * * *")  # 07:30 in Jakarta, after the digests of one's own notifications
@jobs.task(name="following.send_digests", queueing_lock="following.send_digests")
def send_digests(timestamp=None):
    """The daily and weekly digests of what people follow (each person's rhythm is checked inside)."""
    return len(digest.send_followed_digests(now=jobs.moment(timestamp)))
