"""Sending what the outbox holds: each row exactly once, as a small state machine.

``deliver(pk)`` claims the row under its lock (``SKIP LOCKED``; PENDING → SENDING, committed), so a
second worker, the sweep, or a retried job whose first run is still talking to the mail server passes
it by. It then sends through one connection whose every wait is bounded (``EMAIL_TIMEOUT``), and
marks it SENT. A failure before the server could have accepted the message counts the attempt and
puts the row back to PENDING after an exponential backoff (``NOTIFICATIONS_RETRY_BASE`` seconds,
doubling, at most an hour), up to ``NOTIFICATIONS_MAX_ATTEMPTS``; a failure after it (a timeout
waiting for the answer to DATA, ``smtp.py``) marks it UNCERTAIN and it is never sent again. Every
attempt carries the same Message-ID (from the row's ``delivery_id``).

``deliver_due`` sends every row whose time has come (the worker's periodic sweep, and what makes a
lost job harmless); ``send_digests`` gathers the rows waiting for a person's daily digest.
"""

import contextlib
import datetime
import logging
import smtplib

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


def body_of(notification, *, footer=True):
    """The message's text as its recipient reads it: the email, and without the footer (its links to
    the inbox, the settings and to unsubscribe) the inbox's page."""
    context = unpack(notification.context)
    extra = {
        "site_url": settings.JIPP_SITE_URL,
        "notification": notification,
        "url": absolute(notification.url),
    }
    with translation.override(notification.language):
        body = render_to_string(notification.template, {**context, **extra}).strip()
        if footer and notification.kind != Kind.ACCOUNT:
            text = render_to_string(
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
            body = f"{body}\n\n-- \n{text}"
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


def _claim(pk, now):
    """PENDING → SENDING under the row lock, committed before anything goes on the wire."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk=pk, mail_state=MailState.PENDING)
            .first()
        )
        if notification is None:
            return None
        notification.mail_state = MailState.SENDING
        notification.claimed_at = now
        notification.attempts += 1
        notification.save(update_fields=["mail_state", "claimed_at", "attempts"])
    return notification


def _finish(notification, state, **fields):
    """SENDING → ``state``, only if the row is still ours (nobody else touched it meanwhile)."""
    fields = {"mail_state": state, **fields}
    return bool(
        Notification.objects.filter(
            pk=notification.pk, mail_state=MailState.SENDING, claimed_at=notification.claimed_at
        ).update(**fields)
    )


def _permanent(error):
    code = getattr(error, "smtp_code", None)
    if code is None and isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [answer[0] for answer in error.recipients.values()]
        code = min(codes) if codes else None
    return isinstance(code, int) and 500 <= code < 600


def deliver(pk, *, now=None):
    """Send the row ``pk`` if it is still to send: ``SENT``, ``FAILED`` (to be retried, or given up)
    or ``SKIPPED`` (sent already, not due for email, or being sent by another worker now).

    The row is claimed (PENDING → SENDING) and committed first, so a second worker or a retried job
    passes it by while it is on the wire. Then one connection: an error before the server could have
    accepted the message puts it back to PENDING with a backoff (or FAILED: a permanent refusal, or
    too many attempts); an error after (``message_may_be_accepted``) marks it UNCERTAIN, never sent
    again."""
    now = now or timezone.now()
    notification = _claim(pk, now)
    if notification is None:
        return SKIPPED
    link = connection()
    try:
        message = message_of(notification, link)
        link.open()
        message.send()
    except Exception as error:  # noqa: BLE001 - any failure is one more attempt, never a lost message
        maybe = getattr(link, "message_may_be_accepted", None)
        text = f"{type(error).__name__}: {error}"[:2000]
        if maybe is not None and maybe():
            log.error(
                "Notification %s to %s may have been accepted: not sent again (%s)",
                pk,
                notification.email,
                text,
            )
            _finish(notification, MailState.UNCERTAIN, last_error=text, sent_at=None)
        elif _permanent(error) or notification.attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS:
            log.error("Gave up sending notification %s to %s: %s", pk, notification.email, text)
            _finish(notification, MailState.FAILED, last_error=text)
        else:
            log.warning("Could not send notification %s (attempt %s): %s", pk, notification.attempts, text)
            _finish(
                notification,
                MailState.PENDING,
                last_error=text,
                next_attempt_at=now + retry_delay(notification.attempts),
            )
        return FAILED
    finally:
        with contextlib.suppress(Exception):  # closing a broken connection may fail too
            link.close()
    # Account mail carries one-time secrets (a reset token, a confirmation link): once sent, the row
    # keeps no copy of them.
    forget = {"context": {}} if notification.kind == Kind.ACCOUNT else {}
    with transaction.atomic():
        _finish(notification, MailState.SENT, sent_at=timezone.now(), last_error="", **forget)
        Notification.objects.filter(digest=notification, mail_state=MailState.DIGEST).update(
            mail_state=MailState.IN_DIGEST, sent_at=timezone.now()
        )
    return SENT


def retry_due(pk):
    """Whether ``pk`` waits for another attempt (not sent, not given up, not possibly sent)."""
    return Notification.objects.filter(pk=pk, mail_state=MailState.PENDING).exists()


def release_stale(*, now=None):
    """Rows left SENDING by a worker that died mid-send: they may have gone out, so UNCERTAIN."""
    now = now or timezone.now()
    stale = now - datetime.timedelta(seconds=settings.NOTIFICATIONS_SENDING_STALE_SECONDS)
    count = Notification.objects.filter(mail_state=MailState.SENDING, claimed_at__lt=stale).update(
        mail_state=MailState.UNCERTAIN, last_error="The worker stopped while sending it."
    )
    if count:
        log.error("%s notification(s) were being sent by a worker that stopped: marked probably sent", count)
    return count


def deliver_due(*, now=None, limit=500):
    """Send every row whose time has come, oldest first; how many were sent and failed."""
    now = now or timezone.now()
    release_stale(now=now)
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
