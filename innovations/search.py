"""Search over published innovations that stays fast at a million records.

What it costs and why it is shaped like this (see docs/architecture.md, "Search at a million"):
- Matching uses the GIN index on ``search_vector`` (the whole record). Ranking reads each candidate's
  vector, so only a bounded candidate set is ranked: up to ``COUNT_CAP + 1`` matches of the whole
  record (which also gives the capped count) plus up to ``HEAD_CANDIDATES`` matches of the small
  ``search_head`` (name, acronym, summary) and up to ``EXACT_CANDIDATES`` exact name/acronym
  matches, so the best records are always among the candidates even when a common word matches most
  of the table.
- Counts are capped at ``COUNT_CAP`` ("1,000+"), pages stop at ``MAX_DEPTH`` results (no deep OFFSET).
- Facet counts are taken over a bounded sample (the candidates, or the newest ``FACET_SAMPLE``
  matches) and labelled as such when the sample is not the whole result.
- The candidate query runs with sequential scans off and a statement timeout: a phrase of common words
  must not make the planner read the whole table; when it still takes too long, the search falls back
  to names and summaries and says so.
- A quoted phrase of common words also asks the index of adjacent word pairs (innovations.phrases),
  so PostgreSQL rechecks the few records that can have the phrase, not every record with its words.
- "Did you mean" looks up each word in ``SearchTerm`` (words of published names and acronyms) by
  trigram similarity; when the query finds nothing and a correction does, its results are shown.
"""

import re
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchHeadline, SearchQuery
from django.db import OperationalError, transaction
from django.db.models import BooleanField, F, Func, Q
from django.db.models.functions import Lower
from django.db.models.lookups import Exact
from django.utils.html import escape
from django.utils.safestring import mark_safe

from innovations import phrases
from jipp.ops.replica import read_connection

CONFIG = "indonesian"
MAX_QUERY_LENGTH = 200  # characters kept of the query string
COUNT_CAP = 1000  # counts above this are shown as "1,000+"
HEAD_CANDIDATES = 300  # name/acronym/summary matches always ranked
EXACT_CANDIDATES = 50  # records whose whole name or acronym is the query
MAX_DEPTH = 1000  # results reachable by paging; deeper pages need narrower filters
FACET_SAMPLE = 1000  # rows the facet counts are taken over when no search query is given
PER_PAGE_CHOICES = (10, 20, 50, 100)
DEFAULT_PER_PAGE = 20
STATEMENT_TIMEOUT_MS = 2000
# How the whole-record matches are read (see _candidates): the first PROBE_ROWS rows the filters
# allow are tested; with at least DENSE_HITS matches among them, the words are common there and the
# matches are read by walking those rows in order (about 2 microseconds a row, every vector in its
# row), which stops after COUNT_CAP + 1, or after DENSE_WINDOW rows (then the text index answers
# after all); otherwise the text index lists them.
PROBE_ROWS = 250
DENSE_HITS = 13  # 5 %
DENSE_WINDOW = 30_000

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


def phrase_pairs(q) -> list[str]:
    """The adjacent word pairs a quoted phrase in ``q`` requires (innovations.phrases): none, and no
    query, unless ``q`` has a quote; otherwise one small query (PostgreSQL parses the words)."""
    q = clean_query(q)
    if '"' not in q or not _WORD.search(q):
        return []
    connection = read_connection()
    with connection.cursor() as cursor:
        cursor.execute("SELECT websearch_to_tsquery(%s::regconfig, %s)::text", [CONFIG, q])
        required = phrases.required_pairs(cursor.fetchone()[0])
    return phrases.selective(required, connection)


def matches_q(query, pairs=()) -> Q:
    """Whole-record matches of ``query``; ``pairs`` (from :func:`phrase_pairs`) let the pair index
    narrow a phrase of common words to the few records that can have it."""
    if not pairs:
        return Q(search_vector=query)
    # The pair index drives the search; the phrase is checked on the rows it lists (see phrases).
    return Q(_match(query)) & phrases.pairs_q(pairs)


def _match(query):
    """``search_vector @@ query`` as a function call: the same test, which the text index cannot
    answer, so the rows are read through the other filters' indexes and tested one by one."""
    return Func(F("search_vector"), query, function="ts_match_vq", output_field=BooleanField())


def default_sort(q) -> str:
    """Relevance for a search, newest first for browsing."""
    return "relevance" if web_query(q) is not None else "newest"


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


def run(
    queryset,
    q="",
    *,
    sort="",
    page=1,
    per_page=DEFAULT_PER_PAGE,
    facets=True,
    suggest=True,
    correct=True,
) -> Result:
    """Search ``queryset`` (already published-only and filtered) for ``q``; one page of results.

    When nothing matches, a spelling suggestion is looked up (``suggest``) and, with ``correct``, the
    suggestion's results are shown instead (``corrected``); with ``correct=False`` the empty result
    stays and the suggestion is only offered ("did you mean").

    Queries: without ``q`` 2 (+1 facets); with ``q`` 3 (+1 facets), +1 for a suggestion and +3 when
    a corrected query is run, +1 when ``q`` has a quoted phrase. Independent of ``per_page``.
    """
    q = clean_query(q)
    query = web_query(q)
    sort = sort if sort in SORTS else default_sort(q)
    if sort == "relevance" and query is None:
        sort = "newest"
    per_page = per_page if per_page in PER_PAGE_CHOICES else DEFAULT_PER_PAGE
    max_page = max(1, MAX_DEPTH // per_page)
    page = min(max(1, page), max_page)
    base = queryset.order_by()

    if query is None:
        return _browse(base, q, sort, page, per_page, facets)

    result = _search(base, q, query, phrase_pairs(q), sort, page, per_page, facets)
    if result.total == 0 and suggest:
        suggestion = suggest_for(q)
        if suggestion and suggestion.casefold() != q.casefold() and correct:
            corrected = _search(
                base,
                suggestion,
                web_query(suggestion),
                phrase_pairs(suggestion),
                sort,
                page,
                per_page,
                facets,
            )
            if corrected.total:
                corrected.q, corrected.suggestion, corrected.corrected = q, suggestion, True
                return corrected
        if suggestion and suggestion.casefold() != q.casefold():
            result.suggestion = suggestion
    return result


def _browse(base, q, sort, page, per_page, with_facets) -> Result:
    total = base.values("id")[: COUNT_CAP + 1].count()
    offset = (page - 1) * per_page
    rows = list(list_queryset(base).order_by(*SORT_ORDER[sort])[offset : offset + per_page])
    result = Result(q, sort, page, per_page, rows, total, total > COUNT_CAP, min(total, MAX_DEPTH))
    if with_facets:
        # The newest FACET_SAMPLE rows' keys (an index-only scan: the newest index INCLUDEs them),
        # counted in SQL: about a hundred (key, count) rows come back instead of a thousand arrays.
        sample = base.order_by("-published_at", "-id").values_list("facet_keys", flat=True)[:FACET_SAMPLE]
        sql, params = sample.query.sql_with_params()
        with read_connection().cursor() as cursor:
            cursor.execute(
                # The ORM's own SQL with its values as parameters.
                f"SELECT key, count(*) FROM ({sql}) AS sample, unnest(sample.facet_keys) AS key GROUP BY key",  # noqa: S608
                params,
            )
            result.facets = dict(cursor.fetchall())
        result.facets_exact = total <= FACET_SAMPLE
    return result


def _candidates(base, query, pairs, q, with_facets):
    """Up to COUNT_CAP + 1 whole-record matches and up to HEAD_CANDIDATES name/acronym/summary matches
    (and the exact name or acronym matches), in one guarded statement: ([(id, src, rank)], {facet key:
    count over the distinct candidates}, whether it fell back to the head matches only). ``src`` is 1
    for a head or exact match, whose ``rank`` (exact first, then ``ts_rank`` of the head) comes with
    it, and 0 for a whole-record match."""
    exact = q.casefold()
    columns = ("id", "facet_keys", "search_head", "acronym", "name")
    # Exact name or acronym matches have their own part (btree lookups), so a common word that
    # fills the head candidates can never push them out.
    exact_matches = base.filter(
        _as_q(Exact(Lower("acronym"), exact)) | _as_q(Exact(Lower("name"), exact))
    ).values_list(*columns)[:EXACT_CANDIDATES]
    # Names and summaries have their own small index; their vectors are small and stored inline, so a
    # phrase is checked there cheaply without the pair index.
    head = base.filter(search_head=query).values_list(*columns)[:HEAD_CANDIDATES]
    whole = base.filter(matches_q(query, pairs)).values_list(*columns)[: COUNT_CAP + 1]
    walk = None
    if not pairs:
        # Common words: PostgreSQL's plan for the text index reads every matching record's entry
        # first (170,000 for "pelayanan pendidikan": 120 ms), where walking the filtered rows finds
        # the first thousand matches in 6,000 rows (12 ms). Which of the two runs is decided in the
        # statement by the probe, never by the planner's estimate of how often two words meet.
        walk = base.annotate(hit=_match(query)).values_list(*columns, "hit")
    try:
        return (*_guarded_candidates(q, exact, whole, head, exact_matches, with_facets, walk), False)
    except OperationalError as exc:
        _reraise_unless_timeout(exc)
        # Timed out (in autocommit the failed statement leaves the connection usable): names and
        # summaries only, and if even that times out, nothing, said on the page.
        try:
            return (*_guarded_candidates(q, exact, None, head, exact_matches, with_facets), True)
        except OperationalError as again:
            _reraise_unless_timeout(again)
            return [], {}, True


_CANDIDATE_COLUMNS = "id, facet_keys, search_head, acronym, name"


def _guarded_candidates(q, exact, whole, head, exact_matches, with_facets, walk=None):
    """The candidates in one statement built around the ORM's own SQL (its values as parameters).

    With ``walk``, the whole-record matches are read by walking the rows or through the text index
    (:func:`_walk_or_index`). Each part sits behind a one-time filter: what is not needed never runs.

    The head matches are first taken from the whole-record matches already read (every head match is
    a whole-record match, and its small vector is at hand): only when those hold fewer than
    HEAD_CANDIDATES, and there are more matches than were read, does the head index run at all (a
    one-time filter), which saves reading two long posting lists for a search of common words. With
    facets, the same statement counts the facet keys of the distinct candidates (about a hundred rows
    instead of up to 1,351 arrays); the head candidates come back ranked.
    """
    tsquery, tsquery_params = "websearch_to_tsquery(%s::regconfig, %s)", [CONFIG, q]
    rank = (
        "(CASE WHEN lower(c.acronym) = %s OR lower(c.name) = %s THEN 2.0 ELSE 0.0 END"
        f" + ts_rank(c.search_head, {tsquery}))"
    )
    head_sql, head_params = head.query.sql_with_params()
    exact_sql, exact_params = exact_matches.query.sql_with_params()
    # Parameters in the order their placeholders appear in the statement.
    rank_params = [exact, exact, *tsquery_params]
    head_parts = f"SELECT * FROM ({head_sql}) AS h({_CANDIDATE_COLUMNS})"  # noqa: S608 - the ORM's SQL
    if whole is None:
        ctes, whole_rows, params = "", "", []
    else:
        whole_sql, whole_params = whole.query.sql_with_params()
        walk_ctes, whole_sql, whole_params = _walk_or_index(walk, whole_sql, whole_params)
        ctes = (
            f"{walk_ctes}whole({_CANDIDATE_COLUMNS}) AS MATERIALIZED ({whole_sql}), "  # noqa: S608 - the ORM's SQL
            f"head_in_whole AS MATERIALIZED (SELECT * FROM whole WHERE search_head @@ {tsquery}"
            f" LIMIT {HEAD_CANDIDATES}), "
        )
        head_parts = (
            f"SELECT * FROM head_in_whole UNION ALL {head_parts}"  # noqa: S608 - constants
            f" WHERE (SELECT count(*) FROM head_in_whole) < {HEAD_CANDIDATES}"
            f" AND (SELECT count(*) FROM whole) > {COUNT_CAP}"
        )
        whole_rows = "SELECT id, 0 AS src, facet_keys, NULL::float8 AS rank FROM whole UNION ALL "
        params = [*whole_params, *tsquery_params]
    candidates = (  # only constants and the ORM's own SQL are formatted in, never a value
        f"WITH {ctes}candidates AS MATERIALIZED ({whole_rows}"  # noqa: S608 - as above
        f"SELECT c.id, 1, c.facet_keys, {rank} FROM ({head_parts} UNION ALL "
        f"SELECT * FROM ({exact_sql}) AS e({_CANDIDATE_COLUMNS})) AS c) "
    )
    params += [*rank_params, *head_params, *exact_params]
    if not with_facets:
        rows = _guarded(candidates + "SELECT id, src, rank FROM candidates", params)  # noqa: S608
        return rows, {}
    rows = _guarded(  # the ORM's own SQL with its values as parameters; only constants formatted in
        candidates  # noqa: S608
        + """SELECT id, src, rank, NULL::text, 0 FROM candidates
        UNION ALL
        SELECT NULL, NULL, NULL, key, count(*)
          FROM (SELECT DISTINCT ON (id) facet_keys FROM candidates) AS distinct_candidates,
               unnest(distinct_candidates.facet_keys) AS key
         GROUP BY key""",
        params,
    )
    found = [(pk, src, rank) for pk, src, rank, _key, _n in rows if pk is not None]
    return found, {key: n for pk, _src, _rank, key, n in rows if pk is None}


def _walk_or_index(walk, whole_sql, whole_params):
    """(CTEs, the whole-record matches' SQL, the parameters of both in order): with ``walk`` (the filtered
    rows, each with whether it matches), the walk of those rows when the probe finds the words common
    and the walk finds more than COUNT_CAP within DENSE_WINDOW rows, else ``whole_sql`` (the text
    index); without it, ``whole_sql`` alone."""
    if walk is None:
        return "", whole_sql, whole_params
    probe = walk.values_list("hit")[:PROBE_ROWS]
    (probe_sql, probe_params), (window_sql, window_params) = (
        part.query.sql_with_params() for part in (probe, walk[:DENSE_WINDOW])
    )
    # Only the ORM's SQL and constants are formatted in; its values stay parameters.
    walked = f"SELECT {_CANDIDATE_COLUMNS} FROM ({window_sql}) AS b({_CANDIDATE_COLUMNS}, hit)"  # noqa: S608
    enough = f"(SELECT count(*) FROM walked) > {COUNT_CAP}"  # noqa: S608
    ctes = (
        "probe(hits) AS MATERIALIZED (SELECT count(*) FILTER (WHERE p.hit)"  # noqa: S608
        f" FROM ({probe_sql}) AS p(hit)), "
        f"walked AS MATERIALIZED (SELECT * FROM ({walked} WHERE b.hit LIMIT {COUNT_CAP + 1}) AS d"  # noqa: S608
        f" WHERE (SELECT hits FROM probe) >= {DENSE_HITS}), "
    )
    sql = (
        f"SELECT * FROM walked WHERE {enough} UNION ALL "  # noqa: S608
        f"SELECT * FROM ({whole_sql}) AS w WHERE NOT {enough}"  # noqa: S608
    )
    return ctes, sql, [*probe_params, *window_params, *whole_params]


def _reraise_unless_timeout(exc):
    """A statement timeout degrades the search; a lost connection is an outage (the 503 page, or the
    primary when the replica failed), never an empty result."""
    if getattr(exc.__cause__, "sqlstate", None) != "57014":  # query_canceled (psycopg 3's name for the code)
        raise exc


def _as_q(lookup):
    return Q(lookup)


@contextmanager
def _bounded_cursor():
    """A cursor for a statement that may hit its ``SET LOCAL statement_timeout``.

    In autocommit (every public request) the multi-statement string is its own transaction, so the
    settings end with it and a timeout leaves the connection usable. Inside a transaction (a test, a
    management command) the statement runs in a savepoint: a timeout rolls back only the savepoint
    instead of aborting the whole transaction, and the settings are put back afterwards.
    """
    connection = read_connection()
    if not connection.in_atomic_block:
        with connection.cursor() as cursor:
            yield cursor
        return
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        yield cursor
        cursor.execute(_RESET)


_RESET = (
    "SET LOCAL enable_seqscan = DEFAULT; SET LOCAL statement_timeout = DEFAULT; "
    "SET LOCAL pg_trgm.similarity_threshold = DEFAULT"
)


def _last_result(cursor):
    """Move a cursor that ran several statements in one string on to the last one's rows (psycopg 3
    keeps every statement's result and starts at the first, here a ``SET``)."""
    while cursor.nextset():
        pass
    return cursor


def _guarded(sql, params):
    with _bounded_cursor() as cursor:
        cursor.execute(_GUARD + sql, params)
        return _last_result(cursor).fetchall()


def _search(base, q, query, pairs, sort, page, per_page, with_facets) -> Result:
    rows_found, facets, degraded = _candidates(base, query, pairs, q, with_facets)
    head_rank, whole_ids = {}, []
    for pk, src, rank in rows_found:
        if src == 1:
            head_rank[pk] = max(rank, head_rank.get(pk, rank))
        else:
            whole_ids.append(pk)
    full = len(whole_ids)
    heads = list(head_rank)
    heads_set = set(heads)
    others = [pk for pk in dict.fromkeys(whole_ids) if pk not in heads_set]
    candidate_ids = heads + others
    candidates = len(candidate_ids)
    total = candidates if degraded else full
    offset = (page - 1) * per_page
    if not candidates:
        rows = []
    elif sort == "relevance":
        rows = _relevance_page(base.model, head_rank, others, offset, per_page)
    elif total > COUNT_CAP and not degraded:
        # Many matches: the newest (or A–Z, or most replicated) of all matches, by the sort's index.
        rows = list(
            list_queryset(base.filter(matches_q(query, pairs))).order_by(*SORT_ORDER[sort])[
                offset : offset + per_page
            ]
        )
    else:
        # Every match is a candidate: order them in place.
        rows = list(
            list_queryset(base.model.objects.filter(pk__in=candidate_ids)).order_by(*SORT_ORDER[sort])[
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
        min(candidates if sort == "relevance" else total, MAX_DEPTH),
        degraded=degraded,
    )
    if with_facets and candidates:
        result.facets = facets
        result.facets_exact = not result.total_is_capped and not degraded
    return result


def _relevance_page(model, head_rank, others, offset, per_page):
    """Name, acronym and summary matches ranked (exact name or acronym first, then ts_rank of the
    small head vector, both computed with the candidates); then matches elsewhere in the record, latest
    created first. One query for the page's rows by primary key."""
    ranked = sorted(head_rank, key=lambda pk: (-head_rank[pk], -pk))
    ids = (ranked + sorted(others, reverse=True))[offset : offset + per_page]
    if not ids:
        return []
    found = {row.pk: row for row in list_queryset(model.objects.filter(pk__in=ids))}
    return [found[pk] for pk in ids if pk in found]


def list_queryset(qs):
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


_LETTERS = "abcdefghijklmnopqrstuvwxyz0123456789"
MAX_SUGGEST_WORDS = 6
MAX_VARIANT_LENGTH = 30


def _edits1(word: str) -> set[str]:
    """Every string one deletion, transposition, substitution or insertion away from ``word``."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = [a + b[1:] for a, b in splits if b]
    transposes = [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
    replaces = [a + c + b[1:] for a, b in splits if b for c in _LETTERS]
    inserts = [a + c + b for a, b in splits for c in _LETTERS]
    return set(deletes + transposes + replaces + inserts)


def suggest_for(q: str) -> str:
    """A spelling correction of ``q`` from the words of published names and acronyms, or "".

    First every one-letter edit of each word is looked up by primary key (a few hundred index
    probes, fast and exact for the common typo); words with no such neighbour fall back to trigram
    similarity under a short timeout (a big word list makes some trigram lookups slow).
    """
    words = [w.casefold()[:100] for w in _WORD.findall(q)][:MAX_SUGGEST_WORDS]
    if not words:
        return ""
    variants = {w: _edits1(w) if 3 <= len(w) <= MAX_VARIANT_LENGTH else set() for w in words}
    lookup = sorted(set(words).union(*variants.values()))
    with read_connection().cursor() as cursor:
        cursor.execute("SELECT term FROM innovations_searchterm WHERE term = ANY(%s::text[])", [lookup])
        known = {row[0] for row in cursor.fetchall()}
    corrected = {}
    for word in words:
        if word in known:
            corrected[word] = word
        else:
            near = sorted(variants[word] & known)
            if near:
                corrected[word] = near[0]
    unknown = [w for w in words if w not in corrected and len(w) >= 3]
    if unknown:
        corrected.update(_trigram_neighbours(unknown))
    result = [corrected.get(w, w) for w in words]
    return " ".join(result) if result != words else ""


def _trigram_neighbours(words) -> dict:
    sql = """
        SET LOCAL statement_timeout = 300; SET LOCAL pg_trgm.similarity_threshold = 0.4;
        SELECT w.word, (
            SELECT t.term FROM innovations_searchterm t
             WHERE t.term %% w.word
             ORDER BY similarity(t.term, w.word) DESC, t.term
             LIMIT 1)
          FROM unnest(%s::text[]) AS w(word)
    """
    try:
        with _bounded_cursor() as cursor:
            cursor.execute(sql, [words])
            return {word: term for word, term in _last_result(cursor).fetchall() if term}
    except OperationalError as exc:
        _reraise_unless_timeout(exc)
        return {}
