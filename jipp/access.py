"""The one place that decides who may see and do what. Views call these; they never re-implement a rule.

Roles come from active ``Membership`` rows:
- agency staff act only for their own agency;
- hub officers act only for agencies of their hub's province;
- the ministry role reads everything (and features innovations);
- administrators (``is_superuser``) use the Django admin and pass every check.
Everything else is denied: helpers return scoped querysets, or raise ``Http404`` / ``PermissionDenied``.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from jipp.models import Agency, Membership


@dataclass(frozen=True)
class Roles:
    """What one user is, computed once per request (one query) and cached on the user object."""

    staff_agency_ids: frozenset[int] = field(default_factory=frozenset)
    officer_hub_ids: frozenset[int] = field(default_factory=frozenset)
    officer_province_ids: frozenset[int] = field(default_factory=frozenset)
    is_ministry: bool = False
    is_admin: bool = False

    @property
    def is_staff_member(self) -> bool:
        return bool(self.staff_agency_ids)

    @property
    def is_officer(self) -> bool:
        return bool(self.officer_hub_ids)

    @property
    def reads_everything(self) -> bool:
        return self.is_ministry or self.is_admin


ANONYMOUS = Roles()


def roles_of(user) -> Roles:
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    cached = getattr(user, "_jipp_roles", None)
    if cached is not None:
        return cached
    staff, hubs, provinces, ministry = set(), set(), set(), False
    rows = (
        Membership.objects.active()
        .filter(user=user)
        .values_list("role", "agency_id", "hub_id", "hub__province_id")
    )
    for role, agency_id, hub_id, hub_province_id in rows:
        if role == Membership.Role.STAFF:
            staff.add(agency_id)
        elif role == Membership.Role.OFFICER:
            hubs.add(hub_id)
            provinces.add(hub_province_id)
        elif role == Membership.Role.MINISTRY:
            ministry = True
    roles = Roles(frozenset(staff), frozenset(hubs), frozenset(provinces), ministry, user.is_superuser)
    user._jipp_roles = roles
    return roles


def innovations_visible_to(user, queryset):
    """Published records for everyone; a user's own agency's records, their hub's province's
    submitted and published records, and everything for the ministry and administrators."""
    roles = roles_of(user)
    if roles.reads_everything:
        return queryset
    visible = Q(status="published")
    if roles.staff_agency_ids:
        visible |= Q(agency_id__in=roles.staff_agency_ids)
    if roles.officer_province_ids:
        visible |= Q(province_id__in=roles.officer_province_ids) & ~Q(status="draft")
    return queryset.filter(visible)


# --- Hubs and monitoring ----------------------------------------------------------------------------
# Hub pages are public. Only the hub's own officers (and administrators) edit a hub's page, team,
# partner universities, documents and events; the ministry designates hubs and changes their status.
# Monitoring is for officers (their own hubs) and the ministry (every hub).


def get_hub_for_editing(user, slug):
    """The hub ``slug`` if ``user`` may manage its page; 404 when no such hub, 403 otherwise."""
    from django.core.exceptions import PermissionDenied
    from django.shortcuts import get_object_or_404

    from jipp.models import Hub

    hub = get_object_or_404(Hub.objects.select_related("province"), slug=slug)
    if can_edit_hub(user, hub):
        return hub
    raise PermissionDenied


def can_edit_hub(user, hub) -> bool:
    """Whether to offer the "manage" link on a hub's public page (the same rule as above)."""
    roles = roles_of(user)
    return roles.is_admin or hub.pk in roles.officer_hub_ids


def can_designate_hubs(user) -> bool:
    roles = roles_of(user)
    return roles.is_ministry or roles.is_admin


def require_hub_designation(user):
    """Raise 403 unless ``user`` may designate hubs and change their status (ministry, admin)."""
    from django.core.exceptions import PermissionDenied

    if not can_designate_hubs(user):
        raise PermissionDenied


def can_monitor(user) -> bool:
    """Whether ``user`` opens monitoring (``/pemantauan/``): hub officers, the ministry, administrators.
    The rule of ``monitored_hubs``; the main menu offers "Monitoring" by it."""
    roles = roles_of(user)
    return roles.reads_everything or roles.is_officer


def monitored_hubs(user):
    """Hubs ``user`` monitors: every hub for the ministry and administrators, their own for officers.
    Raises 403 for anyone else (agency staff, signed-in users without a role)."""
    from django.core.exceptions import PermissionDenied

    from jipp.models import Hub

    if not can_monitor(user):
        raise PermissionDenied
    roles = roles_of(user)
    hubs = Hub.objects.select_related("province").order_by("province__name")
    if roles.reads_everything:
        return hubs
    return hubs.filter(pk__in=roles.officer_hub_ids)


def get_monitored_hub(user, slug):
    """One hub's monitoring data: 404 when there is no such hub; 403 when ``user`` does not monitor it
    (the hub itself is public, its monitoring is not)."""
    from django.core.exceptions import PermissionDenied
    from django.shortcuts import get_object_or_404

    from jipp.models import Hub

    hub = get_object_or_404(Hub.objects.select_related("province"), slug=slug)
    roles = roles_of(user)
    if roles.reads_everything or hub.pk in roles.officer_hub_ids:
        return hub
    raise PermissionDenied


# ==================================================================================================
# Replication (replication/). Parties to a request: the requesting agency's staff (the *replikator*),
# the origin agency's staff (owner of the source innovation), the officers of the hub the request was
# filed with (the facilitator; the ministry facilitates requests from provinces without a hub), the
# ministry (reads all, evaluates) and administrators. The public sees approved-or-later requests only.
# Model methods on ReplicationRequest call the can_* predicates, so an illegal actor is refused by the
# model itself, not only by the view.
# ==================================================================================================


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
    from jipp.models import Agency

    roles = roles_of(user)
    if innovation.status != "published":
        return Agency.objects.none()
    ids = roles.staff_agency_ids - {innovation.agency_id}
    return Agency.objects.filter(pk__in=ids).select_related("province")


def shows_replication_entry(user, innovation) -> bool:
    """Whether the innovation page offers "Request replication": to anonymous visitors (the form asks
    them to sign in) and to staff of another agency; never on unpublished records, never to the owner's
    staff, and not to roles that cannot request (officers, ministry). No query beyond ``roles_of``."""
    if innovation.status != "published":
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


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


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


# --- Workspace, workflow and accounts (issue 4) -------------------------------------------------------
# Rules for signed-in work: who sees a record in the workspace (with its drafts, history and evidence),
# who edits it, who reviews it, who decides access requests and appoints hub officers.

EDITABLE_STATUSES = ("draft", "returned", "published")


def innovations_in_workspace(user, queryset):
    """Records a user works on or reviews (never merely public ones): their agency's records in every
    state; for officers, the non-draft records of their hub's province; all for ministry and admins.
    (An officer of an inactive hub still sees the records; reviewing them is the ministry's.)"""
    roles = roles_of(user)
    if roles.reads_everything:
        return queryset
    scope = Q(pk__in=[])
    if roles.staff_agency_ids:
        scope |= Q(agency_id__in=roles.staff_agency_ids)
    if roles.officer_province_ids:
        scope |= Q(province_id__in=roles.officer_province_ids) & ~Q(status="draft")
    return queryset.filter(scope)


def get_innovation_for_workspace(user, pk, queryset=None):
    """The record as the workspace shows it, or 404 when it is outside the user's workspace."""
    from innovations.models import Innovation

    queryset = queryset if queryset is not None else Innovation.objects.all()
    return get_object_or_404(innovations_in_workspace(user, queryset), pk=pk)


def can_create_innovation(user) -> bool:
    roles = roles_of(user)
    return roles.is_staff_member or roles.is_admin


def agencies_for_new_innovation(user):
    """Agencies a user may create records for: their own (administrators: any)."""
    roles = roles_of(user)
    if roles.is_admin:
        return Agency.objects.all()
    return Agency.objects.filter(pk__in=roles.staff_agency_ids)


def is_owner(user, innovation) -> bool:
    """Staff of the owning agency, and administrators."""
    roles = roles_of(user)
    return roles.is_admin or innovation.agency_id in roles.staff_agency_ids


def can_edit_innovation(user, innovation) -> bool:
    """Owners edit drafts, returned records, and published ones through a pending revision. Submitted
    and archived records are frozen (a state conflict, 409, rather than a permission matter)."""
    return is_owner(user, innovation) and innovation.status in EDITABLE_STATUSES


def province_has_active_hub(province_id) -> bool:
    """Provinces without a hub, or whose hub is inactive, are served by the ministry (as replication
    requests are): it reviews their innovations and vouches for their staff. One query."""
    from jipp.models import Hub

    return Hub.objects.filter(province_id=province_id).exclude(status=Hub.Status.INACTIVE).exists()


def provinces_without_active_hub():
    """The provinces the ministry serves itself (no hub, or an inactive one)."""
    from jipp.models import Province

    return Province.objects.filter(Q(hub__isnull=True) | Q(hub__status="inactive"))


def provinces_without_active_hub_q(prefix=""):
    """A filter for records whose province has no active hub (``prefix`` leads to the province)."""
    return Q(**{f"{prefix}province__hub__isnull": True}) | Q(**{f"{prefix}province__hub__status": "inactive"})


def can_review_innovation(user, innovation) -> bool:
    """Officers of the active hub of the record's province publish or return it; the ministry does for
    provinces without an active hub; administrators always may."""
    roles = roles_of(user)
    if roles.is_admin:
        return True
    if not (roles.is_ministry or innovation.province_id in roles.officer_province_ids):
        return False
    active = province_has_active_hub(innovation.province_id)
    return (innovation.province_id in roles.officer_province_ids) if active else roles.is_ministry


def can_confirm_innovation(user, innovation) -> bool:
    return is_owner(user, innovation)


def can_archive_innovation(user, innovation) -> bool:
    return can_confirm_innovation(user, innovation) or can_review_innovation(user, innovation)


def can_feature_innovation(user) -> bool:
    roles = roles_of(user)
    return roles.is_ministry or roles.is_admin


def sees_history(user, innovation) -> bool:
    """The audit trail shows on the record for its staff, its reviewers, the ministry and admins."""
    roles = roles_of(user)
    return (
        roles.reads_everything
        or innovation.agency_id in roles.staff_agency_ids
        or innovation.province_id in roles.officer_province_ids
    )


def get_evidence_for_user(user, pk):
    """An evidence file, or 404. Public: files of published records that are neither removed nor part of
    an edit still under review. Everything else only for those who see the record in the workspace."""
    from innovations.models import Evidence, Innovation

    evidence = get_object_or_404(Evidence.objects.select_related("innovation"), pk=pk)
    public = (
        evidence.innovation.status == "published" and not evidence.is_removed and evidence.revision_id is None
    )
    if public:
        return evidence
    if not innovations_in_workspace(user, Innovation.objects.filter(pk=evidence.innovation_id)).exists():
        raise Http404
    return evidence


def access_requests_for_decider(user, queryset):
    """Access requests a user may decide: for agencies of an officer's (active) hub province; for the
    ministry, agencies of provinces without an active hub; all for administrators."""
    roles = roles_of(user)
    if roles.is_admin:
        return queryset
    scope = Q(pk__in=[])
    if roles.officer_province_ids:
        scope |= Q(agency__province_id__in=roles.officer_province_ids) & ~Q(
            agency__province__hub__status="inactive"
        )
    if roles.is_ministry:
        scope |= provinces_without_active_hub_q("agency__")
    return queryset.filter(scope)


def can_decide_access_requests(user) -> bool:
    roles = roles_of(user)
    return roles.is_admin or roles.is_officer or roles.is_ministry


def decidable_access_request_ids(user, ids):
    """Which of the access requests ``ids`` ``user`` may open and decide (the rule of
    ``get_access_request_for_decider``), so lists link only those. One query; none for an empty list."""
    from jipp.models import AccessRequest

    ids = list(ids)
    if not ids or not can_decide_access_requests(user):
        return set()
    decidable = access_requests_for_decider(user, AccessRequest.objects.filter(pk__in=ids))
    return set(decidable.values_list("pk", flat=True))


def get_access_request_for_decider(user, pk):
    from jipp.models import AccessRequest

    require(can_decide_access_requests(user))
    return get_object_or_404(
        access_requests_for_decider(user, AccessRequest.objects.select_related("agency", "user")), pk=pk
    )


def can_appoint_officers(user) -> bool:
    roles = roles_of(user)
    return roles.is_ministry or roles.is_admin
