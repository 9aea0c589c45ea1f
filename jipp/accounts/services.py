"""Access requests and hub officer appointments.

Keyword-only, each under ``transaction.atomic``; decisions lock the row and re-check it, and write an
``AuditEntry`` in the same transaction. Messages are outbox rows written in the
same transaction (jipp.notifications), sent after the commit.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jipp import access
from jipp.accounts import rules
from jipp.accounts.models import AccessRequest
from jipp.errors import Conflict  # noqa: F401 - raised by the decisions below
from jipp.models import AuditEntry, Membership
from jipp.notifications.models import Kind
from jipp.notifications.outbox import notify, notify_all


@transaction.atomic
def request_access(*, user, agency, position, message="", notify=True):
    """A pending access request. ``notify=False`` for a sign-up whose email address is not confirmed
    yet: the deciders hear of it (``notify_deciders``) once the person confirms the address."""
    if (
        AccessRequest.objects.select_for_update()
        .filter(user=user, status=AccessRequest.Status.PENDING)
        .exists()
    ):
        raise Conflict(_("You already have an access request waiting for a decision."))
    if Membership.objects.active().filter(user=user, role="staff", agency=agency).exists():
        raise Conflict(_("You already act for this agency."))
    request = AccessRequest(user=user, agency=agency, position=position, message=message)
    request.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError:
        # A second request from the same person at the same moment (the partial unique constraint).
        raise Conflict(_("You already have an access request waiting for a decision.")) from None
    AuditEntry.record(request, actor=user, action="request_access", to_state=request.status)
    if notify:
        notify_deciders(request)
    return request


def notify_deciders(request):
    """Tell the officers of the agency's province hub (the ministry where there is none) about a new
    access request: outbox rows in the current transaction, sent by the worker after it commits."""
    agency = request.agency
    if access.province_has_active_hub(agency.province_id):
        deciders = Membership.objects.active().filter(role="officer", hub__province_id=agency.province_id)
    else:
        deciders = Membership.objects.active().filter(role="ministry")
    notify_all(
        [m.user for m in deciders.select_related("user").order_by("user__email", "user_id")],
        kind=Kind.QUEUE,
        template="accounts/email/access_request_new.txt",
        context={"access_request": request},
        url=reverse("access_request_detail", args=[request.pk]),
        about=request,
    )


@transaction.atomic
def decide_access_request(*, access_request_id, by, approve: bool, note=""):
    """Approve (grant the staff membership) or decline. Exactly one decision wins a race."""
    access_request = (
        AccessRequest.objects.select_for_update().select_related("agency", "user").get(pk=access_request_id)
    )
    # Re-check after the lock: both the state and the decider's right to decide.
    access.require(
        rules.access_requests_for_decider(by, AccessRequest.objects.filter(pk=access_request.pk)).exists()
    )
    if access_request.status != AccessRequest.Status.PENDING:
        raise Conflict(_("This request was already decided."))
    if not approve and not note.strip():
        raise ValidationError(_("Say why the request is declined; the person will read it."))
    from_state = access_request.status
    access_request.status = AccessRequest.Status.APPROVED if approve else AccessRequest.Status.DECLINED
    access_request.decided_by = by
    access_request.decided_at = timezone.now()
    access_request.decision_note = note.strip()
    access_request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    if approve:
        membership, created = Membership.objects.get_or_create(
            user=access_request.user,
            role=Membership.Role.STAFF,
            agency=access_request.agency,
            defaults={"title": access_request.position, "granted_by": by},
        )
        if not created and not membership.is_active:
            membership.is_active = True
            membership.granted_by = by
            membership.save(update_fields=["is_active", "granted_by"])
    AuditEntry.record(
        access_request,
        actor=by,
        action="approve" if approve else "decline",
        from_state=from_state,
        to_state=access_request.status,
        comment=access_request.decision_note,
    )
    notify(
        to=access_request.user,
        kind=Kind.RECORDS,
        template="accounts/email/access_request_decided.txt",
        context={"access_request": access_request, "approved": approve},
        url=reverse("innovations:workspace"),
        about=access_request,
    )
    return access_request


@transaction.atomic
def appoint_officer(*, user, hub, by, title=""):
    access.require(rules.can_appoint_officers(by))
    membership, created = Membership.objects.select_for_update().get_or_create(
        user=user, role=Membership.Role.OFFICER, hub=hub, defaults={"title": title, "granted_by": by}
    )
    if not created:
        if membership.is_active:
            raise Conflict(_("This person is already an officer of this hub."))
        membership.is_active = True
        membership.granted_by = by
        membership.title = title or membership.title
        membership.save(update_fields=["is_active", "granted_by", "title"])
    AuditEntry.record(membership, actor=by, action="appoint_officer", to_state="active")
    return membership


@transaction.atomic
def revoke_officer(*, membership_id, by):
    access.require(rules.can_appoint_officers(by))
    membership = Membership.objects.select_for_update().get(pk=membership_id, role=Membership.Role.OFFICER)
    if not membership.is_active:
        raise Conflict(_("This appointment was already ended."))
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    AuditEntry.record(membership, actor=by, action="revoke_officer", from_state="active", to_state="inactive")
    return membership
