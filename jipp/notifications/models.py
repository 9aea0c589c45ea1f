"""The outbox and the inbox: one ``Notification`` row per recipient of every message the portal sends.

A row is written in the same transaction as the change that causes it (``jipp.notifications.notify``),
so a change that rolls back sends nothing and a saved change always has its message. The job worker
delivers it afterwards (``delivery.deliver``), with retries and backoff: a mail server that is down
for minutes loses nothing. Each row is also what the recipient's inbox shows in the workspace, so a
message that never arrives by email is still read.
"""

import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Kind(models.TextChoices):
    """What a message is about, for the recipient's preferences (``NotificationSettings``)."""

    RECORDS = "records", _("Decisions on my records and requests for access")
    REPLICATIONS = "replications", _("My replication requests")
    QUEUE = "queue", _("My queue as an officer")
    FOLLOWED = "followed", _("What I follow")
    # Password reset, address confirmation: always sent at once, never unsubscribable, not in the inbox.
    ACCOUNT = "account", _("Account security")


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", pgettext_lazy("notification frequency", "Immediately")
    DAILY = "daily", pgettext_lazy("notification frequency", "Daily digest")
    WEEKLY = "weekly", pgettext_lazy("notification frequency", "Weekly digest")
    OFF = "off", pgettext_lazy("notification frequency", "Off (inbox only)")


# The kinds a person chooses for, with the frequencies offered for each.
PERSONAL_KINDS = (Kind.RECORDS, Kind.REPLICATIONS, Kind.QUEUE)
FREQUENCIES = {
    Kind.RECORDS: (Frequency.IMMEDIATE, Frequency.DAILY, Frequency.OFF),
    Kind.REPLICATIONS: (Frequency.IMMEDIATE, Frequency.DAILY, Frequency.OFF),
    Kind.QUEUE: (Frequency.IMMEDIATE, Frequency.DAILY, Frequency.OFF),
    Kind.FOLLOWED: (Frequency.DAILY, Frequency.WEEKLY, Frequency.OFF),
}
DEFAULT_FREQUENCY = {
    Kind.RECORDS: Frequency.IMMEDIATE,
    Kind.REPLICATIONS: Frequency.IMMEDIATE,
    Kind.QUEUE: Frequency.IMMEDIATE,
    Kind.FOLLOWED: Frequency.DAILY,
}


class NotificationSettings(models.Model):
    """One person's language for messages and how often each kind reaches them by email. A person
    without a row has the defaults (``DEFAULT_FREQUENCY``, the portal's language)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="notification_settings",
    )
    language = models.CharField(
        _("language of messages"), max_length=10, choices=settings.LANGUAGES, blank=True
    )
    records = models.CharField(
        Kind.RECORDS.label, max_length=10, choices=Frequency.choices, default=DEFAULT_FREQUENCY[Kind.RECORDS]
    )
    replications = models.CharField(
        Kind.REPLICATIONS.label,
        max_length=10,
        choices=Frequency.choices,
        default=DEFAULT_FREQUENCY[Kind.REPLICATIONS],
    )
    queue = models.CharField(
        Kind.QUEUE.label, max_length=10, choices=Frequency.choices, default=DEFAULT_FREQUENCY[Kind.QUEUE]
    )
    followed = models.CharField(
        Kind.FOLLOWED.label,
        max_length=10,
        choices=Frequency.choices,
        default=DEFAULT_FREQUENCY[Kind.FOLLOWED],
    )
    # When the last digest of one's own notifications, and of what one follows, was written: the next
    # covers exactly what came after.
    digest_at = models.DateTimeField(null=True, blank=True)
    followed_digest_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(**{f"{kind}__in": [f.value for f in FREQUENCIES[kind]]}),
                name=f"notificationsettings_{kind}_valid",
            )
            for kind in FREQUENCIES
        ]

    def __str__(self):
        return str(self.user)

    def frequency(self, kind):
        return getattr(self, kind) if kind in FREQUENCIES else Frequency.IMMEDIATE


class ContactOptOut(models.Model):
    """A contact address without an account (a replication request's contact person) that asked, by
    the unsubscribe link of a message, to receive no more messages of one kind."""

    email = models.EmailField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint("email", "kind", name="contactoptout_unique")]

    def __str__(self):
        return f"{self.email} ({self.kind})"


class MailState(models.TextChoices):
    PENDING = "pending", pgettext_lazy("mail state", "To send")
    SENDING = "sending", pgettext_lazy("mail state", "Being sent")
    DIGEST = "digest", pgettext_lazy("mail state", "Waiting for the digest")
    SENT = "sent", pgettext_lazy("mail state", "Sent")
    IN_DIGEST = "in_digest", pgettext_lazy("mail state", "Sent in a digest")
    NOT_SENT = "not_sent", pgettext_lazy("mail state", "Not sent by email")
    FAILED = "failed", pgettext_lazy("mail state", "Could not be sent")
    # The mail server may have accepted it (no answer after the message was handed over): never
    # sent again, so nobody gets it twice; the inbox has it.
    UNCERTAIN = "uncertain", pgettext_lazy("mail state", "Probably sent")


class NotificationQuerySet(models.QuerySet):
    def inbox_of(self, user):
        return self.filter(recipient=user, in_inbox=True)

    def unread(self):
        return self.filter(read_at__isnull=True)

    def due(self, now=None):
        return self.filter(mail_state=MailState.PENDING, next_attempt_at__lte=now or timezone.now())


class Notification(models.Model):
    """One message to one recipient: an outbox row until it is sent, and an inbox entry for good."""

    MailState = MailState
    Kind = Kind

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    email = models.EmailField(blank=True)  # where it is mailed; a contact person may have no account
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # What the message is about: the inbox links to ``url`` (a site path this recipient may open).
    about_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True)
    about_id = models.BigIntegerField(null=True, blank=True)
    url = models.CharField(max_length=500, blank=True)
    subject = models.CharField(max_length=300)  # rendered when written, in the recipient's language
    template = models.CharField(max_length=200)  # the body, rendered when sent (and on the inbox page)
    context = models.JSONField(default=dict, blank=True)  # model instances stored as references
    language = models.CharField(max_length=10)
    in_inbox = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    mail_state = models.CharField(max_length=10, choices=MailState.choices, default=MailState.PENDING)
    # The same for every attempt: the Message-ID, so a mail system that sees a message twice knows it.
    delivery_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)  # when a worker began sending it
    last_error = models.TextField(blank=True)
    digest = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="items")

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            # The inbox, newest first, by keyset; and the menu's unread count.
            models.Index(fields=["recipient", "-id"], name="notification_inbox"),
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True, in_inbox=True),
                name="notification_unread",
            ),
            # The worker's sweep and the digests read only what is still to send.
            models.Index(
                fields=["next_attempt_at"], condition=Q(mail_state="pending"), name="notification_due"
            ),
            models.Index(
                fields=["claimed_at"], condition=Q(mail_state="sending"), name="notification_sending"
            ),
            models.Index(
                fields=["recipient", "kind"], condition=Q(mail_state="digest"), name="notification_digest"
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="notification_kind_valid"),
            models.CheckConstraint(
                condition=Q(mail_state__in=MailState.values), name="notification_mail_state_valid"
            ),
            models.CheckConstraint(
                condition=~Q(mail_state__in=["sent", "in_digest"]) | Q(sent_at__isnull=False),
                name="notification_sent_has_time",
            ),
            models.CheckConstraint(
                condition=Q(recipient__isnull=False) | ~Q(email=""), name="notification_has_recipient"
            ),
        ]

    def __str__(self):
        return self.subject

    @property
    def is_read(self):
        return self.read_at is not None

    def message_id(self):
        from urllib.parse import urlsplit

        host = urlsplit(settings.JIPP_SITE_URL).hostname or "jipp.invalid"
        return f"<{self.delivery_id}@{host}>"
