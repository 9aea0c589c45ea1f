"""Replication: an agency adapting another agency's proven innovation, with mentoring and evaluation.

The life of a request is a small state machine; every transition is a method of ``ReplicationRequest``
that locks the row, re-checks the state and the actor's right to act (``jipp.access``), saves with
``update_fields``, writes an ``AuditEntry`` in the same transaction and queues e-mails for after commit.
Illegal transitions raise ``jipp.errors.Conflict`` (a stale or forged action: the 409 page); an actor
without the right raises ``PermissionDenied`` (403). The one transition that writes another app's
table (implemented → a draft ``Innovation``) lives in ``replication.services``.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from innovations.models import Innovation
from jipp.errors import Conflict
from jipp.models import Agency, AuditEntry, Hub, University
from replication import rules

STALLED_AFTER = rules.STALLED_AFTER  # kept here for the pages that name the rule

# How the steps of the audit trail read on the request page.
AUDIT_ACTIONS = {
    "create": _("Interest submitted"),
    "approve": _("Approved by the hub"),
    "reject": _("Rejected by the hub"),
    "withdraw": _("Withdrawn by the requester"),
    "agree": _("Agreement recorded"),
    "decline": _("Declined by the origin agency"),
    "mentoring": _("Mentoring session recorded"),
    "progress": _("Progress report filed"),
    "implemented": _("Declared implemented"),
    "evaluate": _("Evaluated"),
    "stalled": _("Flagged as stalled"),
}


class ReplicationStatus(models.TextChoices):
    INTEREST = "interest", pgettext_lazy("replication status", "Interest submitted")
    APPROVED = "approved", pgettext_lazy("replication status", "Approved")
    REJECTED = "rejected", pgettext_lazy("replication status", "Rejected")
    WITHDRAWN = "withdrawn", pgettext_lazy("replication status", "Withdrawn")
    AGREED = "agreed", pgettext_lazy("replication status", "Agreement recorded")
    DECLINED = "declined", pgettext_lazy("replication status", "Declined by origin agency")
    MENTORING = "mentoring", pgettext_lazy("replication status", "In mentoring")
    IMPLEMENTED = "implemented", pgettext_lazy("replication status", "Implemented")
    EVALUATED = "evaluated", pgettext_lazy("replication status", "Evaluated")


S = ReplicationStatus
OPEN_STATUSES = (S.INTEREST, S.APPROVED, S.AGREED, S.MENTORING, S.IMPLEMENTED)
# Approved and every later stage: the replications the public sees.
PUBLIC_STATUSES = (S.APPROVED, S.AGREED, S.MENTORING, S.IMPLEMENTED, S.EVALUATED)
CLOSED_STATUSES = (S.REJECTED, S.WITHDRAWN, S.DECLINED, S.EVALUATED)
# The one table of which step may be taken from which status, keyed by the step's audit action.
# The transitions check it under their row lock; the request page offers only these steps.
STEP_FROM = {
    "approve": {S.INTEREST},
    "reject": {S.INTEREST},
    "withdraw": {S.INTEREST},
    "agree": {S.APPROVED},
    "decline": {S.APPROVED},
    "mentoring": {S.AGREED, S.MENTORING, S.IMPLEMENTED},
    "progress": {S.AGREED, S.MENTORING, S.IMPLEMENTED},
    "implemented": {S.MENTORING},
    "evaluate": {S.IMPLEMENTED},
}
# The field holding when each status began ("time in the current stage"), for pages and SQL alike.
STAGE_STARTED = {
    S.INTEREST: "created_at",
    S.APPROVED: "decided_at",
    S.REJECTED: "decided_at",
    S.WITHDRAWN: "withdrawn_at",
    S.AGREED: "agreed_at",
    S.DECLINED: "declined_at",
    S.MENTORING: "mentoring_started_at",
    S.IMPLEMENTED: "implemented_at",
    S.EVALUATED: "evaluated_at",
}


class ReplicationRequestQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=ReplicationRequest.OPEN_STATUSES)

    def public(self):
        """Approved replications and every later stage: what anyone may see."""
        return self.filter(status__in=ReplicationRequest.PUBLIC_STATUSES)

    def stalled(self, now=None):
        return self.filter(rules.stalled_q(now))

    def visible_to(self, user):

        return rules.replication_requests_visible_to(user, self)


class ReplicationRequest(models.Model):
    """A request by a *replikator* agency to adapt a source innovation (*minat* → … → evaluated)."""

    Status = ReplicationStatus
    OPEN_STATUSES = OPEN_STATUSES
    PUBLIC_STATUSES = PUBLIC_STATUSES
    CLOSED_STATUSES = CLOSED_STATUSES
    STEP_FROM = STEP_FROM
    STAGE_STARTED = STAGE_STARTED

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
    # The hub of the requesting agency's province, fixed when the request is made. Without a hub in
    # that province the ministry facilitates (see jipp.access.can_facilitate_replication).
    hub = models.ForeignKey(
        Hub, on_delete=models.PROTECT, related_name="replication_requests", null=True, blank=True
    )
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

    # Each stage keeps its date, so time per stage can be shown and stalled requests found. Defaults
    # (not auto_now_add) so services and tests can pass their own clock.
    created_at = models.DateTimeField(_("requested"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    agreed_at = models.DateTimeField(_("agreed"), null=True, blank=True)
    declined_at = models.DateTimeField(_("declined"), null=True, blank=True)
    mentoring_started_at = models.DateTimeField(_("mentoring started"), null=True, blank=True)
    implemented_at = models.DateTimeField(_("implemented"), null=True, blank=True)
    evaluated_at = models.DateTimeField(_("evaluated"), null=True, blank=True)
    last_activity_at = models.DateTimeField(_("last activity"), default=timezone.now, db_index=True)
    # When the current stall was flagged to the parties (replication.services.flag_stalled_requests);
    # earlier than last_activity_at once something happens again, so the next stall is flagged anew.
    stall_flagged_at = models.DateTimeField(_("stall flagged"), null=True, blank=True, editable=False)

    objects = ReplicationRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("replication request")
        verbose_name_plural = _("replication requests")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "requesting_agency"],
                condition=Q(status__in=OPEN_STATUSES),
                name="replication_one_open_request_per_agency",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ReplicationStatus.values),
                name="replication_status_valid",
            ),
            # The stage dates follow the status: a later stage always has its date.
            models.CheckConstraint(
                condition=~Q(status__in=[s for s in ReplicationStatus if s not in (S.INTEREST, S.WITHDRAWN)])
                | Q(decided_at__isnull=False),
                name="replication_decided_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[S.IMPLEMENTED, S.EVALUATED]) | Q(implemented_at__isnull=False),
                name="replication_implemented_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["hub", "status", "created_at"], name="replication_hub_queue"),
            # The public list: newest first among approved-or-later, read by keyset (id < cursor).
            models.Index(
                fields=["-id"],
                condition=Q(status__in=PUBLIC_STATUSES),
                name="replication_public_newest",
            ),
        ]

    def __str__(self):
        return f"{self.requesting_agency} ← {self.source}"

    def get_absolute_url(self):
        return reverse("replication:detail", kwargs={"pk": self.pk})

    def get_public_url(self):
        return reverse("replication:public_detail", kwargs={"pk": self.pk})

    # --- Reading the state ------------------------------------------------------------------------

    @property
    def is_open(self):
        return self.status in self.OPEN_STATUSES

    @property
    def is_public(self):
        return self.status in self.PUBLIC_STATUSES

    def allows(self, action) -> bool:
        """Whether the step ``action`` (a key of ``STEP_FROM``) is possible in the present status."""
        return self.status in self.STEP_FROM[action]

    def current_stage_started_at(self):
        """When the request entered its present status (``STAGE_STARTED``; the request's creation
        when that date is missing)."""
        field = self.STAGE_STARTED.get(self.status)
        return (getattr(self, field) if field else None) or self.created_at

    def time_in_stage(self, now=None):
        """How long an open request has waited in its present stage (``None`` once closed)."""
        if not self.is_open:
            return None
        return (now or timezone.now()) - self.current_stage_started_at()

    def days_in_stage(self, now=None):
        waited = self.time_in_stage(now)
        return None if waited is None else waited.days

    def is_stalled(self, now=None):
        """Open, and nothing has happened for ``STALLED_AFTER`` (``rules.stalled_q`` in SQL)."""
        return self.is_open and self.last_activity_at <= rules.stalled_before(now)

    def stage_timeline(self, now=None):
        """The stages passed so far, each with its start, its end and the days spent in it.

        The open stage runs until ``now``; closed requests end at their closing date.
        """
        now = now or timezone.now()
        S = self.Status
        steps = [(S.INTEREST, self.created_at)]
        if self.withdrawn_at:
            steps.append((S.WITHDRAWN, self.withdrawn_at))
        if self.decided_at:
            steps.append((S.REJECTED if self.status == S.REJECTED else S.APPROVED, self.decided_at))
        if self.declined_at:
            steps.append((S.DECLINED, self.declined_at))
        for status, at in (
            (S.AGREED, self.agreed_at),
            (S.MENTORING, self.mentoring_started_at),
            (S.IMPLEMENTED, self.implemented_at),
            (S.EVALUATED, self.evaluated_at),
        ):
            if at:
                steps.append((status, at))
        timeline = []
        for index, (status, started) in enumerate(steps):
            is_last = index == len(steps) - 1
            if is_last:
                ended = now if self.is_open else None
            else:
                ended = steps[index + 1][1]
            timeline.append(
                {
                    "status": status,
                    "label": S(status).label,
                    "started_at": started,
                    "ended_at": ended if not is_last else None,
                    "days": (ended - started).days if ended else None,
                    "is_current": is_last,
                }
            )
        return timeline

    # --- Transitions ------------------------------------------------------------------------------

    def _transition(
        self,
        *,
        by,
        action,
        to=None,
        check,
        now=None,
        changes=None,
        comment="",
        after=None,
        notify=None,
    ):
        """Lock, re-check, change, audit, notify after commit; copy the new state onto ``self``.

        ``check(user, locked)`` comes from jipp.access and says whether ``by`` may act. ``changes`` maps
        field names to new values; ``after(locked, now)`` writes the rows a step adds (a session, …).
        """
        from replication import notifications

        now = now or timezone.now()
        with transaction.atomic():
            locked = (
                type(self)
                .objects.select_for_update(of=("self",))
                .select_related(
                    "source", "source__agency", "hub", "requesting_agency__province", "requested_by"
                )
                .get(pk=self.pk)
            )
            if not check(by, locked):
                raise PermissionDenied(_("You may not take this step on this replication request."))
            if not locked.allows(action):
                raise Conflict(
                    _("This step is not possible: the request is now “%(status)s”.")
                    % {"status": locked.get_status_display()}
                )
            from_state = locked.status
            if callable(changes):
                changes = changes(locked, now)
            fields = {"last_activity_at": now, **(changes or {})}
            target = to(locked) if callable(to) else to
            if target is not None:
                fields["status"] = target
            for name, value in fields.items():
                setattr(locked, name, value(now) if callable(value) else value)
            locked.save(update_fields=list(fields))
            extra = after(locked, now) if after else None
            AuditEntry.record(
                locked,
                actor=by,
                action=action,
                from_state=from_state,
                to_state=locked.status,
                comment=comment,
            )
            if notify:
                # Outbox rows in this transaction (jipp.notifications): a rollback sends nothing.
                notifications.notify(locked, notify, actor=by, comment=comment, detail=extra)
        for field in self._meta.concrete_fields:
            setattr(self, field.attname, getattr(locked, field.attname))
        return extra

    def approve(self, *, by, reason="", now=None):
        """The hub approves the interest (*persetujuan*)."""

        return self._transition(
            by=by,
            action="approve",
            to=self.Status.APPROVED,
            check=rules.can_facilitate_replication,
            now=now,
            changes={"decided_at": lambda now: now, "decision_reason": reason.strip()},
            comment=reason,
            notify="approved",
        )

    def reject(self, *, by, reason, now=None):
        """The hub rejects the interest; a reason is required."""

        reason = (reason or "").strip()
        if not reason:
            raise ValidationError({"reason": _("Give the reason for the rejection.")})
        return self._transition(
            by=by,
            action="reject",
            to=self.Status.REJECTED,
            check=rules.can_facilitate_replication,
            now=now,
            changes={"decided_at": lambda now: now, "decision_reason": reason},
            comment=reason,
            notify="rejected",
        )

    def withdraw(self, *, by, reason="", now=None):
        """The requester withdraws while the hub has not decided."""

        return self._transition(
            by=by,
            action="withdraw",
            to=self.Status.WITHDRAWN,
            check=rules.can_act_as_replicator,
            now=now,
            changes={"withdrawn_at": lambda now: now},
            comment=reason,
            notify="withdrawn",
        )

    def confirm_agreement(self, *, by, note="", now=None):
        """The origin agency agrees to share its knowledge (*kesepakatan*), recorded by its staff or
        by the hub on its behalf."""

        return self._transition(
            by=by,
            action="agree",
            to=self.Status.AGREED,
            check=rules.can_answer_for_origin,
            now=now,
            changes={"agreed_at": lambda now: now, "agreement_note": note.strip()},
            comment=note,
            notify="agreed",
        )

    def decline_agreement(self, *, by, reason, now=None):
        """The origin agency declines; a reason is required. The request closes."""

        reason = (reason or "").strip()
        if not reason:
            raise ValidationError({"reason": _("Give the reason for declining.")})
        return self._transition(
            by=by,
            action="decline",
            to=self.Status.DECLINED,
            check=rules.can_answer_for_origin,
            now=now,
            changes={"declined_at": lambda now: now, "agreement_note": reason},
            comment=reason,
            notify="declined",
        )

    def record_mentoring(
        self, *, by, held_on, mentors, topics, university=None, notes="", follow_ups="", now=None
    ):
        """A mentoring session (*pendampingan*). The first one moves an agreed request into mentoring;
        sessions may follow until the evaluation."""

        session = MentoringSession(
            request_id=self.pk,
            held_on=held_on,
            mentors=mentors,
            topics=topics,
            university=university,
            notes=notes,
            follow_ups=follow_ups,
            recorded_by=by,
        )
        session.full_clean(exclude=["request", "recorded_by"])

        def add_session(locked, now):
            session.created_at = now
            session.save()
            return session

        def starts_mentoring(locked):
            # Decided on the locked row: two officers recording at once must not both "start".
            return locked.status == self.Status.AGREED

        return self._transition(
            by=by,
            action="mentoring",
            now=now,
            to=lambda locked: self.Status.MENTORING if starts_mentoring(locked) else None,
            changes=lambda locked, now: {"mentoring_started_at": now} if starts_mentoring(locked) else {},
            check=rules.can_facilitate_replication,
            comment=topics,
            after=add_session,
            notify="mentoring",
        )

    def report_progress(self, *, by, reported_on, progress, obstacles="", next_steps="", now=None):
        """A progress report by the replicating agency, from the agreement until the evaluation."""

        report = ProgressReport(
            request_id=self.pk,
            reported_on=reported_on,
            progress=progress,
            obstacles=obstacles,
            next_steps=next_steps,
            reported_by=by,
        )
        report.full_clean(exclude=["request", "reported_by"])

        def add_report(locked, now):
            report.created_at = now
            report.save()
            return report

        return self._transition(
            by=by,
            action="progress",
            now=now,
            check=rules.can_act_as_replicator,
            comment=progress,
            after=add_report,
            notify="progress",
        )

    def mark_implemented(self, *, by, result_innovation, now=None):
        """The requester declares the adaptation running. Called by services.declare_implemented, which
        creates ``result_innovation`` (the agency's own draft) in the same transaction."""

        return self._transition(
            by=by,
            action="implemented",
            to=self.Status.IMPLEMENTED,
            check=rules.can_act_as_replicator,
            now=now,
            changes={"implemented_at": lambda now: now, "result_innovation": result_innovation},
            comment=str(result_innovation),
            notify="implemented",
        )

    def evaluate(self, *, by, outcome, score, lessons, now=None):
        """Monitoring and evaluation (*monev*) by the hub or the ministry; the request closes."""

        evaluation = Evaluation(
            request_id=self.pk, outcome=outcome, score=score, lessons=lessons, evaluated_by=by
        )
        evaluation.full_clean(exclude=["request", "evaluated_by"], validate_unique=False)

        def add_evaluation(locked, now):
            evaluation.created_at = now
            evaluation.save()
            return evaluation

        return self._transition(
            by=by,
            action="evaluate",
            to=self.Status.EVALUATED,
            check=rules.can_evaluate_replication,
            now=now,
            changes={"evaluated_at": lambda now: now},
            comment=f"{outcome} ({score}): {lessons}",
            after=add_evaluation,
            notify="evaluated",
        )


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
    created_at = models.DateTimeField(default=timezone.now)

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
    created_at = models.DateTimeField(default=timezone.now)

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
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=0, score__lte=100), name="evaluation_score_range"),
        ]

    def __str__(self):
        return f"{self.get_outcome_display()} ({self.score})"
