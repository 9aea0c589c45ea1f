"""Who decides access requests and appoints hub officers."""

from django.db.models import Q
from django.shortcuts import get_object_or_404

from jipp.access import provinces_without_active_hub_q, require, roles_of
from jipp.accounts.models import AccessRequest
from jipp.models import Agency, Hub


def access_requests_for_decider(user, queryset):
    """Access requests a user may decide: for agencies of an officer's (active) hub province; for the
    ministry, agencies of provinces without an active hub and the central ministries and agencies
    (they sit in Jakarta but belong to no province's hub); all for administrators."""
    roles = roles_of(user)
    if roles.is_admin:
        return queryset
    scope = Q(pk__in=[])
    if roles.officer_province_ids:
        scope |= (
            Q(agency__province_id__in=roles.officer_province_ids)
            & ~Q(agency__province__hub__status=Hub.Status.INACTIVE)
            & ~Q(agency__level=Agency.Level.CENTRAL)
        )
    if roles.is_ministry:
        scope |= provinces_without_active_hub_q("agency__") | Q(agency__level=Agency.Level.CENTRAL)
    return queryset.filter(scope)


def can_decide_access_requests(user) -> bool:
    roles = roles_of(user)
    return roles.is_admin or roles.is_officer or roles.is_ministry


def decidable_access_request_ids(user, ids):
    """Which of the access requests ``ids`` ``user`` may open and decide (the rule of
    ``get_access_request_for_decider``), so lists link only those. One query; none for an empty list."""
    ids = list(ids)
    if not ids or not can_decide_access_requests(user):
        return set()
    decidable = access_requests_for_decider(user, AccessRequest.objects.filter(pk__in=ids))
    return set(decidable.values_list("pk", flat=True))


def get_access_request_for_decider(user, pk):
    require(can_decide_access_requests(user))
    return get_object_or_404(
        access_requests_for_decider(
            user, AccessRequest.objects.select_related("agency", "agency__parent", "user")
        ),
        pk=pk,
    )


def can_appoint_officers(user) -> bool:
    roles = roles_of(user)
    return roles.is_ministry or roles.is_admin


def forbidden_advice(request) -> dict:
    """What the 403 page advises. Anonymous visitors sign in; a signed-in person with no role (an
    applicant) sees where their latest access request stands, or asks for access; staff, officers and
    the ministry already have access, so they read that their role does not include this page and go
    on to their workspace or the search. Roles are read once per request (``roles_of``)."""

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"denied_for": "anonymous"}
    roles = roles_of(user)
    if roles.is_staff_member or roles.is_officer or roles.reads_everything:
        return {"denied_for": "member"}
    latest = AccessRequest.objects.filter(user=user).select_related("agency").order_by("-created_at").first()
    return {"denied_for": "applicant", "access_request": latest}
