"""Writes that touch more than one model: opening a request (with its audit entry and e-mails),
declaring a replication implemented (which creates the replicating agency's own draft innovation) and
flagging stalled requests (a daily job, replication/tasks.py).

Keyword-only, under ``transaction.atomic``, ``full_clean()`` before saving. Single-object transitions
are methods of ``ReplicationRequest``.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from innovations.models import Initiator, Innovation, Stage
from jipp import access
from jipp.errors import Conflict
from jipp.models import AuditEntry, Hub
from replication import notifications, rules
from replication.models import ReplicationRequest


class DuplicateRequest(Exception):
    """The agency already has an open request for this innovation; ``existing`` is that request."""

    def __init__(self, existing):
        super().__init__(f"open request #{existing.pk} exists")
        self.existing = existing


def open_request_of(*, source, requesting_agency):
    return (
        ReplicationRequest.objects.open().filter(source=source, requesting_agency=requesting_agency).first()
    )


def create_request(
    *,
    source,
    requesting_agency,
    by,
    observed,
    adopted,
    modified,
    local_need,
    contact_name,
    contact_email,
    resources="",
    timeline="",
    contact_phone="",
    now=None,
):
    """Open a request (*minat*) to replicate ``source`` for ``requesting_agency``.

    Raises PermissionDenied when ``by`` is not staff of ``requesting_agency`` or it owns ``source``
    (or ``source`` is not published), DuplicateRequest when an open request already exists.
    """
    allowed = {agency.pk for agency in rules.agencies_that_may_request(by, source)}
    access.require(requesting_agency.pk in allowed)
    now = now or timezone.now()
    request = ReplicationRequest(
        source=source,
        requesting_agency=requesting_agency,
        # An inactive hub mentors no one: its province's requests go to the ministry, like those of
        # provinces without a hub.
        hub=Hub.objects.filter(province_id=requesting_agency.province_id)
        .exclude(status=Hub.Status.INACTIVE)
        .first(),
        requested_by=by,
        observed=observed,
        adopted=adopted,
        modified=modified,
        local_need=local_need,
        resources=resources,
        timeline=timeline,
        contact_name=contact_name,
        contact_email=contact_email,
        contact_phone=contact_phone,
        created_at=now,
        last_activity_at=now,
    )
    # The one-open-request rule is a database constraint; validate_constraints would query for it,
    # but only the INSERT is race-free, so it is checked there.
    request.full_clean(validate_constraints=False)
    existing = open_request_of(source=source, requesting_agency=requesting_agency)
    if existing:
        raise DuplicateRequest(existing)
    try:
        with transaction.atomic():
            request.save()
            AuditEntry.record(request, actor=by, action="create", to_state=request.status)
            notifications.notify(request, "created", actor=by)
    except IntegrityError:
        existing = open_request_of(source=source, requesting_agency=requesting_agency)
        if existing is None:
            raise
        raise DuplicateRequest(existing) from None
    return request


def _unique_slug(base):
    base = slugify(base)[:200].strip("-") or "inovasi"
    slug, n = base, 1
    while Innovation.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def build_adapted_innovation(request, *, by, now):
    """The replicating agency's own innovation, as a draft pre-filled from the source and the ATM plan.

    Everything stays editable: the agency completes it and sends it through the normal review.
    """
    source = request.source
    agency = request.requesting_agency
    plan = "\n\n".join(
        f"{label}\n{text}"
        for label, text in (
            (_("Observed (amati):"), request.observed),
            (_("Taken over as is (tiru):"), request.adopted),
            (_("Modified and why (modifikasi):"), request.modified),
        )
        if text
    )
    return Innovation(
        name=source.name,
        acronym=source.acronym,
        slug=_unique_slug(f"{source.acronym or source.name} {agency.slug}"),
        agency=agency,
        summary=source.summary,
        background=request.local_need,
        novelty=request.modified,
        implementation=plan,
        significance="",
        adaptability=source.adaptability,
        resources=request.resources or source.resources,
        sustainability=source.sustainability,
        beneficiaries=source.beneficiaries,
        form=source.form,
        kind=source.kind,
        sector=source.sector,
        stage=Stage.IMPLEMENTED,
        initiator=Initiator.AGENCY,
        started_on=timezone.localdate(now),
        sdgs=list(source.sdgs),
        contact_name=request.contact_name,
        contact_email=request.contact_email,
        contact_phone=request.contact_phone,
        replicated_from=source,
        status=Innovation.Status.DRAFT,
        is_sample=source.is_sample,
        created_by=by,
    )


def declare_implemented(*, request, by, now=None):
    """The requester declares the adaptation running: the request moves to *implemented* and the
    agency's draft innovation is created with ``replicated_from`` set, in one transaction."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = (
            ReplicationRequest.objects.select_for_update(of=("self",))
            .select_related("source", "requesting_agency")
            .get(pk=request.pk)
        )
        # Checked here too (the model re-checks under its lock) so no draft is built for a refusal.
        access.require(rules.can_act_as_replicator(by, locked))
        if locked.status != ReplicationRequest.Status.MENTORING:
            raise Conflict(
                _("This step is not possible: the request is now “%(status)s”.")
                % {"status": locked.get_status_display()}
            )
        innovation = build_adapted_innovation(locked, by=by, now=now)
        try:
            innovation.full_clean()
        except ValidationError as error:
            # The source's own record should always pass; if it does not, say so plainly.
            raise Conflict(
                _("The draft innovation could not be created: %(errors)s") % {"errors": error}
            ) from error
        innovation.save()
        AuditEntry.record(
            innovation,
            actor=by,
            action="create_from_replication",
            to_state=innovation.status,
            comment=f"replication request #{locked.pk}, replicated from #{locked.source_id}",
        )
        locked.mark_implemented(by=by, result_innovation=innovation, now=now)
    for field in ReplicationRequest._meta.concrete_fields:
        setattr(request, field.attname, getattr(locked, field.attname))
    return innovation


def stall_unflagged_q(now=None):
    """Stalled (``rules.stalled_q``) and not yet flagged since the last activity."""
    return rules.stalled_q(now) & (
        Q(stall_flagged_at__isnull=True) | Q(stall_flagged_at__lt=F("last_activity_at"))
    )


def flag_stalled_requests(*, now=None):
    """Tell the parties of every request that just stalled, once per stall: the hub's officers (the
    ministry where the province has no hub), the replicating agency and, once the hub has approved,
    the origin agency. Recorded on the request (``stall_flagged_at``) and in its history, each request
    in its own transaction, so a job run twice (a retry, a second worker) flags nothing twice.
    Returns the ids flagged."""
    now = now or timezone.now()
    flagged = []
    candidates = ReplicationRequest.objects.filter(stall_unflagged_q(now)).order_by("last_activity_at", "pk")
    for pk in candidates.values_list("pk", flat=True).iterator(chunk_size=500):
        with transaction.atomic():
            request = (
                ReplicationRequest.objects.select_for_update(of=("self",), skip_locked=True)
                .select_related("source__agency", "hub", "requesting_agency__province", "requested_by")
                .filter(stall_unflagged_q(now), pk=pk)
                .first()
            )
            if request is None:  # acted on, flagged by another run, or locked by a step right now
                continue
            request.stall_flagged_at = now
            request.save(update_fields=["stall_flagged_at"])
            days = (now - request.last_activity_at).days
            AuditEntry.record(
                request,
                actor=None,
                action="stalled",
                from_state=request.status,
                to_state=request.status,
                comment=_("No activity for %(days)d days.") % {"days": days},
            )
            parties = [notifications.HUB, notifications.REQUESTER]
            if request.status != ReplicationRequest.Status.INTEREST:
                parties.append(notifications.ORIGIN)
            notifications.notify(request, "stalled", parties=parties, detail={"days": days})
        flagged.append(pk)
    return flagged
