"""Quoted phrases at a million records: the index of adjacent word pairs.

A phrase of two common words (``"administrasi kependudukan"``) is cheap to find in the GIN index of
``search_vector`` only word by word: the index holds no positions, so PostgreSQL rechecks every record
that has both words (51,000 of a million, each vector read from TOAST: about 300 ms) to find the ten
where they stand side by side.

``innovation_search_pairs`` indexes every pair of adjacent lexemes of a record ("administrasi
nduduk"), derived from ``search_vector`` itself by the SQL function ``innovations_lexeme_pairs``
(migration 0007). A phrase query then also asks for its own adjacent pairs, which only the records
with the phrase, or with each of its pairs somewhere, carry; the phrase itself is still checked by
``search_vector @@ query``. The condition is only ever a necessary one (:func:`required_pairs` takes
pairs only where the query cannot match without them), so results are exactly those without it.

Only pairs that are not common help (:func:`selective`): a pair that a tenth of all records have
("mutu layan") is a phrase that a tenth of all records have, and the plain match finds a page of it
in the first few thousand rows, where the pair index would first list every one of them. How common a
pair is comes from PostgreSQL's own statistics of the index (its most common elements, refreshed by
ANALYZE), read once every ten minutes per process.

When pairs are used, the phrase itself is checked with ``ts_match_vq()`` (the function behind ``@@``)
so that PostgreSQL drives the search from the pair index alone: combined with the word index, every
row would be rechecked against both conditions, and computing a record's pairs is the expensive part.
"""

import re
import threading
import time

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.lookups import DataContains
from django.db.models import F, Func, Q, TextField, Value

FUNCTION = "innovations_lexeme_pairs"

# Every adjacent pair of lexemes of a tsvector, "first second": positions p and p + 1. Stable across
# releases (only tsvector's own unnest), so it can back an index.
FUNCTION_SQL = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}(v tsvector) RETURNS text[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT a.lexeme || ' ' || b.lexeme), '{{}}')
      FROM (SELECT lexeme, unnest(positions) AS pos FROM unnest(v)) a
      JOIN (SELECT lexeme, unnest(positions) AS pos FROM unnest(v)) b ON b.pos = a.pos + 1
$$;
"""  # noqa: S608 - a constant name


def pairs_expression():
    """``innovations_lexeme_pairs(search_vector)``: the indexed expression."""
    return Func(F("search_vector"), function=FUNCTION, output_field=ArrayField(TextField()))


# A pair this common (a share of all records) is left to the plain match (see the module docstring).
COMMON_PAIR = 0.1
STATISTICS_TTL = 600  # seconds a process keeps the pairs' frequencies
INDEX_NAME = "innovation_search_pairs"

_statistics = {"read_at": None, "frequencies": {}}
_statistics_lock = threading.Lock()


def _frequencies(connection) -> dict:
    """The share of records having each of the most common pairs, from the index's statistics."""
    now = time.monotonic()
    read_at = _statistics["read_at"]
    if read_at is not None and now - read_at < STATISTICS_TTL:
        return _statistics["frequencies"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats"
            " WHERE tablename = %s AND most_common_elems IS NOT NULL",
            [INDEX_NAME],
        )
        row = cursor.fetchone()
    # The frequencies list ends with three summary figures (min, max, nulls): zip stops at the words.
    frequencies = dict(zip(row[0], row[1], strict=False)) if row else {}
    with _statistics_lock:
        _statistics.update(read_at=now, frequencies=frequencies)
    return frequencies


def forget_statistics():
    """Read the statistics again on next use (after ANALYZE in tests and benchmarks)."""
    with _statistics_lock:
        _statistics.update(read_at=None, frequencies={})


def selective(pairs, connection) -> list[str]:
    """The pairs worth asking the index for: those fewer than COMMON_PAIR of all records have."""
    if not pairs:
        return []
    frequencies = _frequencies(connection)
    return [pair for pair in pairs if frequencies.get(pair, 0.0) < COMMON_PAIR]


def pairs_q(pairs) -> Q:
    """Records whose text has every pair in ``pairs`` (an empty list asks for nothing)."""
    if not pairs:
        return Q()
    return Q(DataContains(pairs_expression(), Value(list(pairs), output_field=ArrayField(TextField()))))


# The text form of a tsquery: quoted lexemes ('' escapes a quote, an optional :* or weight suffix),
# the phrase operators <-> and <N>, and & | ! ( ).
_TOKEN = re.compile(r"\s*(?:'((?:[^']|'')*)'(:[*A-D]*)?|(<->)|<(\d+)>|([&|!()]))")


def required_pairs(tsquery_text: str) -> list[str]:
    """The adjacent pairs every match of this tsquery must have: those of its phrases outside any
    negation, when the query has no OR (with OR no single pair is required). A query this parser does
    not fully understand requires nothing, which is always correct, only slower."""
    tokens = []
    position = 0
    text = tsquery_text or ""
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            if text[position:].strip():
                return []
            break
        position = match.end()
        lexeme, suffix, phrase, distance, operator = match.groups()
        if operator == "|":
            return []
        if lexeme is not None:
            # A prefix or weight match, or a lexeme whose text could be spelled two ways: no pair.
            plain = not suffix and "\\" not in lexeme and "'" not in lexeme and " " not in lexeme
            tokens.append(("lexeme", lexeme if plain else None))
        elif phrase:
            tokens.append(("next", None))
        elif distance is not None:
            tokens.append(("apart", None))
        else:
            tokens.append((operator, None))
    pairs = []
    previous = None  # the lexeme just before an "<->" that may start a pair
    index = 0
    while index < len(tokens):
        kind, value = tokens[index]
        if kind == "!":
            # Skip the negated operand: one lexeme, or a parenthesised group.
            index += 1
            if index < len(tokens) and tokens[index][0] == "(":
                depth = 0
                while index < len(tokens):
                    depth += {"(": 1, ")": -1}.get(tokens[index][0], 0)
                    if depth == 0:
                        break
                    index += 1
            previous = None
        elif kind == "lexeme":
            if previous is not None and value is not None and tokens[index - 1][0] == "next":
                pairs.append(f"{previous} {value}")
            previous = value
        elif kind != "next":
            previous = None
        index += 1
    return list(dict.fromkeys(pairs))
