"""Statistics as the reader sees them (issue 10 review): figures in the active language's number format
everywhere in HTML, machine-readable CSV of the same value, and charts drawn at one phone-sized width."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from hubs import statistics
from tests.hubs.tables import csv_rows, html_table

INDONESIAN_NUMBER = re.compile(r"-?\d{1,3}(\.\d{3})*(,\d+)?|-?\d+(,\d+)?")
CSV_NUMBER = re.compile(r"-?\d+(\.\d+)?")

PAGES = [
    ("statistics", {}, ["provinces", "sectors", "stages", "types", "years", "replication_stages", "hubs"]),
    ("coverage", {}, ["coverage"]),
    ("coverage_province", {"slug": "riau"}, ["regencies", "without_innovation"]),
]


def _indonesian(client):
    client.cookies["django_language"] = "id"
    return {"HTTP_ACCEPT_LANGUAGE": "id"}


def _value(cell, number):
    """A cell as a value: numbers as floats (read with the page's or the CSV's format), text as text."""
    if number is INDONESIAN_NUMBER and number.fullmatch(cell):
        return float(cell.replace(".", "").replace(",", "."))
    if number is CSV_NUMBER and number.fullmatch(cell):
        return float(cell)
    return cell


@pytest.mark.parametrize(("name", "kwargs", "tables"), PAGES)
def test_indonesian_pages_show_indonesian_numbers_and_csv_the_same_values_machine_readable(
    coverage_world, client, name, kwargs, tables
):
    headers = _indonesian(client)
    url = reverse(name, kwargs=kwargs)
    page = client.get(url, **headers)
    assert page.status_code == 200
    for table in tables:
        shown = html_table(page.content, table)
        download = csv_rows(client.get(url, {"csv": table}, **headers))
        assert len(download) == len(shown)
        for shown_row, csv_row in zip(shown[1:], download[1:], strict=True):
            assert [_value(c, INDONESIAN_NUMBER) for c in shown_row] == [
                _value(c, CSV_NUMBER) for c in csv_row
            ], table
        assert not any(
            "," in cell for row in download for cell in row if CSV_NUMBER.fullmatch(cell.replace(",", ""))
        )


def test_percentages_read_the_same_on_statistics_coverage_and_hub_pages(coverage_world, client):
    headers = _indonesian(client)
    provinces = html_table(client.get(reverse("statistics"), **headers).content, "provinces")
    riau = next(row for row in provinces if row[1] == "Riau")
    bali = next(row for row in provinces if row[1] == "Bali")
    assert riau[5] == "50,0" and bali[5] == "100,0"
    hubs = html_table(client.get(reverse("statistics"), **headers).content, "hubs")
    assert "100,0" in hubs[1] + hubs[2] and "50,0" in hubs[1] + hubs[2]
    coverage = client.get(reverse("coverage"), **headers).content.decode()
    assert "<title>" in coverage and ">100.0<" not in coverage
    assert "<dd>60,0</dd>" in coverage  # 3 of 5 agencies: the national figure
    province = client.get(reverse("coverage_province", kwargs={"slug": "riau"}), **headers).content.decode()
    assert "<dd>50,0</dd>" in province and ">50.0<" not in province
    hub = client.get(reverse("hub_detail", kwargs={"slug": "riau"}), **headers).content.decode()
    assert "<dd>50,0</dd>" in hub
    # The map's tiles and the charts' figures too (the SVG geometry stays plain numbers).
    shaded = client.get(reverse("statistics"), {"peta": "coverage"}, **headers).content.decode()
    assert "<title>Bali: 100,0</title>" in shaded and "<title>Riau: 50,0</title>" in shaded


def test_english_pages_show_english_numbers(coverage_world, client):
    provinces = html_table(client.get(reverse("statistics")).content, "provinces")
    assert next(row for row in provinces if row[1] == "Bali")[5] == "100.0"


def test_csv_keeps_the_full_stop_and_one_decimal_in_indonesian(coverage_world, client):
    headers = _indonesian(client)
    rows = csv_rows(client.get(reverse("statistics"), {"csv": "provinces"}, **headers))
    assert next(row for row in rows if row[1] == "Bali")[5] == "100.0"
    rows = csv_rows(client.get(reverse("coverage"), {"csv": "coverage"}, **headers))
    assert rows[1][4] == "100.0"


def test_thousands_are_grouped_in_both_languages_not_years_nor_csv(coverage_world, client, settings):
    # Grouped whatever USE_THOUSAND_SEPARATOR says (left off: it would group ids in URLs too); at a
    # million records "72925" is hard to read.
    assert settings.USE_THOUSAND_SEPARATOR is False
    with translation.override("id"):
        assert statistics.figure_text(1234567) == "1.234.567"
        assert statistics.figure_text(12345.25) == "12.345,2"
        assert statistics.figure_text(2.5) == "2,5"
        assert statistics.figure_text(None) == statistics.DASH
        assert statistics.cell_text(1234567) == "1234567"
        assert statistics.cell_text(2.5) == "2.5"
    with translation.override("en"):
        assert statistics.figure_text(1234567) == "1,234,567"
        assert statistics.figure_text(12345.25) == "12,345.2"
    headers = _indonesian(client)
    years = html_table(client.get(reverse("statistics"), **headers).content, "years")
    assert years[1:] and all(re.fullmatch(r"\d{4}", row[0]) for row in years[1:])  # not "2.022"
    hubs = html_table(client.get(reverse("statistics"), **headers).content, "hubs")
    assert all(re.fullmatch(r"\d{4}", row[2]) for row in hubs[1:])


def _bar_charts(content):
    return re.findall(r"<svg class=\"bar-chart\"[^>]*>", content)


@pytest.mark.parametrize(
    ("name", "kwargs"), [("statistics", {}), ("coverage", {}), ("coverage_province", {"slug": "riau"})]
)
def test_every_chart_has_one_phone_sized_width_and_is_never_scaled_up(coverage_world, client, name, kwargs):
    content = client.get(reverse(name, kwargs=kwargs)).content.decode()
    charts = _bar_charts(content)
    assert charts
    for svg in charts:
        width = re.search(r' width="(\d+)"', svg).group(1)
        height = re.search(r' height="(\d+)"', svg).group(1)
        # Drawn in CSS pixels at its own size: 12 px labels stay 12 px on a 360 px phone (320 px fit
        # inside its 328 px column), and the hub chart is no bigger than the others.
        assert width == str(statistics.CHART_WIDTH) == "320"
        assert f'viewBox="0 0 {width} {height}"' in svg
        assert 'font-size="12"' in svg
    # Labels sit above their bars, from the left edge, so no label is squeezed beside a bar.
    assert re.search(r'<text x="0" y="\d+" class="chart-label">', content)
    assert re.search(
        r'<rect x="0" y="\d+" width="[\d.]+" height="14" fill="#0b5d4b" class="chart-bar">', content
    )


def test_chart_css_never_stretches_a_chart_to_its_column():
    css = statistics.__file__.rsplit("/hubs/", 1)[0] + "/static/css/site.css"
    with open(css) as handle:
        text = handle.read()
    rules = [rule for rule in re.findall(r"([^{}]+)\{([^}]*)\}", text) if "bar-chart" in rule[0]]
    assert rules
    for _selector, body in rules:
        assert re.search(r"(^|;)\s*width\s*:", body) is None  # only max-width: it may shrink, never grow


def test_hub_chart_is_the_same_size_as_the_others_and_the_hub_table_is_dense(coverage_world, client):
    content = client.get(reverse("statistics")).content.decode()
    hub_chart = re.search(
        r'<svg class="bar-chart" role="img" aria-labelledby="chart-hubs-title[^>]*>', content
    )
    sector_chart = re.search(
        r'<svg class="bar-chart" role="img" aria-labelledby="chart-sectors-title[^>]*>', content
    )
    assert re.search(r' width="(\d+)"', hub_chart.group(0)).group(1) == re.search(
        r' width="(\d+)"', sector_chart.group(0)
    ).group(1)
    # The eleven-column hub table uses the smaller table type, so at 1280 px its last column shows
    # (tests/e2e/test_journeys.py measures it); it scrolls inside its labelled region on a phone.
    assert '<table class="data-table dense" id="table-hubs">' in content
    assert re.search(
        r'<div class="table-wrap" role="region" aria-labelledby="table-hubs-caption" tabindex="0">\s*'
        r'<table class="data-table dense" id="table-hubs">',
        content,
    )
