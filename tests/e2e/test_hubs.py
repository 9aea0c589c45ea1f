"""A hub officer adds an event and a partner university; the public hub page shows them; the statistics
page renders the map and the charts.

The officer signs in through the real sign-in page.
"""

from django.core.cache import cache

from tests.e2e.conftest import sign_in_with_form
from tests.hubs.conftest import make_innovation


def test_officer_adds_an_event_and_a_partner_university_shown_on_the_hub_page(page, live_server, e2e_world):
    w = e2e_world
    cache.clear()
    sign_in_with_form(page, w.officer_riau.username)

    page.goto("/hub/riau/kelola/")
    page.locator("a[href='/hub/riau/kelola/acara/']").click()
    page.wait_for_url("**/hub/riau/kelola/acara/")
    page.locator("select[name=kind]").select_option("exchange")
    page.locator("input[name=title]").fill("Temu berbagi pengetahuan Siak–Pekanbaru")
    page.locator("input[name=held_on]").fill("2026-03-05")
    page.locator("input[name=place]").fill("Balai Kota Pekanbaru")
    page.locator("textarea[name=summary]").fill("Siak berbagi pengalaman layanan perizinan daring.")
    page.locator("form.stacked-form button[type=submit]").click()
    page.wait_for_url("**/hub/riau/kelola/")

    page.locator("a[href='/hub/riau/kelola/universitas/']").click()
    page.wait_for_url("**/hub/riau/kelola/universitas/")
    page.locator("input[name=name]").fill("Universitas Islam Riau")
    page.locator("input[name=website]").fill("https://uir.ac.id/")
    page.locator("form.stacked-form button[type=submit]").click()
    page.wait_for_url("**/hub/riau/kelola/")

    # Anyone (a fresh context, not signed in) sees them on the public page.
    public = page.context.browser.new_page(base_url=live_server.url)
    public.goto("/hub/riau/")
    events = public.locator("section[aria-labelledby=events-title]")
    assert "Temu berbagi pengetahuan Siak–Pekanbaru" in events.inner_text()
    assert "Balai Kota Pekanbaru" in events.inner_text()
    partners = public.locator("section[aria-labelledby=universities-title]")
    assert "Universitas Islam Riau" in partners.inner_text()
    assert "Universitas Riau" in partners.inner_text()
    public.close()


def test_statistics_page_renders_the_map_and_the_charts(page, e2e_world):
    w = e2e_world
    make_innovation(w.pekanbaru, sector="health")
    make_innovation(w.denpasar, sector="population")
    cache.clear()

    page.goto("/statistik/")
    tile_map = page.locator("svg.tile-map")
    assert tile_map.is_visible()
    assert tile_map.get_attribute("role") == "img"
    assert tile_map.locator("a.tile").count() == 2  # the test world has two provinces
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
    assert "Riau: 50.0" in page.locator("svg.tile-map").inner_html()
