"""Who a person is in the network (their roles, read once per request), and the network-wide rules
every app builds on. Each app keeps the rules about its own models in its ``rules.py``; views call
those and never re-implement a rule.

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

from jipp.models import Hub, Membership, Province


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


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def province_has_active_hub(province_id) -> bool:
    """Provinces without a hub, or whose hub is inactive, are served by the ministry (as replication
    requests are): it reviews their innovations and vouches for their staff. One query."""

    return Hub.objects.filter(province_id=province_id).exclude(status=Hub.Status.INACTIVE).exists()


def provinces_without_active_hub():
    """The provinces the ministry serves itself (no hub, or an inactive one)."""

    return Province.objects.filter(Q(hub__isnull=True) | Q(hub__status=Hub.Status.INACTIVE))


def provinces_without_active_hub_q(prefix=""):
    """A filter for records whose province has no active hub (``prefix`` leads to the province)."""
    return Q(**{f"{prefix}province__hub__isnull": True}) | Q(
        **{f"{prefix}province__hub__status": Hub.Status.INACTIVE}
    )
