"""No page reads the whole innovations table: every query a page runs can be answered from an index.

The pages are opened by each role with a few records; every query they sent that touches the
innovations table is planned again with sequential scans disabled (which only makes the planner use
an index where one can serve the query). A plan that still reads the table from start to end means no
index can answer that query, and at a million records it would take seconds on every visit.
"""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from innovations.models import Innovation

pytestmark = pytest.mark.django_db

TABLE = Innovation._meta.db_table
_SETTINGS = re.compile(r"^(\s*SET LOCAL [^;]+;\s*)+", re.IGNORECASE)


def _whole_table_reads(queries):
    """The queries (SQL text) whose plan reads the innovations table sequentially."""
    found = []
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        try:
            for query in queries:
                sql = _SETTINGS.sub("", query["sql"])
                if f'"{TABLE}"' not in sql or not sql.lstrip().upper().startswith("SELECT"):
                    continue
                cursor.execute("EXPLAIN " + sql)
                plan = "\n".join(row[0] for row in cursor.fetchall())
                if re.search(rf"Seq Scan on {TABLE}\b", plan):
                    found.append(f"{sql[:300]}\n{plan}")
        finally:
            cursor.execute("RESET enable_seqscan")
    return found


@pytest.fixture
def records(world, make):
    long_ago = timezone.now() - timedelta(days=800)
    for i in range(6):
        agency = (world.pekanbaru, world.siak, world.denpasar)[i % 3]
        make(agency, name=f"Layanan Kesehatan {i}", is_featured=i == 0)
        make(agency, status="submitted", submitted_at=timezone.now())
        Innovation.objects.filter(pk=make(agency).pk).update(published_at=long_ago)
    return world


SIGNED_IN_PAGES = [
    ("staff_pekanbaru", "innovations:workspace", {}),
    ("officer_riau", "innovations:workspace", {}),
    ("ministry", "innovations:workspace", {}),
    ("admin", "innovations:workspace", {}),
    ("officer_riau", "monitoring", {}),
    ("ministry", "monitoring", {}),
    ("officer_riau", "monitoring_hub", {"slug": "riau"}),
    ("officer_riau", "monitoring_report", {"slug": "riau", "year": 2026, "month": 11}),
]


@pytest.mark.parametrize(("role", "name", "kwargs"), SIGNED_IN_PAGES)
def test_signed_in_pages_never_read_the_whole_innovations_table(client, records, role, name, kwargs):
    client.force_login(getattr(records, role))
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 200
    assert any(f'"{TABLE}"' in q["sql"] for q in captured.captured_queries)
    assert _whole_table_reads(captured.captured_queries) == []


PUBLIC_PAGES = [
    ("home", {}),
    ("innovations:list", {}),
    ("innovations:list", {"q": "kesehatan"}),
    ("innovations:list", {"q": "kesehatan", "province": "riau"}),
    ("innovations:list", {"q": "kesehatan", "sort": "newest"}),
    ("statistics", {}),
]


@pytest.mark.parametrize(("name", "params"), PUBLIC_PAGES)
def test_public_pages_never_read_the_whole_innovations_table(client, records, name, params):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse(name), params).status_code == 200
    assert captured.captured_queries
    assert _whole_table_reads(captured.captured_queries) == []
