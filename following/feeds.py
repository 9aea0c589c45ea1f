"""Atom feeds of what is new per agency, sector, province and hub, for the public (the portal's feed
of all newly published innovations is ``innovations:feed``)."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from following import targets
from following.models import TargetKind


class TargetFeed(Feed):
    feed_type = Atom1Feed
    kind = None

    def get_object(self, request, key):
        return targets.resolve(self.kind, key)

    def title(self, target):
        return _("JIPP: what is new in %(name)s") % {"name": target.name}

    def subtitle(self, target):
        return _(
            "Newly published innovations, replications reaching a stage and hub events: %(kind)s %(name)s."
        ) % {
            "kind": target.kind_label,
            "name": target.name,
        }

    def link(self, target):
        return target.page_url

    def feed_url(self, target):
        return target.feed_url

    def items(self, target):
        return targets.news(target, limit=50)

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.url

    def item_guid(self, item):
        return item.id

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.when

    def item_updateddate(self, item):
        return item.when


def _feed(kind):
    return require_safe(type(f"{kind.title()}Feed", (TargetFeed,), {"kind": kind})())


agency_feed = _feed(TargetKind.AGENCY)
sector_feed = _feed(TargetKind.SECTOR)
province_feed = _feed(TargetKind.PROVINCE)
hub_feed = _feed(TargetKind.HUB)
