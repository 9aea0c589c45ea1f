"""Sending what the outbox holds: one row at a time, under its row lock, exactly once.

``deliver(pk)`` locks the row (``SKIP LOCKED``: a second worker, or a retried job whose first run is
still talking to the mail server, passes it by), re-checks that it is still to send, sends it through
an SMTP connection with a bounded timeout, and marks it sent in the same transaction. A failure counts
the attempt and sets the next one after an exponential backoff (``NOTIFICATIONS_RETRY_BASE`` seconds,
doubling, at most an hour), up to ``NOTIFICATIONS_MAX_ATTEMPTS``. Every attempt carries the same
Message-ID (from the row's ``delivery_id``).

``deliver_due`` sends every row whose time has come (the worker's periodic sweep, and what makes a
lost job harmless); ``send_digests`` gathers the rows waiting for a person's daily or weekly digest.
"""

import datetime
import logging

from django.conf import settings
from django.core import mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from jipp.notifications import unsubscribe
from jipp.notifications.models import Frequency, Kind, MailState, Notification, NotificationSettings
from jipp.notifications.outbox import absolute, unpack

log = logging.getLogger(__name__)

SENT, FAILED, SKIPPED = "sent", "failed", "skipped"


class DeliveryFailed(Exception):
    """The mail server refused or did not answer; the row says when the next attempt is."""


def retry_delay(attempts):
    base = settings.NOTIFICATIONS_RETRY_BASE
    return datetime.timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 3600))


def body_of(notification):
    """The message's text as its recipient reads it (the email, and the inbox's page)."""
    context = unpack(notification.context)
    extra = {
        "site_url": settings.JIPP_SITE_URL,
        "notification": notification,
        "url": absolute(notification.url),
    }
    with translation.override(notification.language):
        body = render_to_string(notification.template, {**context, **extra}).strip()
        if notification.kind != Kind.ACCOUNT:
            footer = render_to_string(
                "notifications/email/_footer.txt",
                {
                    "unsubscribe_url": absolute(unsubscribe.url_for(notification)),
                    "settings_url": absolute(reverse("notifications:settings"))
                    if notification.recipient_id
                    else "",
                    "inbox_url": absolute(reverse("notifications:inbox"))
                    if notification.recipient_id
                    else "",
                    "kind": notification.get_kind_display(),
                },
            ).strip()
            body = f"{body}\n\n-- \n{footer}"
    return body + "\n"


def message_of(notification, connection=None):
    headers = {"Message-ID": notification.message_id(), "Auto-Submitted": "auto-generated"}
    if notification.kind != Kind.ACCOUNT:
        # RFC 2369 and RFC 8058: mail programs offer "unsubscribe", which POSTs to the link.
        headers["List-Unsubscribe"] = f"<{absolute(unsubscribe.url_for(notification))}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return mail.EmailMessage(
        subject=notification.subject,
        body=body_of(notification),
        to=[notification.email],
        headers=headers,
        connection=connection,
    )


def connection():
    """A connection whose every network wait is bounded (``EMAIL_TIMEOUT``, 10 s unless set)."""
    return mail.get_connection(timeout=getattr(settings, "EMAIL_TIMEOUT", None) or 10)


def deliver(pk, *, now=None):
    """Send the row ``pk`` if it is still to send; ``SENT``, ``FAILED`` (to be retried, or given up)
    or ``SKIPPED`` (sent already, not due for email, or being sent by another worker now)."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk=pk, mail_state=MailState.PENDING)
            .first()
        )
        if notification is None:
            return SKIPPED
        now = now or timezone.now()
        notification.attempts += 1
        try:
            message_of(notification, connection()).send()
        except Exception as error:  # noqa: BLE001 - any failure is one more attempt, never a lost message
            notification.last_error = f"{type(error).__name__}: {error}"[:2000]
            notification.next_attempt_at = now + retry_delay(notification.attempts)
            if notification.attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS:
                notification.mail_state = MailState.FAILED
                log.error("Gave up sending notification %s to %s: %s", pk, notification.email, error)
            else:
                log.warning(
                    "Could not send notification %s (attempt %s): %s", pk, notification.attempts, error
                )
            notification.save(update_fields=["attempts", "last_error", "next_attempt_at", "mail_state"])
            return FAILED
        notification.mail_state = MailState.SENT
        notification.sent_at = now
        notification.last_error = ""
        notification.save(update_fields=["attempts", "mail_state", "sent_at", "last_error"])
        Notification.objects.filter(digest=notification, mail_state=MailState.DIGEST).update(
            mail_state=MailState.IN_DIGEST, sent_at=now
        )
    return SENT


def deliver_due(*, now=None, limit=500):
    """Send every row whose time has come, oldest first; how many were sent and failed."""
    now = now or timezone.now()
    pks = list(
        Notification.objects.due(now).order_by("next_attempt_at", "id").values_list("pk", flat=True)[:limit]
    )
    counts = {SENT: 0, FAILED: 0, SKIPPED: 0}
    for pk in pks:
        counts[deliver(pk, now=now)] += 1
    return counts


def enqueue(notification):
    """Ask the job worker to send ``notification``: the job is a row written through Django's
    connection, so it commits (or rolls back) with the outbox row and the change that caused it."""
    from jipp.notifications import tasks

    tasks.deliver.defer(notification_id=notification.pk)


# --- Digests of one's own notifications ---------------------------------------------------------------

# A little slack, so a job that runs at the same hour every day never skips a day.
DIGEST_EVERY = datetime.timedelta(days=1) - datetime.timedelta(hours=1)


def send_digests(*, now=None):
    """Once a day per person: one digest per kind of the rows waiting for it (a person who chose a
    daily digest); the rows count as sent when the digest is. Returns the digests written."""
    from jipp.notifications.outbox import notify

    now = now or timezone.now()
    written = []
    people = (
        Notification.objects.filter(mail_state=MailState.DIGEST, digest__isnull=True, recipient__isnull=False)
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    for recipient_id in sorted(set(people)):
        with transaction.atomic():
            own, _ = NotificationSettings.objects.select_for_update().get_or_create(user_id=recipient_id)
            if own.digest_at is not None and now - own.digest_at < DIGEST_EVERY:
                continue
            waiting = Notification.objects.select_for_update().filter(
                recipient_id=recipient_id, mail_state=MailState.DIGEST, digest__isnull=True
            )
            by_kind = {}
            for row in waiting.order_by("created_at", "id"):
                by_kind.setdefault(row.kind, []).append(row)
            for kind, items in sorted(by_kind.items()):
                pks = [item.pk for item in items]
                if own.frequency(kind) == Frequency.OFF:
                    Notification.objects.filter(pk__in=pks).update(mail_state=MailState.NOT_SENT)
                    continue
                digest = notify(
                    to=own.user,
                    kind=Kind(kind),
                    template="notifications/email/digest.txt",
                    context={"items": pks, "kind_label": Kind(kind).label, "count": len(pks)},
                    url=reverse("notifications:inbox"),
                    now=now,
                    state=MailState.PENDING,
                    in_inbox=False,
                )
                if digest is not None:
                    Notification.objects.filter(pk__in=pks).update(digest=digest)
                    written.append(digest)
            own.digest_at = now
            own.save(update_fields=["digest_at"])
    return written
