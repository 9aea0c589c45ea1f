"""Whole-record matches are read one of two ways, chosen in the statement by a probe of the first rows
the filters allow (innovations.search.PROBE_ROWS, DENSE_HITS): common words by walking the rows,
rarer ones through the text index, which also answers when the walk found too few within
DENSE_WINDOW rows. What is not needed never runs, and both ways find exactly the same."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from innovations import search
from innovations.models import Innovation
from tests.innovations.plans import explain, gated, runs

pytestmark = pytest.mark.django_db


def _plan(queryset, q):
    with CaptureQueriesContext(connection) as captured:
        result = search.run(queryset, q, correct=False, suggest=False)
    return result, explain(captured, "probe(hits)")


# An InitPlan's value reads "(InitPlan 2).col1" from PostgreSQL 17 on, "$2" before.
# The probe found the words common (DENSE_HITS = 3 below); the walk found no more than COUNT_CAP (3
# below), so the text index answers.
WALK = r"(?:\.col1|\$\d+) >= 3\)$"
INDEX = r"(?:\.col1|\$\d+) <= 3\)$"


@pytest.fixture
def small(monkeypatch):
    monkeypatch.setattr(search, "PROBE_ROWS", 10)
    monkeypatch.setattr(search, "DENSE_HITS", 3)
    monkeypatch.setattr(search, "COUNT_CAP", 3)


def test_common_words_are_read_by_walking_the_rows_and_the_text_index_is_never_asked(world, make, small):
    for i in range(8):
        make(world.pekanbaru, name=f"Posyandu Balita {i}", summary="Posyandu balita.")
    make(world.siak, name="Bank Sampah", summary="Bank sampah warga.")
    result, plan = _plan(Innovation.objects.published(), "posyandu")
    assert result.total_is_capped and result.total == 4  # COUNT_CAP + 1: shown as "3+"
    walk, index = gated(plan, WALK), gated(plan, INDEX)
    assert runs(walk) and "innovation_search_vector" not in "\n".join(walk)
    assert not runs(index)


def test_rarer_words_are_listed_by_the_text_index_and_the_rows_never_walked(world, make, small):
    make(world.pekanbaru, name="Posyandu Balita", summary="Posyandu balita.")
    for i in range(12):
        make(world.siak, name=f"Bank Sampah {i}", summary="Bank sampah warga.")
    result, plan = _plan(Innovation.objects.published(), "posyandu")
    assert [row.name for row in result.rows] == ["Posyandu Balita"]
    walk, index = gated(plan, WALK), gated(plan, INDEX)
    assert not runs(walk) and runs(index)


def test_a_walk_that_finds_too_few_in_its_window_leaves_the_answer_to_the_text_index(
    world, make, small, monkeypatch
):
    monkeypatch.setattr(search, "DENSE_WINDOW", 2)  # every row matches, but only two are walked
    for i in range(9):
        make(world.pekanbaru, name=f"Posyandu Balita {i}", summary="Posyandu balita.")
    result, plan = _plan(Innovation.objects.published(), "posyandu")
    assert result.total_is_capped and result.total == 4  # all matches counted, not the two walked
    walk, index = gated(plan, WALK), gated(plan, INDEX)
    assert runs(walk) and runs(index)


@pytest.mark.parametrize(
    ("q", "filters"),
    [
        ("posyandu", {}),
        ("posyandu balita", {}),
        ("sampah -warga", {}),
        ("layanan", {"province": "riau"}),
        ("kesehatan ibu", {"sector": "health"}),
    ],
)
def test_a_walk_finds_what_the_text_index_finds(world, make, small, monkeypatch, q, filters):
    """The walk answers only searches with more matches than COUNT_CAP, so every case here has more
    than three: the two ways count the same and show as many records, each a real match. Which
    COUNT_CAP + 1 whole-record matches are candidates depends on the order each way reads (as it
    always did with the planner choosing)."""
    texts = [
        ("Posyandu Balita", "Posyandu balita dan layanan kesehatan ibu.", "health"),
        ("Layanan Sampah", "Bank sampah warga, layanan kebersihan.", "environment"),
        ("Kesehatan Ibu", "Layanan kesehatan ibu hamil di posyandu.", "health"),
        ("Sampah Pasar", "Sampah pasar dipilah pedagang.", "environment"),
    ]
    for i in range(16):
        name, summary, sector = texts[i % len(texts)]
        agency = world.pekanbaru if i % 3 else world.denpasar
        make(agency, name=f"{name} {i}", summary=summary, background=summary, sector=sector)
    queryset = Innovation.objects.published()
    if "province" in filters:
        queryset = queryset.filter(province__slug=filters["province"])
    if "sector" in filters:
        queryset = queryset.filter(sector=filters["sector"])
    matches = set(queryset.filter(search_vector=search.web_query(q)).values_list("pk", flat=True))
    assert len(matches) > search.COUNT_CAP

    monkeypatch.setattr(search, "DENSE_HITS", 0)  # the probe always finds the words common
    walked, plan = _plan(queryset, q)
    assert runs(gated(plan, r"(?:\.col1|\$\d+) >= 0\)$")) and not runs(gated(plan, INDEX))
    monkeypatch.setattr(search, "DENSE_HITS", 10**9)  # the probe never does
    with CaptureQueriesContext(connection) as captured:
        listed = search.run(queryset, q, correct=False, suggest=False)
    assert not runs(gated(explain(captured, "probe(hits)"), r"(?:\.col1|\$\d+) >= 1000000000\)$"))

    assert (walked.total, walked.total_is_capped) == (listed.total, listed.total_is_capped) == (4, True)
    assert len(walked.rows) == len(listed.rows) >= 4  # the whole-record candidates, and head matches
    assert {row.pk for row in walked.rows} <= matches and {row.pk for row in listed.rows} <= matches
