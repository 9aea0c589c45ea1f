"""E-mails to the parties of a replication request, sent after the transaction commits.

Queued by the transitions in ``replication.models`` with ``transaction.on_commit(..., robust=True)``:
a mail server outage is logged and never undoes or fails a step already saved.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from jipp.models import Membership

logger = logging.getLogger(__name__)

# event → (who hears of it, subject)
REQUESTER, HUB, ORIGIN = "requester", "hub", "origin"
EVENTS = {
    "created": ((REQUESTER, HUB), gettext_noop("New replication request: %(name)s")),
    "approved": ((REQUESTER, ORIGIN), gettext_noop("Replication request approved: %(name)s")),
    "rejected": ((REQUESTER,), gettext_noop("Replication request rejected: %(name)s")),
    "withdrawn": ((HUB,), gettext_noop("Replication request withdrawn: %(name)s")),
    "agreed": ((REQUESTER, HUB), gettext_noop("Origin agency agreed to share: %(name)s")),
    "declined": ((REQUESTER, HUB), gettext_noop("Origin agency declined: %(name)s")),
    "mentoring": ((REQUESTER,), gettext_noop("Mentoring session recorded: %(name)s")),
    "progress": ((HUB,), gettext_noop("Progress report filed: %(name)s")),
    "implemented": ((HUB, ORIGIN), gettext_noop("Replication implemented: %(name)s")),
    "evaluated": ((REQUESTER, ORIGIN), gettext_noop("Replication evaluated: %(name)s")),
}


def recipients(request, parties, *, exclude_user_id=None):
    """E-mail addresses of the parties, without the person who took the step."""
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    if exclude_user_id:
        users = users.exclude(pk=exclude_user_id)
    addresses = set()
    memberships = Membership.objects.active()
    if REQUESTER in parties:
        addresses.update(
            users.filter(
                memberships__in=memberships.filter(role="staff", agency_id=request.requesting_agency_id)
            ).values_list("email", flat=True)
        )
        if request.requested_by_id != exclude_user_id:
            addresses.add(request.contact_email)
    if ORIGIN in parties:
        addresses.update(
            users.filter(
                memberships__in=memberships.filter(role="staff", agency_id=request.source.agency_id)
            ).values_list("email", flat=True)
        )
    if HUB in parties:
        if request.hub_id:
            hub_members = memberships.filter(role="officer", hub_id=request.hub_id)
        else:
            hub_members = memberships.filter(role="ministry")
        addresses.update(users.filter(memberships__in=hub_members).values_list("email", flat=True))
    addresses.discard("")
    return sorted(addresses)


def send(request_pk, event, *, actor_id=None):
    from replication.models import ReplicationRequest

    request = ReplicationRequest.objects.select_related("source", "requesting_agency").get(pk=request_pk)
    parties, subject = EVENTS[event]
    to = recipients(request, parties, exclude_user_id=actor_id)
    if not to:
        return 0
    site = getattr(settings, "SITE_URL", "").rstrip("/")
    with translation.override(settings.LANGUAGE_CODE):
        subject = _(subject) % {"name": request.source.name}
        body = _(
            "%(agency)s — replication of “%(name)s”.\nStatus: %(status)s.\n\nOpen the request: %(url)s\n"
        ) % {
            "agency": request.requesting_agency.name,
            "name": request.source.name,
            "status": request.get_status_display(),
            "url": f"{site}{request.get_absolute_url()}",
        }
    # One message per recipient: nobody sees the others' addresses.
    messages = [(subject, body, settings.DEFAULT_FROM_EMAIL, [address]) for address in to]
    return send_mass_mail(messages, fail_silently=False)
