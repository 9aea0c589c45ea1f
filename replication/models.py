"""Replication: an agency adapting another agency's proven innovation, with mentoring and evaluation."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from innovations.models import Innovation
from jipp.models import Agency, Hub, University


class ReplicationRequest(models.Model):
    """A request by a *replikator* agency to adapt a source innovation (*minat* → … → evaluated)."""

    class Status(models.TextChoices):
        INTEREST = "interest", pgettext_lazy("replication status", "Interest submitted")
        APPROVED = "approved", pgettext_lazy("replication status", "Approved")
        REJECTED = "rejected", pgettext_lazy("replication status", "Rejected")
        WITHDRAWN = "withdrawn", pgettext_lazy("replication status", "Withdrawn")
        AGREED = "agreed", pgettext_lazy("replication status", "Agreement recorded")
        DECLINED = "declined", pgettext_lazy("replication status", "Declined by origin agency")
        MENTORING = "mentoring", pgettext_lazy("replication status", "In mentoring")
        IMPLEMENTED = "implemented", pgettext_lazy("replication status", "Implemented")
        EVALUATED = "evaluated", pgettext_lazy("replication status", "Evaluated")

    OPEN_STATUSES = ("interest", "approved", "agreed", "mentoring", "implemented")

    source = models.ForeignKey(
        Innovation,
        on_delete=models.PROTECT,
        related_name="replication_requests",
        verbose_name=_("innovation"),
    )
    requesting_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="replication_requests",
        verbose_name=_("replicating agency"),
    )
    # The hub of the requesting agency's province, fixed when the request is made.
    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, related_name="replication_requests", null=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    # The adaptation plan in the ATM form: amati, tiru, modifikasi.
    observed = models.TextField(_("what we observed (amati)"))
    adopted = models.TextField(_("what we take over as is (tiru)"))
    modified = models.TextField(_("what we modify and why (modifikasi)"))
    local_need = models.TextField(_("local need and social conditions"))
    resources = models.TextField(_("resources"), blank=True)
    timeline = models.TextField(_("timeline"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200)
    contact_email = models.EmailField(_("contact email"))
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.INTEREST, db_index=True
    )
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    agreement_note = models.TextField(_("agreement"), blank=True)
    university = models.ForeignKey(
        University,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("partner university"),
    )
    result_innovation = models.OneToOneField(
        Innovation, on_delete=models.PROTECT, null=True, blank=True, related_name="replication_origin"
    )

    # Each stage keeps its date, so time per stage can be shown and stalled requests found.
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    agreed_at = models.DateTimeField(_("agreed"), null=True, blank=True)
    mentoring_started_at = models.DateTimeField(_("mentoring started"), null=True, blank=True)
    implemented_at = models.DateTimeField(_("implemented"), null=True, blank=True)
    evaluated_at = models.DateTimeField(_("evaluated"), null=True, blank=True)
    last_activity_at = models.DateTimeField(_("last activity"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("replication request")
        verbose_name_plural = _("replication requests")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "requesting_agency"],
                condition=Q(status__in=["interest", "approved", "agreed", "mentoring", "implemented"]),
                name="replication_one_open_request_per_agency",
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "interest",
                        "approved",
                        "rejected",
                        "withdrawn",
                        "agreed",
                        "declined",
                        "mentoring",
                        "implemented",
                        "evaluated",
                    ]
                ),
                name="replication_status_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["hub", "status", "created_at"], name="replication_hub_queue"),
        ]

    def __str__(self):
        return f"{self.requesting_agency} ← {self.source}"

    def get_absolute_url(self):
        return reverse("replication:detail", kwargs={"pk": self.pk})


class MentoringSession(models.Model):
    """*Pendampingan*: a mentoring session by the hub, often with a partner university."""

    request = models.ForeignKey(
        ReplicationRequest, on_delete=models.PROTECT, related_name="mentoring_sessions"
    )
    held_on = models.DateField(_("date"))
    mentors = models.CharField(_("mentors"), max_length=300)
    university = models.ForeignKey(
        University,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mentoring_sessions",
        verbose_name=_("partner university"),
    )
    topics = models.TextField(_("topics"))
    notes = models.TextField(_("notes"), blank=True)
    follow_ups = models.TextField(_("follow-ups"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["held_on", "id"]
        verbose_name = _("mentoring session")
        verbose_name_plural = _("mentoring sessions")

    def __str__(self):
        return f"{self.held_on}: {self.topics[:40]}"


class ProgressReport(models.Model):
    """A progress report by the replicating agency."""

    request = models.ForeignKey(ReplicationRequest, on_delete=models.PROTECT, related_name="progress_reports")
    reported_on = models.DateField(_("date"))
    progress = models.TextField(_("progress"))
    obstacles = models.TextField(_("obstacles"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["reported_on", "id"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")

    def __str__(self):
        return f"{self.reported_on}: {self.progress[:40]}"


class Evaluation(models.Model):
    """Monitoring and evaluation (*monev*) of a replication, by the hub or the ministry."""

    class Outcome(models.TextChoices):
        SUCCESSFUL = "successful", _("Successful")
        PARTIAL = "partial", _("Partly successful")
        UNSUCCESSFUL = "unsuccessful", _("Not successful")

    request = models.OneToOneField(ReplicationRequest, on_delete=models.PROTECT, related_name="evaluation")
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    score = models.PositiveSmallIntegerField(
        _("score (0–100)"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    lessons = models.TextField(_("lessons learned"))
    evaluated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=0, score__lte=100), name="evaluation_score_range"),
        ]

    def __str__(self):
        return f"{self.get_outcome_display()} ({self.score})"
