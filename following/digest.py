"""The digest of what is new in what a person follows, daily or weekly as they chose (kind
"followed" of their notification settings), written to the outbox by the periodic job.

Each digest covers exactly the time since the previous one (``NotificationSettings.followed_digest_at``;
a new follow counts from when it was made), so nothing is told twice and nothing is skipped. It is
an inbox entry too, whose page shows the same list. ``now`` is a parameter so tests control the clock.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from following import targets
from following.models import Follow
from jipp.notifications.models import Frequency, Kind, MailState, NotificationSettings
from jipp.notifications.outbox import absolute, language_of, notify

PERIOD = {
    Frequency.DAILY: datetime.timedelta(days=1),
    Frequency.WEEKLY: datetime.timedelta(days=7),
}
SLACK = datetime.timedelta(hours=1)  # a job at the same hour every day never skips a day


def _due(own, now):
    frequency = own.followed
    if frequency not in PERIOD:
        return False
    return own.followed_digest_at is None or now - own.followed_digest_at >= PERIOD[frequency] - SLACK


def digest_for(user, *, since, until, language):
    """The sections (one per followed target with news) of ``user``'s digest for the period."""
    sections = []
    follows = Follow.objects.filter(user=user).select_related("innovation", "agency", "province", "hub")
    with translation.override(language):
        for follow in follows:
            target = targets.of_follow(follow)
            start = max(since, follow.created_at) if since else follow.created_at
            items = targets.news(target, since=start, until=until, limit=20)
            if items:
                sections.append(
                    {
                        "name": target.name,
                        "kind": str(target.kind_label),
                        "url": absolute(target.page_url),
                        "items": [
                            {"title": item.title, "url": absolute(item.url), "when": item.when}
                            for item in items
                        ],
                    }
                )
    return sections


def send_followed_digests(*, now=None):
    """Write the digest of every person whose daily or weekly digest is due and who has news; returns
    the rows written."""
    now = now or timezone.now()
    written = []
    people = get_user_model().objects.filter(is_active=True, follows__isnull=False).distinct().order_by("pk")
    for user in people:
        with transaction.atomic():
            own, _ = NotificationSettings.objects.select_for_update().get_or_create(user=user)
            if not _due(own, now):
                continue
            language = language_of(user)
            sections = digest_for(user, since=own.followed_digest_at, until=now, language=language)
            if sections:
                row = notify(
                    to=user,
                    kind=Kind.FOLLOWED,
                    template="following/email/digest.txt",
                    context={
                        "sections": sections,
                        "count": sum(len(section["items"]) for section in sections),
                        "weekly": own.followed == Frequency.WEEKLY,
                        "follows_url": absolute(reverse("following:list")),
                    },
                    url=reverse("following:list"),
                    now=now,
                    # The person chose this rhythm for it: the digest itself goes out at once.
                    state=MailState.PENDING,
                )
                if row is not None:
                    written.append(row)
            own.followed_digest_at = now
            own.save(update_fields=["followed_digest_at"])
    return written
