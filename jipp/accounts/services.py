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

from jipp import access, directory
from jipp.accounts import rules
from jipp.accounts.models import AccessRequest
from jipp.errors import Conflict  # noqa: F401 - raised by the decisions below
from jipp.models import Agency, AuditEntry, Membership
from jipp.notifications.models import Kind
from jipp.notifications.outbox import notify, notify_all


@transaction.atomic
def request_access(*, user, agency, position, message="", new_unit_name="", notify=True):
    """A pending access request. ``notify=False`` for a sign-up whose email address is not confirmed
    yet: the deciders hear of it (``notify_deciders``) once the person confirms the address.

    With ``new_unit_name`` the person's unit is missing from the directory: ``agency`` is the
    government it belongs to, and the unit is proposed under it (status ``proposed``: nobody but the
    person and the deciders of the request sees it) and decided with the request."""
    if (
        AccessRequest.objects.select_for_update()
        .filter(user=user, status=AccessRequest.Status.PENDING)
        .exists()
    ):
        raise Conflict(_("You already have an access request waiting for a decision."))
    if Membership.objects.active().filter(user=user, role="staff", agency=agency).exists():
        raise Conflict(_("You already act for this agency."))
    new_unit_name = directory.normalise_name(new_unit_name)
    if new_unit_name:
        agency = propose_unit(user=user, name=new_unit_name, government=agency)
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


def propose_unit(*, user, name, government):
    """A unit missing from the directory, proposed under its government, waiting for the decision on
    the access request it came with."""
    if not government.is_government or government.status != Agency.Status.ACTIVE:
        raise ValidationError({"new_unit_name": _("Choose the government your unit belongs to.")})
    same = directory.same_name_in_region(
        name, level=government.level, province_id=government.province_id, regency_id=government.regency_id
    )
    if same is not None:
        raise ValidationError(
            {"new_unit_name": _("%(name)s is already in the list: choose it instead.") % {"name": same.name}}
        )
    unit = Agency(
        name=name,
        slug=directory.free_slug(name),
        level=government.level,
        province_id=government.province_id,
        regency_id=government.regency_id,
        parent=government,
        status=Agency.Status.PROPOSED,
    )
    unit.full_clean(validate_constraints=False)
    unit.save()
    AuditEntry.record(unit, actor=user, action="propose", to_state=unit.status)
    return unit


def _decide_proposed_unit(access_request, *, by, approve, unit_name):
    """The unit proposed with an access request is decided with it: approved, it joins the
    directory (under the name the decider settled on); declined, it is rejected and stays hidden."""
    unit = Agency.objects.select_for_update().get(pk=access_request.agency_id)
    if unit.status != Agency.Status.PROPOSED:
        return
    if approve:
        name = directory.normalise_name(unit_name) or unit.name
        same = directory.same_name_in_region(
            name,
            level=unit.level,
            province_id=unit.province_id,
            regency_id=unit.regency_id,
            exclude_pk=unit.pk,
        )
        if same is not None:
            raise ValidationError(
                {
                    "unit_name": _(
                        "%(name)s is already in the directory: give the new unit another name, or "
                        "decline and tell the person to choose it."
                    )
                    % {"name": same.name}
                }
            )
        if name != unit.name:
            unit.name, unit.slug = name, directory.free_slug(name, agency=unit)
        unit.status = Agency.Status.ACTIVE
    else:
        unit.status = Agency.Status.REJECTED
    unit.save(update_fields=["name", "slug", "status"])
    access_request.agency = unit
    AuditEntry.record(
        unit,
        actor=by,
        action="approve_proposal" if approve else "reject_proposal",
        from_state=Agency.Status.PROPOSED,
        to_state=unit.status,
        comment=_("With the access request of %(person)s")
        % {"person": access_request.user.get_full_name() or access_request.user.username},
    )


def notify_deciders(request):
    """Tell the officers of the agency's province hub (the ministry where there is none) about a new
    access request: outbox rows in the current transaction, sent by the worker after it commits."""
    agency = request.agency
    if agency.level != Agency.Level.CENTRAL and access.province_has_active_hub(agency.province_id):
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
def decide_access_request(*, access_request_id, by, approve: bool, note="", unit_name=""):
    """Approve (grant the staff membership) or decline. Exactly one decision wins a race. A unit
    proposed with the request is approved or rejected with it (``unit_name`` corrects its name)."""
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
    _decide_proposed_unit(access_request, by=by, approve=approve, unit_name=unit_name)
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
