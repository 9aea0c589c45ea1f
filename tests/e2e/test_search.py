from tests.innovations.conftest import make_innovation


def test_search_from_home_apply_two_facets_and_open_a_result(page, e2e_world):
    w = e2e_world
    make_innovation(w.pekanbaru, name="Posyandu Digital Pekanbaru", sector="health", stage="implemented")
    make_innovation(w.siak, name="Posyandu Keliling Siak", sector="health", stage="trial")
    make_innovation(w.denpasar, name="Posyandu Ramah Denpasar", sector="health", stage="implemented")
    make_innovation(
        w.pekanbaru, name="Izin Usaha Pekanbaru", sector="licensing", stage="initiative", summary="Posyandu."
    )

    page.goto("/")
    page.locator("#home-q").fill("posyandu")
    page.locator("#home-q").press("Enter")
    page.wait_for_url("**/inovasi/?q=posyandu")
    assert page.locator(".result-list > li").count() == 4

    # Two facets: province Riau and stage "implemented" (details opened to reach the checkboxes).
    for facet, value in (("province", "riau"), ("stage", "implemented")):
        box = page.locator(f"#f-{facet}-{value}")
        box.locator("xpath=ancestor::details").evaluate("el => el.open = true")
        box.check()
    page.locator(".facets button[type=submit]").click()
    page.wait_for_url("**/inovasi/?*province=riau*")
    cards = page.locator(".result-list > li h3 a")
    assert cards.all_inner_texts() == ["Posyandu Digital Pekanbaru"]

    cards.first.click()
    page.wait_for_url("**/inovasi/inovasi-contoh-*/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Posyandu Digital Pekanbaru")
