"""Public statistics: figures, medians, map and charts with text alternatives, CSV equal to tables."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from hubs import statistics
from replication.models import ReplicationRequest
from tests.hubs.conftest import make_innovation
from tests.hubs.tables import csv_rows, html_table


def make_request(
    world, source, agency, *, hub, status="interest", decided_after=None, implemented_after=None
):
    """A request created 200 days ago, decided and implemented the given number of days later."""
    created = timezone.now() - datetime.timedelta(days=200)
    dates = {"created_at": created, "last_activity_at": created}
    if decided_after is not None:
        dates["decided_at"] = created + datetime.timedelta(days=decided_after)
        if implemented_after is not None:
            dates["implemented_at"] = dates["decided_at"] + datetime.timedelta(days=implemented_after)
    return ReplicationRequest.objects.create(
        source=source,
        requesting_agency=agency,
        hub=hub,
        requested_by=world.staff_siak,
        observed="o",
        adopted="a",
        modified="m",
        local_need="n",
        contact_name="c",
        contact_email="c@example.id",
        status=status,
        **dates,
    )


@pytest.fixture
def replication_world(coverage_world):
    w = coverage_world
    source = w.items.denpasar_1
    other_source = w.items.denpasar_2
    # Riau: decisions after 2, 4 and 10 days; one undecided. Bali: one decision after 6 days.
    make_request(w, source, w.siak, hub=w.hub_riau, status="rejected", decided_after=2)
    make_request(
        w, source, w.pekanbaru, hub=w.hub_riau, status="implemented", decided_after=4, implemented_after=30
    )
    make_request(
        w, source, w.dinkes, hub=w.hub_riau, status="evaluated", decided_after=10, implemented_after=50
    )
    make_request(w, other_source, w.siak, hub=w.hub_riau)
    make_request(
        w, w.items.pekanbaru_published, w.denpasar, hub=w.hub_bali, status="approved", decided_after=6
    )
    type(source).objects.filter(pk=source.pk).update(replication_count=2)
    return w


def test_innovation_figures_count_published_records_by_province_sector_stage_type_and_year(coverage_world):
    w = coverage_world
    figures = statistics.national_figures()
    assert figures["by_province"] == {w.riau.pk: {"innovations": 2}, w.bali.pk: {"innovations": 2}}
    assert figures["by_sector"] == {"population": 2, "finance": 1, "health": 1}
    assert figures["by_stage"] == {"implemented": 2, "trial": 1, "initiative": 1}
    assert figures["by_kind"] == {"digital": 3, "non_digital": 1}
    assert figures["by_year"] == {2021: 1, 2023: 2, 2024: 1}


def test_medians_from_request_to_decision_and_from_approval_to_implementation(replication_world):
    w = replication_world
    figures = statistics.national_figures()
    # Decisions after 2, 4, 10 (Riau) and 6 (Bali) days: median 5; implementation after 30 and 50: 40.
    assert figures["replications"]["decision_days"] == pytest.approx(5.0)
    assert figures["replications"]["implementation_days"] == pytest.approx(40.0)
    assert figures["replications"]["requests"] == 5
    assert figures["replications"]["implemented"] == 2
    riau = figures["replications_by_hub"][w.hub_riau.pk]
    assert riau["decision_days"] == pytest.approx(4.0)
    assert riau["requests"] == 4
    assert figures["replications_by_status"] == {
        "rejected": 1,
        "implemented": 1,
        "evaluated": 1,
        "interest": 1,
        "approved": 1,
    }
    assert figures["replications_by_province"] == {w.riau.pk: 4, w.bali.pk: 1}


def test_statistics_page_shows_the_figures_in_tables(replication_world, client):
    response = client.get(reverse("statistics"))
    assert response.status_code == 200
    durations = html_table(response.content, "durations")
    # Whole days (one decimal only under ten days when not whole), never "5.0" (issue 10, #14).
    assert durations[1:] == [["From request to decision", "5"], ["From approval to implementation", "40"]]
    provinces = html_table(response.content, "provinces")
    assert provinces[1] == ["14", "Riau", "2", "4", "2", "50.0", "4", "Hub JIPP Riau"]
    stages = dict(html_table(response.content, "stages")[1:])
    assert stages == {"Initiative": "1", "Trial": "1", "Implemented": "2"}
    hubs = {row[0]: row for row in html_table(response.content, "hubs")[1:]}
    assert hubs["Hub JIPP Riau"][5:9] == ["4", "2", "4", "40"]
    assert hubs["Hub JIPP Bali"][7] == "6"


def test_most_replicated_innovations_are_ranked_by_replication_count(coverage_world, client):
    w = coverage_world
    type(w.items.denpasar_1).objects.filter(pk=w.items.denpasar_1.pk).update(replication_count=3)
    type(w.items.bapenda_published).objects.filter(pk=w.items.bapenda_published.pk).update(
        replication_count=5
    )
    type(w.items.siak_draft).objects.filter(pk=w.items.siak_draft.pk).update(replication_count=9)  # a draft
    rows = html_table(client.get(reverse("statistics")).content, "most_replicated")
    assert [row[0] for row in rows[1:]] == [str(w.items.bapenda_published), str(w.items.denpasar_1)]
    assert [row[2] for row in rows[1:]] == ["5", "3"]


def test_map_and_charts_are_svg_with_text_alternatives(replication_world, client):
    content = client.get(reverse("statistics")).content.decode()
    svgs = re.findall(
        r"<svg class=\"(bar-chart|tile-map)\" role=\"img\" aria-labelledby=\"([^\"]+)\"", content
    )
    kinds = [kind for kind, _ids in svgs]
    assert kinds.count("tile-map") == 1
    assert kinds.count("bar-chart") >= 6
    for _kind, ids in svgs:
        title_id, desc_id = ids.split()
        assert re.search(rf'<title id="{title_id}">[^<]+</title>', content)
        assert re.search(rf'<desc id="{desc_id}">[^<]+</desc>', content)
    # The map's text alternative names each province with its figure; so does each tile.
    assert re.search(r'<desc id="map-desc">[^<]*Riau: 2[^<]*</desc>', content)
    assert "<title>Bali: 2</title>" in content
    # The sector chart reads the same as its table.
    assert re.search(r'<desc id="chart-sectors-desc">Population and civil registration: 2;', content)


def test_map_is_shaded_by_the_chosen_figure_and_ignores_garbage(replication_world, client):
    coverage = client.get(reverse("statistics"), {"peta": "coverage"}).content.decode()
    assert "<title>Riau: 50.0</title>" in coverage
    assert "<title>Bali: 100.0</title>" in coverage
    garbage = client.get(reverse("statistics"), {"peta": "<script>"})
    assert garbage.status_code == 200
    assert "<title>Riau: 2</title>" in garbage.content.decode()


def test_every_tile_of_the_38_provinces_has_a_place_of_its_own():
    from jipp.management.commands.load_regions import official_regions

    codes = {code for code, _name, _regencies in official_regions()}
    assert set(statistics.TILES) == codes
    positions = [(col, row) for col, row, _short in statistics.TILES.values()]
    assert len(set(positions)) == 38


def test_svg_numbers_are_not_localised_in_indonesian(replication_world, client):
    client.cookies["django_language"] = "id"
    content = client.get(reverse("statistics"), HTTP_ACCEPT_LANGUAGE="id").content.decode()
    widths = re.findall(r'<rect x="\d+" y="\d+" width="([^"]+)"', content)
    assert widths
    assert all("," not in width for width in widths)


STATISTICS_TABLES = [
    "provinces",
    "sectors",
    "stages",
    "types",
    "years",
    "replication_stages",
    "durations",
    "most_replicated",
    "hubs",
]


@pytest.mark.parametrize("table", STATISTICS_TABLES)
def test_statistics_csv_equals_the_table(replication_world, client, table):
    url = reverse("statistics")
    page = client.get(url)
    download = client.get(url, {"csv": table})
    assert download.status_code == 200
    assert download["Content-Disposition"] == f'attachment; filename="jipp-statistik-{table}.csv"'
    assert csv_rows(download) == html_table(page.content, table)


def test_statistics_page_query_count_does_not_grow_with_data(
    coverage_world, client, django_assert_num_queries
):
    w = coverage_world
    cache.clear()
    with django_assert_num_queries(9) as cold:
        client.get(reverse("statistics"))
    for _ in range(5):
        make_innovation(w.denpasar)
    cache.clear()
    with django_assert_num_queries(len(cold.captured_queries)):
        client.get(reverse("statistics"))
    with django_assert_num_queries(0):  # cached
        client.get(reverse("statistics"))


def _direct_counts():
    from django.db.models import Count

    from innovations.models import Innovation

    counts = {}
    for dimension, field in [
        ("province", "province_id"),
        ("sector", "sector"),
        ("stage", "stage"),
        ("kind", "kind"),
        ("year", "started_on__year"),
    ]:
        for value, n in Innovation.objects.published().values_list(field).annotate(n=Count("id")):
            counts[(dimension, str(value))] = n
    # The status cells count every record, published or not.
    for value, n in Innovation.objects.values_list("status").annotate(n=Count("id")):
        counts[("status", value)] = n
    return counts


def _tally():
    from innovations.models import InnovationTally

    return {(t.dimension, t.key): t.count for t in InnovationTally.objects.filter(count__gt=0)}


def test_the_tally_follows_every_publication_change_edit_and_deletion(coverage_world):
    from innovations.models import Innovation

    w = coverage_world
    assert _tally() == _direct_counts()
    draft = w.items.dinkes_draft
    draft.status, draft.published_at = "published", timezone.now()
    draft.save()  # published: counts
    w.items.bapenda_published.sector = "health"
    w.items.bapenda_published.save()  # moves cell
    Innovation.objects.filter(pk=w.items.denpasar_1.pk).update(status="archived")  # archived: gone
    Innovation.objects.filter(pk=w.items.denpasar_2.pk).update(started_on=datetime.date(2019, 1, 1))
    Innovation.objects.filter(pk=w.items.pekanbaru_published.pk).update(summary="Only text changed.")
    w.items.bapenda_archived.delete()
    make_innovation(w.siak, stage="trial")
    assert _tally() == _direct_counts()
    figures = statistics._innovation_rollup()
    assert figures["by_year"] == {2019: 1, 2021: 1, 2022: 2, 2023: 1}
