"""Search over published innovations that stays fast at a million records.

What it costs and why it is shaped like this (see docs/architecture.md, "Search at a million"):
- Matching uses the GIN index on ``search_vector`` (the whole record). Ranking reads each candidate's
  vector, so only a bounded candidate set is ranked: up to ``COUNT_CAP + 1`` matches of the whole
  record (which also gives the capped count) plus up to ``HEAD_CANDIDATES`` matches of the small
  ``search_head`` (name, acronym, summary) and exact name/acronym matches, so the best records are
  always among the candidates even when a common word matches most of the table.
- Counts are capped at ``COUNT_CAP`` ("1,000+"), pages stop at ``MAX_DEPTH`` results (no deep OFFSET).
- Facet counts are taken over a bounded sample (the candidates, or the newest ``FACET_SAMPLE``
  matches) and labelled as such when the sample is not the whole result.
- The candidate query runs with sequential scans off and a statement timeout: a phrase of common words
  must not make the planner read the whole table; when it still takes too long, the search falls back
  to names and summaries and says so.
- "Did you mean" looks up each word in ``SearchTerm`` (words of published names and acronyms) by
  trigram similarity; when the query finds nothing and a correction does, its results are shown.
"""

import re
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import OperationalError, connection
from django.db.models import Case, F, FloatField, Value, When
from django.db.models.functions import Lower
from django.db.models.lookups import Exact
from django.utils.html import escape
from django.utils.safestring import mark_safe

CONFIG = "indonesian"
MAX_QUERY_LENGTH = 200  # characters kept of the query string
COUNT_CAP = 1000  # counts above this are shown as "1,000+"
HEAD_CANDIDATES = 500  # name/acronym/summary matches always ranked
MAX_DEPTH = 1000  # results reachable by paging; deeper pages need narrower filters
FACET_SAMPLE = 2000  # rows the facet counts are taken over when no search query is given
PER_PAGE_CHOICES = (10, 20, 50, 100)
DEFAULT_PER_PAGE = 20
STATEMENT_TIMEOUT_MS = 2000

SORTS = ("relevance", "newest", "replicated", "az")
SORT_ORDER = {
    "newest": ("-published_at", "-id"),
    "replicated": ("-replication_count", "-published_at", "-id"),
    "az": ("name", "id"),
}

# Columns a result list shows; the big text sections and the vectors are never read for lists.
LIST_FIELDS = (
    "id",
    "slug",
    "name",
    "acronym",
    "summary",
    "sector",
    "stage",
    "form",
    "kind",
    "started_on",
    "published_at",
    "replication_count",
    "is_featured",
    "is_sample",
    "last_confirmed_on",
    "agency__name",
    "agency__slug",
    "province__name",
    "province__slug",
    "regency__name",
)

_MARK_START, _MARK_END = "\x02", "\x03"
_WORD = re.compile(r"\w+", re.UNICODE)
# A guard for the one query whose plan depends most on the words: sent as one multi-statement
# string, so SET LOCAL holds exactly for this statement's implicit transaction.
_GUARD = f"SET LOCAL enable_seqscan = off; SET LOCAL statement_timeout = {STATEMENT_TIMEOUT_MS}; "


def clean_query(raw) -> str:
    """The query as searched: no control characters, whitespace collapsed, at most 200 characters."""
    if not isinstance(raw, str):
        return ""
    text = "".join(ch if ch.isprintable() else " " for ch in raw)
    return " ".join(text.split())[:MAX_QUERY_LENGTH].strip()


def web_query(q) -> SearchQuery | None:
    q = clean_query(q)
    if not _WORD.search(q):
        return None
    return SearchQuery(q, config=CONFIG, search_type="websearch")


def parse_int(raw, default: int, *, minimum: int = 1, maximum: int | None = None) -> int:
    try:
        value = int(str(raw).strip())
    except (TypeError, ValueError):
        return default
    value = max(value, minimum)
    return min(value, maximum) if maximum is not None else value


@dataclass
class Result:
    q: str
    sort: str
    page: int
    per_page: int
    rows: list
    total: int  # capped at COUNT_CAP + 1 (see total_is_capped)
    total_is_capped: bool
    reachable: int  # results reachable by paging
    facets: dict = field(default_factory=dict)  # facet key -> count
    facets_exact: bool = True
    suggestion: str = ""  # "did you mean"
    corrected: bool = False  # rows are those of the suggestion
    degraded: bool = False  # the whole-record search timed out; names and summaries only

    @property
    def count(self) -> int:
        return min(self.total, COUNT_CAP)

    @property
    def last_page(self) -> int:
        return max(1, -(-min(self.reachable, MAX_DEPTH) // self.per_page))

    @property
    def has_next(self) -> bool:
        return self.page < self.last_page

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def start_index(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.rows else 0

    @property
    def end_index(self) -> int:
        return (self.page - 1) * self.per_page + len(self.rows)


def run(queryset, q="", *, sort="", page=1, per_page=DEFAULT_PER_PAGE, facets=True, suggest=True) -> Result:
    """Search ``queryset`` (already published-only and filtered) for ``q``; one page of results.

    Queries: without ``q`` 2 (+1 facets); with ``q`` 3 (+1 facets), +1 for a suggestion and +3 when
    a corrected query is run. Independent of ``per_page``.
    """
    q = clean_query(q)
    query = web_query(q)
    sort = sort if sort in SORTS else ("relevance" if query is not None else "newest")
    if sort == "relevance" and query is None:
        sort = "newest"
    per_page = per_page if per_page in PER_PAGE_CHOICES else DEFAULT_PER_PAGE
    max_page = max(1, MAX_DEPTH // per_page)
    page = min(max(1, page), max_page)
    base = queryset.order_by()

    if query is None:
        return _browse(base, q, sort, page, per_page, facets)

    result = _search(base, q, query, sort, page, per_page, facets)
    if result.total == 0 and suggest:
        suggestion = suggest_for(q)
        if suggestion and suggestion.casefold() != q.casefold():
            corrected = _search(base, suggestion, web_query(suggestion), sort, page, per_page, facets)
            if corrected.total:
                corrected.q, corrected.suggestion, corrected.corrected = q, suggestion, True
                return corrected
            result.suggestion = suggestion
    return result


def _browse(base, q, sort, page, per_page, with_facets) -> Result:
    total = base.values("id")[: COUNT_CAP + 1].count()
    offset = (page - 1) * per_page
    rows = list(_list_qs(base).order_by(*SORT_ORDER[sort])[offset : offset + per_page])
    result = Result(q, sort, page, per_page, rows, total, total > COUNT_CAP, min(total, MAX_DEPTH))
    if with_facets:
        sample = base.order_by("-published_at", "-id").values("facet_keys")[:FACET_SAMPLE]
        sql, params = sample.query.sql_with_params()
        result.facets = _facet_counts(sql, params)
        result.facets_exact = total <= FACET_SAMPLE
    return result


def _candidates(base, query, q):
    """(ids of up to COUNT_CAP + 1 whole-record matches, ids of head matches, degraded)."""
    exact = q.casefold()
    head = (
        base.filter(
            _as_q(Exact(Lower("acronym"), exact)) | _as_q(Exact(Lower("name"), exact)) | _head_q(query)
        )
        .annotate(src=Value(1))
        .values_list("id", "src")[:HEAD_CANDIDATES]
    )
    whole = base.filter(search_vector=query).annotate(src=Value(0)).values_list("id", "src")[: COUNT_CAP + 1]
    try:
        rows = _guarded(whole.union(head, all=True))
        degraded = False
    except OperationalError:
        rows = _guarded(head)
        degraded = True
    full = [pk for pk, src in rows if src == 0]
    heads = [pk for pk, src in rows if src == 1]
    return full, heads, degraded


def _as_q(lookup):
    from django.db.models import Q

    return Q(lookup)


def _head_q(query):
    from django.db.models import Q

    return Q(search_head=query)


def _guarded(qs):
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(_GUARD + sql, params)
        return cursor.fetchall()


def _search(base, q, query, sort, page, per_page, with_facets) -> Result:
    full, heads, degraded = _candidates(base, query, q)
    candidates = list(dict.fromkeys([*heads, *full]))
    total = len(candidates) if degraded else len(full)
    if degraded:
        total = len(candidates)
    offset = (page - 1) * per_page
    if not candidates:
        rows = []
    elif sort == "relevance":
        exact = q.casefold()
        rank = Case(
            When(Exact(Lower("acronym"), exact), then=Value(2.0)),
            When(Exact(Lower("name"), exact), then=Value(2.0)),
            default=Value(0.0),
            output_field=FloatField(),
        ) + SearchRank(F("search_head"), query)
        rows = list(
            _list_qs(base.model.objects.filter(pk__in=candidates))
            .annotate(rank=rank)
            .order_by("-rank", "-published_at", "-id")[offset : offset + per_page]
        )
    elif total > COUNT_CAP and not degraded:
        # Many matches: the newest (or A–Z, or most replicated) of all matches, by the sort's index.
        rows = list(
            _list_qs(base.filter(search_vector=query)).order_by(*SORT_ORDER[sort])[offset : offset + per_page]
        )
    else:
        # Every match is a candidate: order them in place.
        rows = list(
            _list_qs(base.model.objects.filter(pk__in=candidates)).order_by(*SORT_ORDER[sort])[
                offset : offset + per_page
            ]
        )
    if rows:
        _add_snippets(rows, query)
    result = Result(
        q,
        sort,
        page,
        per_page,
        rows,
        total,
        total > COUNT_CAP,
        min(len(candidates) if sort == "relevance" else total, MAX_DEPTH),
        degraded=degraded,
    )
    if with_facets and candidates:
        result.facets = _facet_counts(
            "SELECT facet_keys FROM innovations_innovation WHERE id = ANY(%s)", [candidates]
        )
        result.facets_exact = not result.total_is_capped and not degraded
    return result


def _list_qs(qs):
    return qs.select_related("agency", "province", "regency").only(*LIST_FIELDS)


def _add_snippets(rows, query):
    """Highlighted summary snippets for the rows shown only (one query)."""
    from innovations.models import Innovation

    snippets = dict(
        Innovation.objects.filter(pk__in=[row.pk for row in rows])
        .annotate(
            snippet=SearchHeadline(
                "summary",
                query,
                config=CONFIG,
                start_sel=_MARK_START,
                stop_sel=_MARK_END,
                max_words=40,
                min_words=20,
                max_fragments=2,
                fragment_delimiter=" … ",
            )
        )
        .values_list("id", "snippet")
    )
    for row in rows:
        row.snippet = highlight(snippets.get(row.pk, ""))


def highlight(text: str) -> str:
    """Escape the stored text, then turn the headline's markers into <mark> elements."""
    escaped = escape(text or "")
    return mark_safe(  # noqa: S308 - everything but our own markers is escaped above
        escaped.replace(_MARK_START, "<mark>").replace(_MARK_END, "</mark>")
    )


def _facet_counts(inner_sql, params) -> dict:
    # inner_sql is compiled by the ORM with its values as parameters, never built from input.
    sql = "SELECT k, count(*) FROM (%s) AS s CROSS JOIN LATERAL unnest(s.facet_keys) AS k GROUP BY k"
    sql = sql.replace("%s", inner_sql, 1)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return dict(cursor.fetchall())


def suggest_for(q: str) -> str:
    """A spelling correction of ``q`` from the words of published names and acronyms, or ""."""
    words = [w.casefold() for w in _WORD.findall(q)][:8]
    words = [w[:100] for w in words if w]
    if not words:
        return ""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT w.word, (
                SELECT t.term FROM innovations_searchterm t
                 WHERE t.term %% w.word
                 ORDER BY similarity(t.term, w.word) DESC, t.term
                 LIMIT 1)
              FROM unnest(%s::text[]) WITH ORDINALITY AS w(word, n)
             ORDER BY w.n
            """,
            [words],
        )
        corrected = [term or word for word, term in cursor.fetchall()]
    return " ".join(corrected) if corrected != words else ""
