"""The statistics page renders the map and the charts. (The hub officer's editing of the hub page is
walked by tests/e2e/test_journeys.py::test_journey_hub_officer.)"""

from django.core.cache import cache

from tests.hubs.conftest import make_innovation


def test_statistics_page_renders_the_map_and_the_charts(page, e2e_world):
    w = e2e_world
    make_innovation(w.pekanbaru, sector="health")
    make_innovation(w.denpasar, sector="population")
    cache.clear()

    page.goto("/statistik/")
    tile_map = page.locator("svg.tile-map")
    assert tile_map.is_visible()
    assert tile_map.get_attribute("role") == "img"
    assert tile_map.locator("g.tile").count() == 2  # the test world has two provinces
    assert tile_map.locator("a").count() == 0  # no links inside role=img (the table links each province)
    assert tile_map.bounding_box()["width"] > 300
    charts = page.locator("svg.bar-chart")
    assert charts.count() >= 6
    assert charts.first.is_visible()
    assert page.locator("svg.bar-chart rect.chart-bar").count() > 5
    # Every chart is labelled by its own title and description.
    for index in range(charts.count()):
        labelled_by = charts.nth(index).get_attribute("aria-labelledby").split()
        assert all(page.locator(f"[id='{ident}']").count() == 1 for ident in labelled_by)

    # Choosing another figure for the map works without JavaScript: a plain GET form.
    page.locator("select[name=peta]").select_option("coverage")
    page.locator("form.inline-form button[type=submit]").click()
    page.wait_for_url("**/statistik/?peta=coverage")
    assert "Riau: 50,0" in page.locator("svg.tile-map").inner_html()  # Indonesian number format
