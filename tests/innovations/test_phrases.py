"""Quoted phrases use the index of adjacent word pairs (innovations.phrases) and find exactly what the
phrase itself finds: the pairs are only ever a necessary condition."""

import pytest
from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from innovations import phrases, search
from innovations.models import Innovation

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("tsquery", "pairs"),
    [
        ("'administrasi' <-> 'nduduk'", ["administrasi nduduk"]),
        ("'mutu' <-> 'layan' <-> 'yang' <-> 'baik'", ["mutu layan", "layan yang", "yang baik"]),
        ("'a' <-> 'b' & 'c' <-> 'd' & !'e'", ["a b", "c d"]),
        ("!( 'bank' <-> 'sampah' ) & 'desa'", []),
        ("'desa' & !( 'bank' <-> 'sampah' ) & 'x' <-> 'y'", ["x y"]),
        ("'bank' <-> 'sampah' | 'desa'", []),  # with OR no pair is required
        ("'bank' <2> 'sampah'", []),  # not side by side
        ("'a' <-> !'b' <-> 'c'", []),
        ("'x' <-> ( 'a' <-> 'b' )", ["a b"]),
        ("'bank-sampah' <-> 'bank' <-> 'sampah'", ["bank-sampah bank", "bank sampah"]),
        ("'a':* <-> 'b'", []),  # a prefix match
        ("'it''s' <-> 'b'", []),  # a quote in a lexeme: no pair rather than a wrong one
        ("'a' <-> 'b' & 'a' <-> 'b'", ["a b"]),
        ("'a' & 'b'", []),
        ("", []),
        ("'a' <-> 'b' ???", []),  # anything unexpected: no pairs
    ],
)
def test_required_pairs_are_only_those_every_match_must_have(tsquery, pairs):
    assert phrases.required_pairs(tsquery) == pairs


def test_the_index_function_pairs_neighbouring_positions():
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {phrases.FUNCTION}(to_tsvector('indonesian', 'bank sampah desa, bank air'))"  # noqa: S608
        )
        assert sorted(cursor.fetchone()[0]) == ["bank air", "bank sampah", "desa bank", "sampah desa"]


BODIES = [
    ("Administrasi Kependudukan Keliling", "Pelayanan administrasi kependudukan di desa."),
    ("Kependudukan dan Administrasi", "Data tercatat: kependudukan, lalu administrasi desa."),
    ("Bank Sampah Sekolah", "Siswa menabung di bank sampah."),
    ("Sampah Bank Desa", "Bank desa mengelola sampah warga."),
    ("Kartu-Keluarga Daring", "Cetak kartu-keluarga dan akta kelahiran sendiri."),
    ("Akta Kelahiran", "Akta lahir untuk bayi; kartu keluarga menyusul."),
    ("Mutu Pelayanan Yang Baik", "Survei mutu pelayanan yang baik dan cepat."),
    ("Rumah Sakit Daring", "Antrean rumah sakit daring, bukan sakit rumah."),
]
QUERIES = [
    '"administrasi kependudukan"',
    '"kependudukan administrasi"',
    '"bank sampah"',
    '"bank sampah" desa',
    '"bank sampah" OR desa',
    '-"bank sampah" desa',
    '- "bank sampah" desa',
    'desa -"bank sampah"',
    '"bank sampah',  # no closing quote: still a phrase
    '"kartu-keluarga"',
    '"kartu keluarga"',
    '"akta kelahiran" "kartu keluarga"',
    '"mutu pelayanan yang baik"',
    '"mutu, pelayanan! yang baik"',
    '"rumah sakit" -daring',
    '"sakit rumah"',
    '"layanan"',
    '"" desa',
    '"bank -sampah"',
    '"bank or sampah"',
]


@pytest.mark.parametrize("q", QUERIES)
def test_phrases_find_exactly_what_the_phrase_alone_finds(world, make, q):
    for name, summary in BODIES:
        make(world.pekanbaru, name=name, summary=summary, background=summary)
    query = SearchQuery(q, config=search.CONFIG, search_type="websearch")
    plain = set(Innovation.objects.filter(search_vector=query).values_list("name", flat=True))
    with_pairs = set(
        Innovation.objects.filter(search.matches_q(query, search.phrase_pairs(q))).values_list(
            "name", flat=True
        )
    )
    assert with_pairs == plain
    found = set(Innovation.objects.published().search(q).values_list("name", flat=True))
    assert found == plain


def test_a_phrase_search_asks_the_pair_index_and_finds_only_the_phrase(client, world, make):
    """The statement asks for the phrase's pairs in exactly the form the pair index answers. (Which
    plan PostgreSQL picks for a handful of test rows varies by version; at a million rows, make bench
    shows the pair index in the phrase plans.)"""
    for name, summary in BODIES:
        make(world.pekanbaru, name=name, summary=summary)
    for n in range(20):
        make(world.siak, name=f"Layanan Desa {n}", summary="Kependudukan tertib; administrasi desa rapi.")
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("innovations:list"), {"q": '"administrasi kependudukan"'})
    assert [card["name"] for card in response.context["cards"]] == ["Administrasi Kependudukan Keliling"]
    candidates = [q["sql"] for q in captured.captured_queries if "UNION ALL" in q["sql"]]
    assert len(candidates) == 1
    condition = f'{phrases.FUNCTION}("{Innovation._meta.db_table}"."search_vector") @> '
    assert condition in candidates[0]
    # That condition alone, with sequential scans off: only the pair index can answer it.
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute(
            f"EXPLAIN SELECT id FROM {Innovation._meta.db_table} WHERE {condition}%s::text[]",  # noqa: S608
            [["administrasi nduduk"]],
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("RESET enable_seqscan")
    assert "innovation_search_pairs" in plan, plan


def test_words_without_quotes_cost_no_extra_query(world, make):
    make(world.pekanbaru, name="Bank Sampah", summary="Bank sampah.")
    with CaptureQueriesContext(connection) as plain:
        search.run(Innovation.objects.published(), "bank sampah")
    with CaptureQueriesContext(connection) as quoted:
        search.run(Innovation.objects.published(), '"bank sampah"')
    assert len(quoted) == len(plain) + 1
    assert "websearch_to_tsquery" in quoted.captured_queries[0]["sql"]


def test_common_pairs_are_left_to_the_plain_match(world, make):
    """A pair that many records have (from the index's statistics) is not asked of the pair index:
    the plain match finds a page of such a phrase at once. Results are the same either way."""
    for n in range(40):
        make(world.pekanbaru, name=f"Bank Sampah {n}", summary="Bank sampah warga.")
    make(world.siak, name="Administrasi Kependudukan", summary="Administrasi kependudukan desa.")
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Innovation._meta.db_table}")
    phrases.forget_statistics()
    try:
        assert search.phrase_pairs('"bank sampah"') == []
        assert search.phrase_pairs('"administrasi kependudukan"') == ["administrasi nduduk"]
        assert search.phrase_pairs('"bank sampah" "administrasi kependudukan"') == ["administrasi nduduk"]
        assert Innovation.objects.published().search('"bank sampah"').count() == 40
    finally:
        phrases.forget_statistics()
