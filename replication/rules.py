"""Who may see and act on a replication request. Parties: the requesting agency's staff (the
*replikator*), the origin agency's staff (owner of the source innovation), the officers of the hub the
request was filed with (the facilitator; the ministry facilitates requests from provinces without a
hub), the ministry (reads all, evaluates) and administrators. The public sees approved-or-later
requests only. Model methods on ReplicationRequest call the can_* predicates, so an illegal actor is
refused by the model itself, not only by the view."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from innovations.states import InnovationStatus
from jipp.access import roles_of
from jipp.models import Agency

# An open request with no activity for this long is flagged as stalled to officers and the ministry.
STALLED_AFTER = timedelta(days=30)


def stalled_before(now=None):
    """Open requests whose last activity is at or before this moment are stalled."""
    return (now or timezone.now()) - STALLED_AFTER


def stalled_q(now=None):
    """The stalled rule in SQL (``ReplicationRequest.is_stalled`` is the same rule on one request)."""
    from replication.models import ReplicationRequest

    return Q(status__in=ReplicationRequest.OPEN_STATUSES, last_activity_at__lte=stalled_before(now))


def replication_requests_visible_to(user, queryset):
    """Requests a user may open in the workspace: those their agency made or received, those filed
    with their hub, everything for the ministry and administrators."""
    roles = roles_of(user)
    if roles.reads_everything:
        return queryset
    visible = Q()
    if roles.staff_agency_ids:
        visible |= Q(requesting_agency_id__in=roles.staff_agency_ids)
        visible |= Q(source__agency_id__in=roles.staff_agency_ids)
    if roles.officer_hub_ids:
        visible |= Q(hub_id__in=roles.officer_hub_ids)
    if not visible:
        return queryset.none()
    return queryset.filter(visible)


def get_replication_request_for_user(user, pk, queryset=None):
    """The request if ``user`` is a party to it, else 404 (hidden, not forbidden)."""
    from replication.models import ReplicationRequest

    queryset = queryset if queryset is not None else ReplicationRequest.objects.all()
    try:
        return replication_requests_visible_to(user, queryset).get(pk=pk)
    except (ReplicationRequest.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_public_replication(pk, queryset=None):
    """An approved-or-later replication for the public page, else 404."""
    from replication.models import ReplicationRequest

    queryset = queryset if queryset is not None else ReplicationRequest.objects.all()
    try:
        return queryset.public().get(pk=pk)
    except ReplicationRequest.DoesNotExist:
        raise Http404 from None


def agencies_that_may_request(user, innovation):
    """The agencies on whose behalf ``user`` may ask to replicate ``innovation``: their own, never the
    innovation's owner. Only published innovations can be replicated."""

    roles = roles_of(user)
    if innovation.status != InnovationStatus.PUBLISHED:
        return Agency.objects.none()
    ids = roles.staff_agency_ids - {innovation.agency_id}
    return Agency.objects.filter(pk__in=ids).select_related("province")


def shows_replication_entry(user, innovation) -> bool:
    """Whether the innovation page offers "Request replication": to anonymous visitors (the form asks
    them to sign in) and to staff of another agency; never on unpublished records, never to the owner's
    staff, and not to roles that cannot request (officers, ministry). No query beyond ``roles_of``."""
    if innovation.status != InnovationStatus.PUBLISHED:
        return False
    if not getattr(user, "is_authenticated", False):
        return True
    return bool(roles_of(user).staff_agency_ids - {innovation.agency_id})


def can_facilitate_replication(user, request) -> bool:
    """Decide, record mentoring, record the agreement: officers of the request's hub (the ministry
    when the province has no hub), administrators."""
    roles = roles_of(user)
    if roles.is_admin:
        return True
    if request.hub_id is None:
        return roles.is_ministry
    return request.hub_id in roles.officer_hub_ids


def can_act_as_replicator(user, request) -> bool:
    """Withdraw, report progress, declare implemented: staff of the requesting agency."""
    roles = roles_of(user)
    return roles.is_admin or request.requesting_agency_id in roles.staff_agency_ids


def can_answer_for_origin(user, request) -> bool:
    """Confirm or decline the agreement: staff of the origin agency, or the hub recording it."""
    roles = roles_of(user)
    return request.source.agency_id in roles.staff_agency_ids or can_facilitate_replication(user, request)


def can_evaluate_replication(user, request) -> bool:
    """Monitoring and evaluation: the facilitating hub or the ministry."""
    return roles_of(user).is_ministry or can_facilitate_replication(user, request)


def works_replication_queue(user) -> bool:
    """Whether ``user`` works a replication queue: hub officers, the ministry, administrators."""
    roles = roles_of(user)
    return roles.reads_everything or roles.is_officer


def works_on_replications(user) -> bool:
    """Whether ``user`` asks for or answers replications for an agency: agency staff."""
    return roles_of(user).is_staff_member


def can_open_replication_workspace(user) -> bool:
    """Whether the replication workspace has a page for ``user`` (their agency's requests, or a hub's
    queue); the main menu offers it by this rule, the workspace sends everyone else a 403."""
    return works_on_replications(user) or works_replication_queue(user)


def replication_queue_hubs(user):
    """Hub ids whose queue ``user`` works (``None`` = all hubs); PermissionDenied for everyone else."""
    if not works_replication_queue(user):
        raise PermissionDenied
    roles = roles_of(user)
    return None if roles.reads_everything else roles.officer_hub_ids


def replicator_agency_ids(user):
    """Agencies whose requests and incoming requests ``user`` works on; PermissionDenied if none."""
    if not works_on_replications(user):
        raise PermissionDenied
    return roles_of(user).staff_agency_ids
