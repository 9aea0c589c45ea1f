"""Public pages of the innovation repository: list and search, detail, agency profile, open data.

Only published records are public: lists start from ``Innovation.objects.published()``, the detail
page from ``Innovation.objects.visible_to(user)`` (so an agency can preview its own draft).
Query counts are constant per page (see tests/innovations/test_query_counts.py).
"""

import json
from datetime import timedelta

from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.db.models import Count, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect, QueryDict, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from innovations import panels, search
from innovations.filters import AWARD_KEYS, REPLICATED_KEYS, InnovationFilter, cleaned_filterset
from innovations.models import Innovation, Kind, Sector, SourceRecord, Stage
from jipp import directory
from jipp.csvexport import streaming_csv
from jipp.models import Agency, Province
from jipp.ops.ratelimits import ALL_METHODS, limited
from jipp.ops.replica import read_connection
from jipp.xlsxexport import streaming_xlsx

STALE_AFTER = timedelta(days=365)
EXPORT_FIELDS = (
    "slug",
    "name",
    "acronym",
    "agency",
    "agency_level",
    "province",
    "regency",
    "sector",
    "stage",
    "form",
    "type",
    "initiator",
    "started_on",
    "sdgs",
    "replication_count",
    "replicated_from",
    "last_confirmed_on",
    "published_at",
    "summary",
    "url",
)


_LABELS = {
    "sector": dict(Sector.choices),
    "stage": dict(Stage.choices),
    "kind": dict(Kind.choices),
}


CARD_WORDS = 40


def _first_words(text, count):
    """The first ``count`` words, with an ellipsis when cut (what Truncator.words does for plain text,
    without its per-call translation and regex work, for twenty cards a page)."""
    words = text.split()
    return " ".join(words[:count]) + "…" if len(words) > count else " ".join(words)


def cards(rows):
    """Display data for result cards, prepared in Python: a template resolving model methods
    (get_FOO_display, reverse) for every card costs more than the queries of the page."""
    detail = reverse("innovations:detail", kwargs={"slug": "__slug__"})
    agency = reverse("innovations:agency_detail", kwargs={"slug": "__slug__"})
    sectors, stages, kinds = _LABELS["sector"], _LABELS["stage"], _LABELS["kind"]
    result = []
    for row in rows:
        snippet = getattr(row, "snippet", "")
        result.append(
            {
                "url": detail.replace("__slug__", row.slug),
                "name": row.name,
                "acronym": row.acronym,
                "agency": row.agency.name,
                "agency_url": agency.replace("__slug__", row.agency.slug),
                "place": f"{row.regency.name}, {row.province.name}" if row.regency_id else row.province.name,
                "summary": snippet or _first_words(row.summary, CARD_WORDS),
                "tags": [
                    str(sectors.get(row.sector, "")),
                    str(stages.get(row.stage, "")),
                    str(kinds.get(row.kind, "")),
                ],
                "replication_count": row.replication_count,
                "is_sample": row.is_sample,
            }
        )
    return result


def clean_params(params) -> QueryDict:
    """The query string without NUL characters (PostgreSQL refuses them in text) or huge values."""
    cleaned = QueryDict(mutable=True)
    for key, values in params.lists():
        key = key.replace("\x00", "")[:50]
        cleaned.setlist(key, [value.replace("\x00", "")[:1000] for value in values[:50]])
    return cleaned


# The list's form also sends the words and the sort the page was showing (hidden fields), so that a
# submit tells a new search from a change of filters or sort for the same words: new words start over
# with the relevance order and with spelling correction on, unless the sort was changed in the same
# submit. The view answers such a submit with a redirect to the plain address, so these never appear
# in links, bookmarks or the page cache.
PREVIOUS_Q, PREVIOUS_SORT = "prev_q", "prev_sort"
# ``exact=1``: search the words exactly as typed, with no spelling correction ("search instead for").
EXACT = "exact"
# What "clear filters" keeps: everything else in the address is a filter.
NOT_FILTERS = ("q", "sort", "per_page", EXACT)


def _submitted_search(params):
    """The plain parameters a submit of the list's form stands for, or None when ``params`` are not
    such a submit (a link, a bookmark, the home page's search box)."""
    if PREVIOUS_Q not in params and PREVIOUS_SORT not in params:
        return None
    previous_q = search.clean_query(params.get(PREVIOUS_Q, ""))
    previous_sort = params.get(PREVIOUS_SORT, "")
    plain = QueryDict(mutable=True)
    for key, values in params.lists():
        if key in (PREVIOUS_Q, PREVIOUS_SORT, "page"):
            continue  # a submit always starts at the first page
        values = [value for value in values if value.strip()]
        if values:
            plain.setlist(key, values)
    q = search.clean_query(plain.get("q", ""))
    if q.casefold() != previous_q.casefold():
        plain.pop(EXACT, None)
        if plain.get("sort", "") == previous_sort:
            plain.pop("sort", None)  # carried over from the other words, not chosen for these
    if plain.get("sort") == search.default_sort(q):
        plain.pop("sort")
    if plain.get("per_page") == str(search.DEFAULT_PER_PAGE):
        plain.pop("per_page")
    return plain


def _list_url(params):
    query = params.urlencode()
    return reverse("innovations:list") + (f"?{query}" if query else "")


def _search_request(request, queryset=None):
    params = clean_params(request.GET)
    filterset = cleaned_filterset(
        params,
        queryset if queryset is not None else Innovation.objects.published(),
        searching=search.web_query(params.get("q", "")) is not None,
    )
    result = search.run(
        filterset.qs,
        params.get("q", ""),
        sort=params.get("sort", ""),
        page=search.parse_int(params.get("page"), 1),
        per_page=search.parse_int(params.get("per_page"), search.DEFAULT_PER_PAGE),
        correct=params.get(EXACT) != "1",
    )
    return params, filterset, result


@require_safe
def innovation_list(request):
    submitted = _submitted_search(clean_params(request.GET))
    if submitted is not None:
        return redirect(_list_url(submitted))
    params, filterset, result = _search_request(request)
    provinces = list(Province.objects.select_related("hub").order_by("name"))
    facet_groups = _facet_groups(filterset, result, provinces)
    exact = params.get(EXACT) == "1" and bool(result.q)
    return render(
        request,
        "innovations/innovation_list.html",
        {
            "filterset": filterset,
            "result": result,
            "cards": cards(result.rows),
            "facet_groups": facet_groups,
            "sort_choices": _sort_choices(result),
            "per_page_choices": search.PER_PAGE_CHOICES,
            "count_cap": search.COUNT_CAP,
            "facet_sample": search.FACET_SAMPLE,
            "query": _without(params, "page"),
            "export_query": _without(params, "page", "per_page").urlencode(),
            "invalid_filters": bool(filterset.errors),
            "exact": exact,
            "active_filters": _active_filters(params, filterset, facet_groups),
            "clear_filters_url": _list_url(_only(params, *NOT_FILTERS)),
            "clear_words_url": _list_url(_without(params, "q", EXACT, "page", "sort")),
            # The words as typed, searched without correction (offered when results were corrected).
            "exact_url": _list_url(_with(_without(params, "page"), **{EXACT: "1"})),
            # Exactly one sector chosen: the page offers to follow it and its Atom feed.
            "single_sector": _single_sector(filterset),
        },
    )


def _single_sector(filterset):
    chosen = (getattr(filterset.form, "cleaned_data", None) or {}).get("sector") or []
    if len(chosen) != 1:
        return None
    return {"value": chosen[0], "label": Sector(chosen[0]).label}


def _without(params, *names):
    copy = params.copy()
    for name in names:
        copy.pop(name, None)
    return copy


def _only(params, *names):
    copy = QueryDict(mutable=True)
    for name in names:
        if name in params:
            copy.setlist(name, params.getlist(name))
    return copy


def _with(params, **values):
    copy = params.copy()
    for name, value in values.items():
        copy[name] = value
    return copy


def _active_filters(params, filterset, facet_groups):
    """[(facet label, value label, URL without this value)] for the summary beside the results: each
    link removes one value and keeps the words, the sort, the page size and every other filter."""
    base = _without(params, "page")

    def removing(name, value):
        copy = base.copy()
        copy.setlist(name, [v for v in copy.getlist(name) if v != value])
        return _list_url(copy)

    active = []
    for name, label, options, _is_open in facet_groups:
        active += [(label, option, removing(name, value)) for value, option, _n, chosen in options if chosen]
    data = getattr(filterset.form, "cleaned_data", {})
    agency = data.get("agency")
    if agency is not None:
        active.append((_("Agency"), agency.name, removing("agency", agency.slug)))
    return active


def _sort_choices(result):
    choices = [
        ("newest", _("Newest")),
        ("replicated", _("Most replicated")),
        ("az", _("A–Z")),
    ]
    if result.q:
        choices.insert(0, ("relevance", _("Relevance")))
    return choices


def _facet_groups(filterset, result, provinces):
    """[(name, label, [(value, label, count, selected)])] for the facet form, from the sampled counts."""
    counts = result.facets
    data = filterset.form.cleaned_data if hasattr(filterset.form, "cleaned_data") else {}

    def selected_values(name):
        value = data.get(name)
        if value is None:
            return set()
        if hasattr(value, "__iter__") and not isinstance(value, str):
            return {getattr(v, "slug", v) for v in value}
        return {getattr(value, "slug", value)}

    groups = []
    chosen = selected_values("province")
    options = [
        (p.slug, p.name, counts.get(f"p:{p.pk}", 0), p.slug in chosen)
        for p in provinces
        if counts.get(f"p:{p.pk}") or p.slug in chosen
    ]
    groups.append(("province", _("Province"), options))
    chosen = selected_values("hub")
    options = [
        (p.hub.slug, p.hub.name, counts.get(f"p:{p.pk}", 0), p.hub.slug in chosen)
        for p in provinces
        if hasattr(p, "hub")
    ]
    groups.append(("hub", _("Hub"), options))
    for name, prefix in InnovationFilter.PREFIXES.items():
        field = filterset.form.fields[name]
        chosen = selected_values(name)
        options = [
            (str(value), label, counts.get(f"{prefix}:{value}", 0), str(value) in chosen)
            for value, label in field.choices
        ]
        if name == "year":
            options = [o for o in options if o[2] or o[3]]
        groups.append((name, field.label, options))
    for name, keys in (("award", AWARD_KEYS), ("replicated", REPLICATED_KEYS)):
        field = filterset.form.fields[name]
        chosen = selected_values(name)
        options = [
            (value, label, counts.get(keys[value], 0), value in chosen)
            for value, label in field.choices
            if value
        ]
        groups.append((name, field.label, options))
    return [(name, label, options, any(o[3] for o in options)) for name, label, options in groups]


# The derived search columns (trigger-kept tsvectors, several kB a row) are never shown.
DERIVED_COLUMNS = ("search_vector", "search_head", "facet_keys")


@require_safe
def innovation_detail(request, slug):
    # Provenance of an imported record ("imported from SINOVIK on …"): its first source, read in the
    # same query (subqueries on the unique source index), so the page keeps its query count.
    first_source = SourceRecord.objects.filter(innovation=OuterRef("pk")).order_by("imported_at", "id")
    innovation = get_object_or_404(
        Innovation.objects.visible_to(request.user)
        .select_related("agency", "province", "regency", "province__hub")
        .defer(*DERIVED_COLUMNS)
        .annotate(
            import_source=Subquery(first_source.values("source")[:1]),
            import_source_id=Subquery(first_source.values("source_id")[:1]),
            imported_at=Subquery(first_source.values("imported_at")[:1]),
        ),
        slug=slug,
    )
    awards = list(innovation.awards.all())
    # Only the published evidence: a file added by an edit still under review (``revision`` set) stays
    # private until the hub publishes that edit, like the edit's text.
    evidence = list(innovation.evidence.filter(is_removed=False, revision__isnull=True))
    ancestors = _ancestors(innovation)
    descendants = _descendants(innovation)
    today = timezone.localdate()
    confirmed = innovation.last_confirmed_on or (
        timezone.localdate(innovation.published_at) if innovation.published_at else None
    )
    return render(
        request,
        "innovations/innovation_detail.html",
        {
            "innovation": innovation,
            "hub": getattr(innovation.province, "hub", None),
            "awards": awards,
            "evidence": evidence,
            "ancestors": ancestors,
            "tree": _as_tree(innovation.pk, descendants),
            "replicators": [node for node in descendants if node["depth"] == 1],
            "confirmed_on": confirmed,
            "is_stale": confirmed is not None and today - confirmed > STALE_AFTER,
            # Sections other apps add (replication: "Request replication", its public replications).
            **panels.context_for(request, innovation),
            "absolute_url": request.build_absolute_uri(innovation.get_absolute_url()),
            "sections": [
                (_("Background and goals"), innovation.background),
                (_("Novelty and added value"), innovation.novelty),
                (_("Implementation"), innovation.implementation),
                (_("Significance: results and impact"), innovation.significance),
                (_("Adaptability"), innovation.adaptability),
                (_("Resources"), innovation.resources),
                (_("Sustainability strategy"), innovation.sustainability),
                (_("Beneficiaries"), innovation.beneficiaries),
            ],
        },
    )


LINEAGE_DEPTH = 3
LINEAGE_NODES = 100
_NODE_COLUMNS = (
    "i.id, i.slug, i.name, i.acronym, a.name, a.slug, coalesce(r.name, ''), p.name, i.published_at"
)
_NODE_JOINS = (
    "JOIN jipp_agency a ON a.id = i.agency_id JOIN jipp_province p ON p.id = i.province_id "
    "LEFT JOIN jipp_regency r ON r.id = i.regency_id"
)


def _node(row, **extra):
    keys = ("id", "slug", "name", "acronym", "agency", "agency_slug", "regency", "province", "published_at")
    return {**dict(zip(keys, row, strict=False)), **extra}


def _ancestors(innovation):
    """What this innovation was adapted from, oldest first (published ones, at most 5 steps up)."""
    if not innovation.replicated_from_id:
        return []
    with read_connection().cursor() as cursor:
        cursor.execute(  # only constant SQL fragments are formatted in
            f"""
            WITH RECURSIVE up(id, depth) AS (
                SELECT %s::bigint, 1
                UNION ALL
                SELECT i.replicated_from_id, up.depth + 1
                  FROM innovations_innovation i JOIN up ON i.id = up.id
                 WHERE up.depth < 5 AND i.replicated_from_id IS NOT NULL
            )
            SELECT {_NODE_COLUMNS}, up.depth FROM up
              JOIN innovations_innovation i ON i.id = up.id {_NODE_JOINS}
             WHERE i.status = 'published'
             ORDER BY up.depth DESC
            """,  # noqa: S608
            [innovation.replicated_from_id],
        )
        return [_node(row[:-1], depth=row[-1]) for row in cursor.fetchall()]


def _descendants(innovation):
    """Who adapted it, and who adapted those (published only, bounded in depth and size)."""
    with read_connection().cursor() as cursor:
        cursor.execute(  # only constant SQL fragments are formatted in
            f"""
            WITH RECURSIVE down(id, parent_id, depth) AS (
                SELECT i.id, i.replicated_from_id, 1 FROM innovations_innovation i
                 WHERE i.replicated_from_id = %s AND i.status = 'published'
                UNION ALL
                SELECT i.id, i.replicated_from_id, down.depth + 1
                  FROM innovations_innovation i JOIN down ON i.replicated_from_id = down.id
                 WHERE down.depth < %s AND i.status = 'published'
            )
            SELECT {_NODE_COLUMNS}, d.parent_id, d.depth
              FROM (SELECT * FROM down LIMIT %s) d
              JOIN innovations_innovation i ON i.id = d.id {_NODE_JOINS}
             ORDER BY d.depth, i.published_at, i.id
            """,  # noqa: S608
            [innovation.pk, LINEAGE_DEPTH, LINEAGE_NODES],
        )
        return [_node(row[:-2], parent_id=row[-2], depth=row[-1]) for row in cursor.fetchall()]


def _as_tree(root_id, nodes):
    children = {}
    for node in nodes:
        children.setdefault(node["parent_id"], []).append(node)
    for node in nodes:
        node["children"] = children.get(node["id"], [])
    return children.get(root_id, [])


AGENCY_PAGE = 20
UNITS_SHOWN = 200


@require_safe
def agency_detail(request, slug):
    agency = Agency.objects.listed().select_related("province", "regency", "parent").filter(slug=slug).first()
    if agency is None:
        # A former address (renamed, or merged into another agency) answers for good with the new one.
        moved = directory.agency_for_old_slug(slug)
        if moved is None:
            raise Http404
        return HttpResponsePermanentRedirect(moved.get_absolute_url())
    units = list(agency.units.listed().order_by("name")[:UNITS_SHOWN]) if agency.is_government else []
    published = Innovation.objects.published().filter(agency=agency).order_by()
    total = published.values("id")[: search.COUNT_CAP + 1].count()
    innovations = list(search.list_queryset(published).order_by("-published_at", "-id")[:AGENCY_PAGE])
    return render(
        request,
        "innovations/agency_detail.html",
        {
            "agency": agency,
            "units": units,
            "innovations": cards(innovations),
            "innovation_total": total,
            "count_cap": search.COUNT_CAP,
            "more_url": f"{reverse('innovations:list')}?agency={agency.slug}",
        },
    )


def province_innovations(province, limit=10):
    """Context for the province page's innovation block: newest records and a capped count."""
    published = Innovation.objects.published().filter(province=province).order_by()
    return {
        "province_innovations": cards(
            search.list_queryset(published).order_by("-published_at", "-id")[:limit]
        ),
        "province_innovation_total": published.values("id")[: search.COUNT_CAP + 1].count(),
        "province_innovations_url": f"{reverse('innovations:list')}?province={province.slug}",
        "count_cap": search.COUNT_CAP,
    }


HOME_FIGURES_TTL = 900


def home_innovations():
    """Context for the home page: headline figures (exact, cached 15 minutes), featured, newest."""
    figures = cache.get("innovations:home-figures")
    if figures is None:
        # No scan of the innovations: the total from jipp's InnovationTally (kept exact by a
        # trigger), the replicated ones from the partial index on replication_count > 0.
        from innovations.models import InnovationTally

        total = InnovationTally.objects.filter(dimension="province").aggregate(n=Sum("count"))["n"] or 0
        replicated = Innovation.objects.published().filter(replication_count__gt=0)
        figures = {
            "innovations": total,
            **replicated.aggregate(replicated=Count("id"), adaptations=Coalesce(Sum("replication_count"), 0)),
        }
        cache.set("innovations:home-figures", figures, HOME_FIGURES_TTL)
    published = Innovation.objects.published()
    return {
        "innovation_figures": figures,
        "featured": cards(
            search.list_queryset(published.filter(is_featured=True)).order_by("-published_at")[:6]
        ),
        "newest": cards(search.list_queryset(published).order_by("-published_at", "-id")[:6]),
    }


# --- Open data --------------------------------------------------------------------------------------


def _export_queryset(request):
    """Every published record matching the filters and query, in the list's order (newest by default;
    relevance needs a bounded candidate set, so exports of a search come newest first)."""
    params = clean_params(request.GET)
    searching = search.web_query(params.get("q", "")) is not None
    filterset = cleaned_filterset(params, Innovation.objects.published(), searching=searching)
    qs = filterset.qs.search(params.get("q", ""))
    order = search.SORT_ORDER.get(params.get("sort", ""), search.SORT_ORDER["newest"])
    return (
        qs.select_related("agency", "province", "regency", "replicated_from")
        .only(
            *search.LIST_FIELDS,
            "initiator",
            "sdgs",
            "agency__level",
            "replicated_from__slug",
        )
        .order_by(*order)
    )


def _export_rows(request):
    base = request.build_absolute_uri("/").rstrip("/")
    # iterator(): a server-side cursor fetching 2,000 rows at a time, so memory stays flat.
    for item in _export_queryset(request).iterator(chunk_size=2000):
        yield {
            "slug": item.slug,
            "name": item.name,
            "acronym": item.acronym,
            "agency": item.agency.name,
            "agency_level": item.agency.level,
            "province": item.province.name,
            "regency": item.regency.name if item.regency_id else "",
            "sector": item.sector,
            "stage": item.stage,
            "form": item.form,
            "type": item.kind,
            "initiator": item.initiator,
            "started_on": item.started_on.isoformat() if item.started_on else "",
            "sdgs": item.sdgs,
            "replication_count": item.replication_count,
            "replicated_from": item.replicated_from.slug if item.replicated_from_id else "",
            "last_confirmed_on": item.last_confirmed_on.isoformat() if item.last_confirmed_on else "",
            "published_at": item.published_at.isoformat() if item.published_at else "",
            "summary": item.summary,
            "url": base + item.get_absolute_url(),
        }


@require_safe
@limited("export", method=ALL_METHODS)
def export_csv(request):
    return streaming_csv(EXPORT_FIELDS, _export_cells(request), "inovasi-jipp.csv")


@require_safe
@limited("export", method=ALL_METHODS)
def export_xlsx(request):
    """The CSV's columns and cells as a spreadsheet (the import of agencies' data reads either)."""
    return streaming_xlsx(EXPORT_FIELDS, _export_cells(request), "inovasi-jipp.xlsx", title="inovasi")


def _export_cells(request):
    """The rows of the CSV and XLSX downloads as cells, in EXPORT_FIELDS order (SDGs space-separated)."""
    return (
        [" ".join(map(str, row["sdgs"])) if field == "sdgs" else row[field] for field in EXPORT_FIELDS]
        for row in _export_rows(request)
    )


@require_safe
@limited("export", method=ALL_METHODS)
def export_json(request):
    def chunks():
        yield '{"license": "CC BY 4.0", "results": [\n'
        first = True
        for row in _export_rows(request):
            yield ("" if first else ",\n") + json.dumps(row, ensure_ascii=False)
            first = False
        yield "\n]}\n"

    response = StreamingHttpResponse(chunks(), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="inovasi-jipp.json"'
    return response


# --- Agencies as open data -------------------------------------------------------------------------

AGENCY_FIELDS = (
    "slug",
    "name",
    "level",
    "province_code",
    "province",
    "regency_code",
    "regency",
    "website",
    "url",
)


def _agency_rows(request):
    base = request.build_absolute_uri("/").rstrip("/")
    agencies = Agency.objects.select_related("province", "regency").order_by("province__code", "name", "id")
    for agency in agencies.iterator(chunk_size=2000):
        yield [
            agency.slug,
            agency.name,
            agency.level,
            agency.province.code,
            agency.province.name,
            agency.regency.code if agency.regency_id else "",
            agency.regency.name if agency.regency_id else "",
            agency.website,
            base + agency.get_absolute_url(),
        ]


@require_safe
@limited("export", method=ALL_METHODS)
def agencies_csv(request):
    return streaming_csv(AGENCY_FIELDS, _agency_rows(request), "instansi-jipp.csv")


@require_safe
@limited("export", method=ALL_METHODS)
def agencies_xlsx(request):
    return streaming_xlsx(AGENCY_FIELDS, _agency_rows(request), "instansi-jipp.xlsx", title="instansi")


@require_safe
@limited("export", method=ALL_METHODS)
def agencies_json(request):
    def chunks():
        yield '{"license": "CC BY 4.0", "results": [\n'
        first = True
        for row in _agency_rows(request):
            yield ("" if first else ",\n") + json.dumps(
                dict(zip(AGENCY_FIELDS, row, strict=True)), ensure_ascii=False
            )
            first = False
        yield "\n]}\n"

    response = StreamingHttpResponse(chunks(), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="instansi-jipp.json"'
    return response


class LatestInnovationsFeed(Feed):
    feed_type = Atom1Feed
    title = _("JIPP: newly published innovations")
    subtitle = _("Public-service innovations newly published on the JIPP portal.")

    def link(self):
        return reverse("innovations:list")

    def items(self):
        return (
            Innovation.objects.published()
            .select_related("agency")
            .only("slug", "name", "acronym", "summary", "published_at", "updated_at", "agency__name")
            .order_by("-published_at", "-id")[:50]
        )

    def item_title(self, item):
        return str(item)

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.agency.name


latest_feed = require_safe(LatestInnovationsFeed())


@require_safe
def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("innovations:sitemap"))
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /akun/",
        "Disallow: /data/inovasi.csv",
        "Disallow: /data/inovasi.json",
        "Disallow: /data/inovasi.xlsx",
        f"Sitemap: {sitemap}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
