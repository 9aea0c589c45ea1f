"""What can be followed, found by the key in its URL (a slug, or a sector's value), and what is new
there: newly published innovations, replications reaching a public stage, hub events."""

import datetime
from dataclasses import dataclass, field

from django.http import Http404
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from following.models import TARGET_FIELD, TargetKind
from hubs.models import HubEvent
from innovations.models import Innovation, Sector
from jipp.models import Agency, Hub, Province
from replication.models import PUBLIC_STATUSES, STAGE_STARTED, ReplicationRequest

# A replication "reaching a stage" the public may see (approved requests may still be declined).
NEWS_STAGES = [s for s in PUBLIC_STATUSES if s != ReplicationRequest.Status.APPROVED]


@dataclass
class Target:
    kind: str
    key: str
    object: object = None
    name: str = ""
    page_url: str = ""
    feed_url: str = ""
    lookup: dict = field(default_factory=dict)  # the Follow row's columns for this target

    @property
    def kind_label(self):
        return TargetKind(self.kind).label


def target_of(kind, obj):
    """The target ``obj`` (a model instance, or a sector's value) of ``kind``; no query."""
    if kind == TargetKind.INNOVATION:
        return Target(kind, obj.slug, obj, obj.name, obj.get_absolute_url(), "", {"innovation": obj})
    if kind == TargetKind.SECTOR:
        page = reverse("innovations:list") + "?" + urlencode({"sector": obj})
        feed = reverse("following:feed_sector", args=[obj])
        return Target(kind, obj, obj, str(Sector(obj).label), page, feed, {"sector": obj})
    page = {
        TargetKind.AGENCY: "innovations:agency_detail",
        TargetKind.PROVINCE: "province_detail",
        TargetKind.HUB: "hub_detail",
    }[kind]
    return Target(
        kind,
        obj.slug,
        obj,
        obj.name,
        reverse(page, args=[obj.slug]),
        reverse(f"following:feed_{kind}", args=[obj.slug]),
        {TARGET_FIELD[kind]: obj},
    )


def resolve(kind, key):
    """The target of ``kind`` named ``key``, or 404 (only what the public may see is followed)."""
    found = None
    if kind == TargetKind.INNOVATION:
        found = Innovation.objects.published().filter(slug=key).first()
    elif kind == TargetKind.AGENCY:
        found = Agency.objects.filter(slug=key).first()
    elif kind == TargetKind.SECTOR:
        found = key if key in Sector.values else None
    elif kind == TargetKind.PROVINCE:
        found = Province.objects.filter(slug=key).first()
    elif kind == TargetKind.HUB:
        found = Hub.objects.filter(slug=key).first()
    if found is None:
        raise Http404(_("There is nothing to follow at this address."))
    return target_of(kind, found)


def of_follow(follow):
    """The target of a saved ``Follow`` (its object loaded with it: no query)."""
    return target_of(follow.kind, follow.target)


# --- What is new ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    when: datetime.datetime
    title: str
    url: str
    summary: str = ""
    id: str = ""


def _innovations(target):
    qs = Innovation.objects.published().select_related("agency")
    return {
        TargetKind.INNOVATION: lambda: qs.filter(pk=target.object.pk),
        TargetKind.AGENCY: lambda: qs.filter(agency=target.object),
        TargetKind.SECTOR: lambda: qs.filter(sector=target.object),
        TargetKind.PROVINCE: lambda: qs.filter(province=target.object),
        TargetKind.HUB: lambda: qs.filter(province_id=target.object.province_id),
    }[target.kind]()


def _replications(target):
    qs = ReplicationRequest.objects.filter(status__in=NEWS_STAGES).select_related(
        "source", "requesting_agency"
    )
    return {
        TargetKind.INNOVATION: lambda: qs.filter(source=target.object),
        TargetKind.AGENCY: lambda: (
            qs.filter(source__agency=target.object) | qs.filter(requesting_agency=target.object)
        ),
        TargetKind.SECTOR: lambda: qs.filter(source__sector=target.object),
        TargetKind.PROVINCE: lambda: qs.filter(requesting_agency__province=target.object),
        TargetKind.HUB: lambda: qs.filter(hub=target.object),
    }[target.kind]()


def _events(target):
    qs = HubEvent.objects.current().select_related("hub")
    if target.kind == TargetKind.HUB:
        return qs.filter(hub=target.object)
    if target.kind == TargetKind.PROVINCE:
        return qs.filter(hub__province=target.object)
    return None


def _within(queryset, field, since, until):
    """Rows whose ``field`` is after ``since`` and at most ``until`` (either may be None)."""
    if since:
        queryset = queryset.filter(**{f"{field}__gt": since})
    if until:
        queryset = queryset.filter(**{f"{field}__lte": until})
    return queryset


def news(target, *, since=None, until=None, limit=50):
    """What is new at ``target`` between ``since`` and ``until``, newest first, at most ``limit``
    of each source (three queries, each bounded by ``limit``)."""
    items = []
    published = _within(_innovations(target), "published_at", since, until)
    for innovation in published.order_by("-published_at", "-id")[:limit]:
        items.append(
            Item(
                innovation.published_at,
                str(
                    _("Published: %(name)s (%(agency)s)")
                    % {"name": innovation.name, "agency": innovation.agency.name}
                ),
                innovation.get_absolute_url(),
                innovation.summary,
                f"innovation-{innovation.pk}-{innovation.published_at:%Y%m%d%H%M%S}",
            )
        )
    replications = _replications(target)
    for replication in replications.order_by("-last_activity_at", "-id")[: limit * 2]:
        reached = getattr(replication, STAGE_STARTED[replication.status])
        if reached is None or (since and reached <= since) or (until and reached > until):
            continue
        items.append(
            Item(
                reached,
                str(
                    _("%(agency)s’s replication of “%(name)s”: %(stage)s")
                    % {
                        "agency": replication.requesting_agency.name,
                        "name": replication.source.name,
                        "stage": replication.get_status_display(),
                    }
                ),
                replication.get_public_url(),
                "",
                f"replication-{replication.pk}-{replication.status}",
            )
        )
    events = _events(target)
    if events is not None:
        events = _within(events, "created_at", since, until)
        for event in events.order_by("-created_at", "-id")[:limit]:
            items.append(
                Item(
                    event.created_at,
                    str(
                        _("%(hub)s: %(title)s, %(date)s")
                        % {"hub": event.hub.name, "title": event.title, "date": event.held_on.isoformat()}
                    ),
                    reverse("hub_detail", args=[event.hub.slug]),
                    event.summary,
                    f"event-{event.pk}",
                )
            )
    items.sort(key=lambda item: item.when, reverse=True)
    return items[:limit]
