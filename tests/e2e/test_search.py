import pytest

from tests.innovations.conftest import make_innovation


def _phone_or_desktop(browser, live_server, width):
    context = browser.new_context(
        base_url=live_server.url, locale="id-ID", viewport={"width": width, "height": 800}
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    return context, page


def _no_horizontal_overflow(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("width", [360, 1280])
def test_results_come_first_on_a_phone_and_beside_the_filters_on_a_desktop(
    browser, live_server, e2e_world, width
):
    w = e2e_world
    for i in range(12):
        make_innovation(
            w.pekanbaru,
            name=f"Posyandu Keliling Kelurahan Sukajadi Nomor {i} Dengan Nama Yang Panjang Sekali",
            acronym="SIPOSYANDUKELILINGTERPADUBERSAMA",
            sector="health",
        )
    context, page = _phone_or_desktop(browser, live_server, width)
    try:
        page.goto("/inovasi/?q=posyandu&sector=health&province=riau")
        first_result = page.locator(".result-list > li").first.bounding_box()
        facets = page.locator("aside.facets").bounding_box()
        chips = page.locator(".active-filters .chip")
        assert chips.count() == 3  # words, sector, province: beside the results
        if width == 360:
            assert first_result["y"] < 800, "the first result is on the first screen"
            assert facets["y"] > first_result["y"]
        else:
            assert facets["x"] < first_result["x"] and abs(facets["y"] - first_result["y"]) < 200
        assert _no_horizontal_overflow(page)

        # Remove one filter from the summary: the others and the words stay.
        page.locator(".active-filters .chip", has_text="Riau").click()
        page.wait_for_url("**/inovasi/?q=posyandu&sector=health")
        assert page.locator(".active-filters .chip").count() == 2

        # The filters stay usable below the results, without JavaScript.
        box = page.locator("#f-stage-implemented")
        box.locator("xpath=ancestor::details").locator("summary").click()
        box.check()
        page.locator(".facets button[type=submit]").click()
        page.wait_for_url("**stage=implemented*")
        assert "q=posyandu" in page.url

        page.goto(page.locator(".result-list > li h3 a").first.get_attribute("href"))
        assert _no_horizontal_overflow(page)
    finally:
        context.close()


def test_new_words_typed_after_sorting_newest_are_sorted_by_relevance(page, e2e_world):
    w = e2e_world
    make_innovation(w.pekanbaru, name="Izin Usaha Cepat", sector="licensing")
    make_innovation(w.siak, name="Posyandu Digital", sector="health")
    page.goto("/inovasi/?q=izin")
    page.locator("#sort").select_option("newest")
    page.locator(".result-bar button[type=submit]").click()
    page.wait_for_url("**/inovasi/?q=izin&sort=newest")

    page.locator("#search-q").fill("posyandu")
    page.locator("#search-q").press("Enter")
    page.wait_for_url("**/inovasi/?q=posyandu")
    assert page.locator("#sort").input_value() == "relevance"
    assert page.locator(".result-list > li h3 a").all_inner_texts() == ["Posyandu Digital"]


def test_a_typo_is_corrected_with_a_link_to_the_exact_words(page, e2e_world):
    make_innovation(e2e_world.pekanbaru, name="Layanan Kesehatan Ibu", summary="Kesehatan ibu dan anak.")
    page.goto("/inovasi/?q=kesehtan")
    assert page.locator(".result-list > li").count() == 1
    page.locator("a.search-exact").click()
    page.wait_for_url("**/inovasi/?q=kesehtan&exact=1")
    assert page.locator(".result-list > li").count() == 0
    page.locator(".did-you-mean a").click()
    page.wait_for_url("**/inovasi/?q=kesehatan")
    assert page.locator(".result-list > li").count() == 1


def test_journey_phrase_search(journey, e2e_world):
    """A visitor puts words in quotes to find them side by side: only those records come back (the
    pair index answers), and without the quotes every record with both words does."""
    w = e2e_world
    make_innovation(w.pekanbaru, name="Bank Sampah Sekolah", summary="Siswa menabung di bank sampah sekolah.")
    make_innovation(w.siak, name="Bank Sampah Desa", summary="Warga desa menjual sampah ke bank sampah.")
    make_innovation(
        w.denpasar, name="Sampah Jadi Pupuk", summary="Bank desa membeli pupuk dari sampah warga."
    )
    j = journey
    page = j.new_page()
    page.goto("/")
    page.locator("#home-q").fill('"bank sampah"')
    page.locator("#home-q").press("Enter")
    page.wait_for_url("**/inovasi/?*q=*")
    j.check(page, "phrase")
    names = page.locator(".result-list > li h3 a").all_inner_texts()
    assert sorted(names) == ["Bank Sampah Desa", "Bank Sampah Sekolah"]
    assert page.locator("#search-q").input_value() == '"bank sampah"'

    page.locator("#search-q").fill("bank sampah")
    page.locator("#search-q").press("Enter")
    page.wait_for_url("**/inovasi/?q=bank+sampah")
    j.check(page, "words")
    assert page.locator(".result-list > li").count() == 3
    j.finish()
