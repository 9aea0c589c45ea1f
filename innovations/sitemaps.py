from django.contrib.sitemaps import Sitemap
from django.core.cache import cache
from django.core.paginator import Paginator
from django.urls import reverse
from django.utils.functional import cached_property

from innovations.models import Innovation


class _CachedCountPaginator(Paginator):
    """The sitemap needs the number of records to know its pages; count once an hour, not per hit."""

    @cached_property
    def count(self):
        value = cache.get("innovations:sitemap-count")
        if value is None:
            value = self.object_list.count()
            cache.set("innovations:sitemap-count", value, 3600)
        return value


class InnovationSitemap(Sitemap):
    limit = 10000  # urls per sitemap page (the protocol allows 50,000)
    changefreq = "monthly"

    def items(self):
        # Ordered by the primary key so pages are stable and read by index.
        return Innovation.objects.published().only("slug", "updated_at").order_by("id")

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        # Django would compute this over every item (a million rows) for the index: leave it out.
        return None

    @property
    def paginator(self):
        return _CachedCountPaginator(self._items(), self.limit)


class PageSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return ["home", "innovations:list", "open_data", "hub_list"]

    def location(self, item):
        return reverse(item)


SITEMAPS = {"pages": PageSitemap, "innovations": InnovationSitemap}
