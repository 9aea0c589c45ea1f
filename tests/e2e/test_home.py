def test_home_language_switch_and_province_link(page, e2e_world):
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.get_by_role("heading", level=1).inner_text().startswith("Inovasi pelayanan publik")

    page.get_by_label("Bahasa").select_option("en")
    page.get_by_role("button", name="Ganti").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text().startswith("Public-service innovations")

    page.get_by_role("link", name="Province of Riau").click()
    page.wait_for_url("**/provinsi/riau/")
    assert page.get_by_role("heading", level=1).inner_text() == "Riau"
    assert page.get_by_text("Kota Pekanbaru").first.is_visible()
    # The choice sticks across pages.
    assert page.locator("html").get_attribute("lang") == "en"
