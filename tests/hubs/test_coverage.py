"""'One Agency, One Innovation' coverage against the hand-computed world in conftest.py."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from hubs import statistics
from tests.hubs.tables import csv_rows, html_table


def test_coverage_per_province_counts_only_agencies_with_a_published_innovation(coverage_world):
    w = coverage_world
    figures = statistics.national_figures()["coverage_by_province"]
    assert figures[w.riau.pk] == {"agencies": 4, "covered": 2, "share": 50.0}
    assert figures[w.bali.pk] == {"agencies": 1, "covered": 1, "share": 100.0}


def test_coverage_per_regency_and_for_province_level_agencies(coverage_world):
    w = coverage_world
    by_regency = statistics.national_figures()["coverage_by_regency"][w.riau.pk]
    assert by_regency[w.pekanbaru_city.pk] == {"agencies": 2, "covered": 1, "share": 50.0}
    assert by_regency[w.siak_regency.pk] == {"agencies": 1, "covered": 0, "share": 0.0}
    assert by_regency[None] == {"agencies": 1, "covered": 1, "share": 100.0}


def test_drafts_submitted_returned_and_archived_records_do_not_count(coverage_world, client):
    w = coverage_world
    response = client.get(reverse("coverage_province", kwargs={"slug": "riau"}))
    uncovered = [row[0] for row in html_table(response.content, "without_innovation")[1:]]
    assert uncovered == ["DPMPTSP Kabupaten Siak", "Dinas Kesehatan Kota Pekanbaru"]
    assert "Bapenda Provinsi Riau" not in uncovered  # one published, one archived: covered

    # Once its draft is published, Dinas Kesehatan counts (after the short cache expires).
    item = w.items.dinkes_draft
    item.status, item.published_at = "published", item.created_at
    item.save()
    cache.clear()
    assert statistics.national_figures()["coverage_by_province"][w.riau.pk]["covered"] == 3
    response = client.get(reverse("coverage_province", kwargs={"slug": "riau"}))
    assert [row[0] for row in html_table(response.content, "without_innovation")[1:]] == [
        "DPMPTSP Kabupaten Siak"
    ]


def test_national_table_ranks_provinces_by_coverage(coverage_world, client):
    response = client.get(reverse("coverage"))
    assert response.status_code == 200
    rows = html_table(response.content, "coverage")
    assert rows[1] == ["1", "Bali", "1", "1", "100.0", "0"]
    assert rows[2] == ["2", "Riau", "4", "2", "50.0", "2"]


def test_province_table_ranks_regencies_and_lists_province_level_agencies_last(coverage_world, client):
    response = client.get(reverse("coverage_province", kwargs={"slug": "riau"}))
    rows = html_table(response.content, "regencies")
    assert rows[1:] == [
        ["1", "Kota Pekanbaru", "2", "1", "50.0", "1"],
        ["2", "Kabupaten Siak", "1", "0", "0.0", "1"],
        ["3", "Province and central agencies", "1", "1", "100.0", "0"],
    ]
    assert response.context["coverage"] == {"agencies": 4, "covered": 2, "share": "50.0"}


def test_regency_page_lists_its_agencies_without_a_published_innovation(coverage_world, client):
    w = coverage_world
    url = reverse("coverage_regency", kwargs={"province_slug": "riau", "slug": w.pekanbaru_city.slug})
    response = client.get(url)
    rows = html_table(response.content, "without_innovation")
    assert [row[0] for row in rows[1:]] == ["Dinas Kesehatan Kota Pekanbaru"]
    assert response.context["coverage"]["share"] == "50.0"


@pytest.mark.parametrize(
    ("name", "kwargs", "table"),
    [
        ("coverage", {}, "coverage"),
        ("coverage_province", {"slug": "riau"}, "regencies"),
        ("coverage_province", {"slug": "riau"}, "without_innovation"),
    ],
)
def test_coverage_csv_equals_the_table(coverage_world, client, name, kwargs, table):
    url = reverse(name, kwargs=kwargs)
    page = client.get(url)
    download = client.get(url, {"csv": table})
    assert download["Content-Type"].startswith("text/csv")
    assert csv_rows(download) == html_table(page.content, table)


def test_coverage_pages_run_a_constant_number_of_queries(
    coverage_world, client, django_assert_max_num_queries
):
    client.get(reverse("coverage"))  # warm the cache
    with django_assert_max_num_queries(2):
        client.get(reverse("coverage"))
    with django_assert_max_num_queries(4):
        client.get(reverse("coverage_province", kwargs={"slug": "riau"}))
