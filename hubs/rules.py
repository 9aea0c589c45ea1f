"""Who may manage a hub's page, designate hubs and read monitoring. Hub pages are public; only the
hub's own officers (and administrators) edit a hub's page, team, partner universities, documents and
events; the ministry designates hubs and changes their status. Monitoring is for officers (their own
hubs) and the ministry (every hub)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from jipp.access import roles_of
from jipp.models import Hub


def get_hub_for_editing(user, slug):
    """The hub ``slug`` if ``user`` may manage its page; 404 when no such hub, 403 otherwise."""

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

    hub = get_object_or_404(Hub.objects.select_related("province"), slug=slug)
    roles = roles_of(user)
    if roles.reads_everything or hub.pk in roles.officer_hub_ids:
        return hub
    raise PermissionDenied
