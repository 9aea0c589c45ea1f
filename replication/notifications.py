"""E-mails to the parties of a replication request.

Each step (``ReplicationRequest._transition`` and ``services.create_request``) calls ``notify`` inside
its transaction; like every message of the portal it becomes outbox rows in that transaction
(``jipp.notifications``), delivered by the job worker after the commit: a step that rolls back sends
nothing, and a mail server outage delays its messages without losing them.

Every recipient gets a message of their own, in their language (the one stored for the account, else
the interface default), written for their part in the request (the replicating agency, the
facilitating hub or the ministry, the origin agency): what happened, to which innovation and agencies,
what to do next. Every link is absolute (``JIPP_SITE_URL``) and opens for that recipient: people whose
account may open the request get its workspace page; a contact address without such an account gets the
public page of the replication once it can no longer be hidden again (from the agreement on), else the
innovation's public page.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from innovations.models import Innovation
from jipp.models import Membership
from jipp.notifications.models import Kind
from jipp.notifications.outbox import language_of
from jipp.notifications.outbox import notify as notify_one
from replication import rules
from replication.links import adapted_innovation_links
from replication.models import PUBLIC_STATUSES, ReplicationStatus

REQUESTER, HUB, ORIGIN = "requester", "hub", "origin"

# event → the parties who hear of it (the person who took the step never does)
EVENTS = {
    "created": (HUB, REQUESTER),
    "approved": (REQUESTER, ORIGIN),
    "rejected": (REQUESTER,),
    "withdrawn": (HUB,),
    "agreed": (REQUESTER, HUB),
    "declined": (REQUESTER, HUB),
    "mentoring": (REQUESTER,),
    "progress": (HUB,),
    "implemented": (HUB, ORIGIN),
    "evaluated": (REQUESTER, ORIGIN),
    # Sent by the daily job (services.flag_stalled_requests), which leaves the origin out before approval.
    "stalled": (HUB, REQUESTER, ORIGIN),
}

# Each event's subject is ``replication/email/<event>_subject.txt`` (one branch per party), its body
# ``<event>.txt``; the person's preferences file the facilitator's messages under "my queue as an
# officer" and the others under "my replication requests".
KINDS = {"requester": Kind.REPLICATIONS, "hub": Kind.QUEUE, "origin": Kind.REPLICATIONS}


# Public stages a request never leaves for a hidden one (an approved request may still be declined):
# only these are linked publicly, so an old e-mail's link keeps working.
STAYS_PUBLIC = tuple(s for s in PUBLIC_STATUSES if s != ReplicationStatus.APPROVED)


@dataclass(frozen=True)
class Recipient:
    address: str
    party: str
    user: object = None  # the account the address belongs to within the party; None for a bare contact


def _party_memberships(request, party):
    memberships = Membership.objects.active()
    if party == REQUESTER:
        return memberships.filter(role=Membership.Role.STAFF, agency_id=request.requesting_agency_id)
    if party == ORIGIN:
        return memberships.filter(role=Membership.Role.STAFF, agency_id=request.source.agency_id)
    if request.hub_id:
        return memberships.filter(role=Membership.Role.OFFICER, hub_id=request.hub_id)
    return memberships.filter(role=Membership.Role.MINISTRY)


def recipients(request, parties, *, actor=None):
    """Who hears of a step: the active accounts of each party (first party wins) and, for the
    replicating agency, the request's contact address, without the person who took the step."""
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    if actor is not None:
        users = users.exclude(pk=actor.pk)
    actor_address = (getattr(actor, "email", "") or "").strip().lower()
    found, seen = [], {actor_address} if actor_address else set()

    def add(address, party, user):
        key = (address or "").strip().lower()
        if key and key not in seen:
            seen.add(key)
            found.append(Recipient(address.strip(), party, user))

    for party in parties:
        members = users.filter(memberships__in=_party_memberships(request, party)).distinct()
        for user in members.order_by("email", "pk"):
            add(user.email, party, user)
        # The contact person hears of the steps others take (the requester is usually that person).
        if party == REQUESTER and (actor is None or request.requested_by_id != actor.pk):
            add(request.contact_email, party, None)
    return found


def _links(request, recipient):
    """Absolute links that ``recipient`` may open."""
    site = settings.JIPP_SITE_URL.rstrip("/")
    user = recipient.user
    may_open = (
        user is not None
        and rules.replication_requests_visible_to(user, type(request).objects.filter(pk=request.pk)).exists()
    )
    links = {}
    if may_open:
        links["request_url"] = site + request.get_absolute_url()
    elif request.status in STAYS_PUBLIC:
        links["public_url"] = site + request.get_public_url()
    elif request.source.status == Innovation.Status.PUBLISHED:
        links["source_url"] = site + request.source.get_absolute_url()
    if request.result_innovation_id and may_open:
        adapted = adapted_innovation_links(user, request.result_innovation)
        if adapted.url:
            links["adapted_url"] = site + adapted.url
            links["adapted_is_owner"] = adapted.is_owner
            links["adapted_status"] = request.result_innovation.status
    return links


def notify(request, event, *, actor=None, comment="", detail=None, parties=None):
    """One outbox row per recipient of ``event`` on ``request``, in the current transaction.

    ``comment`` is the reason or note of the step; ``detail`` the row it added (a mentoring session,
    a progress report, the evaluation); ``parties`` narrows the parties ``EVENTS`` names."""
    requesting_agency = request.requesting_agency
    source = request.source
    origin = source.agency
    names = {"name": source.name, "agency": requesting_agency.name, "origin": origin.name}
    requested_by = request.requested_by
    context = {
        "replication": request,
        **names,
        "province": requesting_agency.province.name,
        # Without a hub in the province the ministry facilitates; translated when the mail is rendered.
        "facilitator": request.hub.name if request.hub_id else _("The ministry"),
        "person": requested_by.get_full_name() or requested_by.username,
        "reason": (comment or "").strip(),
        "detail": detail,
    }
    for recipient in recipients(request, parties or EVENTS[event], actor=actor):
        links = _links(request, recipient)
        best = links.get("request_url") or links.get("public_url") or links.get("source_url") or ""
        notify_one(
            to=recipient.user,
            email=recipient.address,
            kind=KINDS[recipient.party],
            template=f"replication/email/{event}.txt",
            context={**context, "party": recipient.party, **links},
            url=best.removeprefix(settings.JIPP_SITE_URL.rstrip("/")),
            about=request,
            language=language_of(recipient.user),
        )
