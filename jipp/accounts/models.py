"""Access requests: a person asks to act for an agency, and the agency's hub officer (or the
ministry) decides."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jipp.models import Agency


class AccessRequestQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=AccessRequest.Status.PENDING)


class AccessRequestStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("access request status", "Waiting for a decision")
    APPROVED = "approved", pgettext_lazy("access request status", "Approved")
    DECLINED = "declined", pgettext_lazy("access request status", "Declined")


class AccessRequest(models.Model):
    """A person asks to act for an agency; an officer of the agency's province hub (or an administrator)
    vouches for them by approving, which grants the staff membership. Nobody acts for an agency
    without this."""

    Status = AccessRequestStatus

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="access_requests"
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="access_requests", verbose_name=_("agency")
    )
    position = models.CharField(_("position"), max_length=200)
    message = models.TextField(
        _("message to the hub"),
        blank=True,
        help_text=_("Who can confirm that you work at this agency, for example your head of office."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(_("note on the decision"), blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)

    objects = AccessRequestQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("access request")
        verbose_name_plural = _("access requests")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=AccessRequestStatus.values),
                name="access_request_status_valid",
            ),
            # One open request per person: a second one waits until the first is decided.
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status=AccessRequestStatus.PENDING),
                name="access_request_one_pending_per_user",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="access_request_queue")]

    def __str__(self):
        return f"{self.user} → {self.agency}"
