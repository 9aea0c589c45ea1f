"""The search columns stay in the row and the long texts go out of it (migration 0008): a search that
filters a thousand candidate rows reads each from its own heap page, with no TOAST lookup."""

import random

import pytest
from django.db import connection

from innovations.models import Innovation

pytestmark = pytest.mark.django_db

SECTIONS = ("background", "novelty", "implementation", "significance", "adaptability", "resources")


def _storage(column):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstorage FROM pg_attribute WHERE attrelid = 'innovations_innovation'::regclass "
            "AND attname = %s",
            [column],
        )
        return cursor.fetchone()[0]


def test_the_search_columns_are_kept_in_the_row_and_the_texts_may_leave_it():
    assert _storage("search_vector") == "m" and _storage("search_head") == "m"  # MAIN
    assert _storage("background") == "x" and _storage("summary") == "x"  # EXTENDED, as Django makes it


def _words(rng, n):
    # Varied words, as a real proposal has: they neither compress away nor repeat in the vector.
    return " ".join(
        "".join(rng.choice("abcdefghijklmnoprstu") for _ in range(rng.randint(4, 9))) for _ in range(n)
    )


def test_a_long_proposal_keeps_its_search_vector_inline_and_its_texts_out_of_line(world, make):
    if connection.pg_version < 170000:
        pytest.skip("pg_column_toast_chunk_id() is PostgreSQL 17+ (the embedded server is 18)")
    rng = random.Random(15)
    innovation = make(
        world.pekanbaru,
        name="Layanan Kependudukan Keliling",
        summary=_words(rng, 60),
        **{section: _words(rng, 60) for section in SECTIONS},
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_column_size(search_vector), pg_column_toast_chunk_id(search_vector),"
            " pg_column_toast_chunk_id(search_head), num_nonnulls(pg_column_toast_chunk_id(background),"
            " pg_column_toast_chunk_id(novelty), pg_column_toast_chunk_id(implementation),"
            " pg_column_toast_chunk_id(significance), pg_column_toast_chunk_id(adaptability),"
            " pg_column_toast_chunk_id(resources)) FROM innovations_innovation WHERE id = %s",
            [innovation.pk],
        )
        vector_size, vector_chunk, head_chunk, sections_out = cursor.fetchone()
    assert vector_size > 2000  # a vector that EXTENDED storage would have moved out of the row
    assert vector_chunk is None and head_chunk is None
    assert sections_out >= 1  # the texts made room for it
    # Still found, and its page still shows the texts.
    assert Innovation.objects.search("kependudukan keliling").filter(pk=innovation.pk).exists()
    assert Innovation.objects.get(pk=innovation.pk).background.startswith(innovation.background[:40])
