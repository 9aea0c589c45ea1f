"""What a hub presents and does: its team, documents and events."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jipp.models import Hub
from jipp.uploads import random_name


def hub_document_upload_to(instance, filename):
    """Random stored name with the extension of the *detected* type: nothing of the uploader's name
    reaches the disk (jipp.uploads sets ``instance.content_type`` before saving)."""

    return random_name("hub-documents", instance.content_type)


class HubTeamMember(models.Model):
    """A person of the hub's implementation team (*tim pelaksana*) as the hub chooses to present them.

    Kept apart from ``Membership`` on purpose: a membership grants rights and is private, while this is
    what the public page shows (a head of team with no account, a title the hub prefers); the link to
    an account is optional.
    """

    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, related_name="team")
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role in the team"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0, help_text=_("Smaller numbers first."))
    is_published = models.BooleanField(_("shown on the public page"), default=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_removed = models.BooleanField(default=False)  # nothing is hard-deleted by the app
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["order", "name", "id"]
        verbose_name = _("team member")
        verbose_name_plural = _("team members")

    def __str__(self):
        return f"{self.name} ({self.role})"


class HubDocumentQuerySet(models.QuerySet):
    def current(self):
        return self.filter(is_removed=False)


class HubDocument(models.Model):
    """A regulation, decree (*SK*), guideline or report of the hub: an uploaded file or a link."""

    class Kind(models.TextChoices):
        REGULATION = "regulation", _("Regulation")
        DECREE = "decree", _("Decree")
        GUIDELINE = "guideline", _("Guideline")
        REPORT = "report", _("Report")
        OTHER = "other", _("Other document")

    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.REGULATION)
    title = models.CharField(_("title"), max_length=300)
    number = models.CharField(_("number"), max_length=120, blank=True)
    issued_on = models.DateField(_("date"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to=hub_document_upload_to, max_length=200, blank=True)
    content_type = models.CharField(max_length=40, blank=True)
    size = models.PositiveIntegerField(_("size in bytes"), null=True, blank=True)
    original_name = models.CharField(max_length=200, blank=True)
    link = models.URLField(_("link"), blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    is_removed = models.BooleanField(default=False)

    objects = HubDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("hub document")
        verbose_name_plural = _("hub documents")
        constraints = [
            models.CheckConstraint(condition=~Q(file="") | ~Q(link=""), name="hubdocument_file_or_link"),
            models.CheckConstraint(
                condition=Q(kind__in=["regulation", "decree", "guideline", "report", "other"]),
                name="hubdocument_kind_valid",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        if self.file:
            return reverse("hub_document_file", kwargs={"slug": self.hub.slug, "pk": self.pk})
        return self.link


class HubEventQuerySet(models.QuerySet):
    def current(self):
        return self.filter(is_removed=False)


class HubEvent(models.Model):
    """A socialisation (*sosialisasi*), workshop or knowledge-exchange session held by the hub."""

    class Kind(models.TextChoices):
        SOCIALISATION = "socialisation", _("Socialisation")
        WORKSHOP = "workshop", _("Workshop")
        KNOWLEDGE_EXCHANGE = "exchange", _("Knowledge exchange")
        OTHER = "other", _("Other event")

    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.SOCIALISATION)
    title = models.CharField(_("title"), max_length=300)
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    is_removed = models.BooleanField(default=False)

    objects = HubEventQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("hub event")
        verbose_name_plural = _("hub events")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["socialisation", "workshop", "exchange", "other"]),
                name="hubevent_kind_valid",
            ),
        ]
        indexes = [models.Index(fields=["hub", "held_on"], name="hubevent_hub_date")]

    def __str__(self):
        return f"{self.held_on}: {self.title}"


class MonthlyReportDelivery(models.Model):
    """A month's report sent (``hubs.services.send_monthly_reports``): to one hub's officers, or, with no
    hub, the ministry's summary of every hub. Written in the same transaction as the emails are
    queued, so each goes out once however often the job runs."""

    month = models.DateField(_("month"))  # its first day
    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    recipients = models.PositiveIntegerField(_("recipients"), default=0)
    sent_at = models.DateTimeField(_("sent"))

    class Meta:
        verbose_name = _("monthly report sent")
        verbose_name_plural = _("monthly reports sent")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "hub"], nulls_distinct=False, name="monthlyreportdelivery_once"
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="monthlyreportdelivery_first_day"),
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} · {self.hub_id or 'ministry'}"
