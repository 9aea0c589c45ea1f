"""The search page walked the way a person uses it (issue 10): following the links it shows, paging,
"did you mean" and "search instead for", clearing filters, new words after a sort, the active-filter
summary beside the results."""

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.urls import reverse

from tests.innovations.pages import parse

pytestmark = pytest.mark.django_db

LIST = "/inovasi/"


def soup(response):
    assert response.status_code == 200
    return parse(response.content)


def href(page, tag="a", class_=None, **attrs):
    return page.find(tag, class_, **attrs)["href"]


def follow(client, url):
    """GET a link as a browser resolves it against the list page."""
    assert not url.startswith("??"), url
    if url.startswith("?"):
        url = LIST + url
    return client.get(url)


def query(url):
    parts = urlsplit(url)
    assert not parts.query.startswith("?"), url
    params = parse_qs(parts.query, keep_blank_values=True)
    assert not any(key.startswith("?") for key in params), url
    return params


def titles(response):
    return [card["name"] for card in response.context["cards"]]


@pytest.fixture
def health(world, make):
    for i in range(25):
        make(world.pekanbaru, name=f"Layanan Kesehatan {i:02d}", sector="health", days_ago=i + 1)
    for i in range(15):
        make(world.siak, name=f"Izin Usaha {i:02d}", sector="licensing", days_ago=i + 1)


# --- 1. Paging and "did you mean" keep the search -----------------------------------------------------


def test_next_page_of_a_search_keeps_the_words_and_the_page_size(client, health):
    first = client.get(LIST, {"q": "kesehatan", "per_page": 10})
    link = href(soup(first), rel="next")
    assert query(link) == {"q": ["kesehatan"], "per_page": ["10"], "page": ["2"]}

    second = follow(client, link)
    page = soup(second)
    assert page.find("input", id="search-q")["value"] == "kesehatan"
    assert second.context["result"].page == 2
    assert len(titles(second)) == 10
    assert set(titles(second)).isdisjoint(titles(first))
    assert all(name.startswith("Layanan Kesehatan") for name in titles(second))
    assert query(href(page, rel="prev")) == {"q": ["kesehatan"], "per_page": ["10"], "page": ["1"]}
    third = follow(client, href(page, rel="next"))
    assert third.context["result"].page == 3 and len(titles(third)) == 5


def test_paging_from_a_later_page_advances(client, health):
    page = soup(client.get(LIST, {"page": 2, "per_page": 10}))
    assert query(href(page, rel="next")) == {"page": ["3"], "per_page": ["10"]}
    assert query(href(page, rel="prev")) == {"page": ["1"], "per_page": ["10"]}
    assert follow(client, href(page, rel="next")).context["result"].page == 3


def test_did_you_mean_keeps_the_filters(client, world, make):
    make(world.pekanbaru, name="Posyandu Digital", sector="health")
    make(world.siak, name="Izin Usaha", sector="licensing")
    # Filtered to licensing, the correction finds nothing either: it is offered, not applied.
    response = client.get(LIST, {"q": "posyandi", "sector": "licensing"})
    assert titles(response) == []
    link = soup(response).find("p", "did-you-mean").find("a")["href"]
    assert query(link) == {"q": ["posyandu"], "sector": ["licensing"]}
    assert follow(client, link).context["result"].q == "posyandu"


def test_no_template_puts_a_question_mark_before_querystring():
    """Django's {% querystring %} already starts with "?": "?{% querystring" writes "??q=…"."""
    offenders = [
        str(path.relative_to(settings.BASE_DIR))
        for path in Path(settings.BASE_DIR).rglob("*.html")
        if ".venv" not in path.parts and "?{% querystring" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


# --- 9. A typo is corrected visibly, with a way back to the exact words --------------------------------


def test_corrected_search_offers_the_exact_words_which_stay_uncorrected(client, world, make):
    make(world.pekanbaru, name="Layanan Kesehatan Ibu", summary="Kesehatan ibu dan anak.", sector="health")
    corrected = client.get(LIST, {"q": "kesehtan", "sector": "health"})
    assert corrected.context["result"].corrected
    assert titles(corrected) == ["Layanan Kesehatan Ibu"]
    link = href(soup(corrected), class_="search-exact")
    assert query(link) == {"q": ["kesehtan"], "sector": ["health"], "exact": ["1"]}

    exact = follow(client, link)
    result = exact.context["result"]
    assert result.q == "kesehtan" and not result.corrected and result.rows == []
    page = soup(exact)
    assert page.find_all("p", "empty")
    assert not page.find_all("a", "search-exact")
    # The exact search stays exact when the filters change (the form carries it) …
    assert page.find("input", type_="hidden", name="exact")["value"] == "1"
    # … and still offers the correction, now as a link that drops "exact".
    assert query(page.find("p", "did-you-mean").find("a")["href"]) == {
        "q": ["kesehatan"],
        "sector": ["health"],
    }


def test_clear_filters_keeps_the_words_and_says_so(client, health, world):
    response = client.get(
        LIST, {"q": "kesehatan", "sector": "health", "province": "riau", "sort": "az", "page": "2"}
    )
    page = soup(response)
    clear = page.find_all("a", href="/inovasi/?q=kesehatan&sort=az")
    assert len(clear) == 2  # beside the results and under the filters
    client.cookies["django_language"] = "en"
    english = soup(client.get(LIST, {"q": "kesehatan", "sector": "health"}))
    assert "Clear filters (keeps the search words)" in english.text()
    # The words have their own way out, which keeps the filters.
    assert query(page.find("ul", "chips").find("a", "chip")["href"]) == {
        "sector": ["health"],
        "province": ["riau"],
    }


def test_clear_filters_without_words_is_the_plain_list(client, health):
    page = soup(client.get(LIST, {"sector": "health", "per_page": "10"}))
    assert page.find("p", "facet-actions").find("a")["href"] == "/inovasi/?per_page=10"


# --- 12. The active filters beside the results, each removable --------------------------------------------


def test_active_filters_are_summarised_beside_the_results_each_removable(client, health, world):
    params = {
        "q": "layanan",
        "sector": ["health", "licensing"],
        "province": "riau",
        "agency": world.pekanbaru.slug,
    }
    response = client.get(LIST, params)
    page = soup(response)
    results = page.find("section", "results")
    facets = page.find("aside", "facets")
    # Results come first in the page (first on a phone; CSS puts the filters beside them on a desktop).
    layout = page.find("div", "list-layout")
    assert [child.tag for child in layout.children if not isinstance(child, str)] == ["section", "aside"]
    chips = {a.text(): a["href"] for a in results.find_all("a", "chip")}
    assert len(chips) == 5  # words, two sectors, province, agency
    removals = [query(url) for url in chips.values()]
    assert {
        "q": ["layanan"],
        "sector": ["licensing"],
        "province": ["riau"],
        "agency": ["disdukcapil-pekanbaru"],
    } in removals
    assert {
        "q": ["layanan"],
        "sector": ["health", "licensing"],
        "agency": ["disdukcapil-pekanbaru"],
    } in removals
    assert {"q": ["layanan"], "sector": ["health", "licensing"], "province": ["riau"]} in removals
    assert {
        "sector": ["health", "licensing"],
        "province": ["riau"],
        "agency": ["disdukcapil-pekanbaru"],
    } in removals
    # The filters stay reachable from the summary and lead back to the results.
    assert results.find("a", href="#facets-title")
    assert facets.find(id="facets-title")
    assert facets.find("a", href="#results-title")
    # Following a removal really removes just that value.
    after = follow(client, chips[next(k for k in chips if "Riau" in k)])
    assert after.context["result"].q == "layanan"
    assert after.context["filterset"].form.cleaned_data["province"].count() == 0


def test_no_summary_when_nothing_is_active(client, health):
    page = soup(client.get(LIST))
    assert page.find_all("ul", "chips") == []
    assert page.find("p", "filter-links").find("a", href="#facets-title")


# --- 14. New words go back to relevance -----------------------------------------------------------------


def submit(client, **fields):
    """What the list's form sends: every field, including the hidden words and sort it was showing."""
    fields.setdefault("per_page", "20")
    return client.get(LIST, fields)


def test_new_words_after_choosing_newest_sort_by_relevance_again(client, health):
    page = soup(client.get(LIST, {"q": "izin", "sort": "newest"}))
    form = page.find("form", role="search")
    assert form.find("input", name="prev_q")["value"] == "izin"
    assert form.find("input", name="prev_sort")["value"] == "newest"
    assert form.find("select", id="sort").find("option", selected=True)["value"] == "newest"

    # The person types other words and presses Enter: the sort select still says "newest".
    response = submit(client, q="kesehatan", prev_q="izin", prev_sort="newest", sort="newest")
    assert response.status_code == 302 and response["Location"] == "/inovasi/?q=kesehatan"
    landed = client.get(response["Location"])
    assert landed.context["result"].sort == "relevance"
    assert soup(landed).find("select", id="sort").find("option", selected=True)["value"] == "relevance"


def test_a_sort_chosen_with_the_new_words_is_kept(client, health):
    response = submit(client, q="kesehatan", prev_q="izin", prev_sort="relevance", sort="az")
    assert response["Location"] == "/inovasi/?q=kesehatan&sort=az"


def test_same_words_keep_the_chosen_sort_when_filters_change(client, health):
    response = submit(
        client, q="Kesehatan ", prev_q="kesehatan", prev_sort="newest", sort="newest", sector="health"
    )
    assert response["Location"] == "/inovasi/?q=Kesehatan+&sort=newest&sector=health"
    assert client.get(response["Location"]).context["result"].sort == "newest"


def test_browsing_then_typing_words_sorts_by_relevance(client, health):
    response = submit(client, q="kesehatan", prev_q="", prev_sort="newest", sort="newest", per_page="10")
    assert response["Location"] == "/inovasi/?q=kesehatan&per_page=10"


def test_new_words_drop_the_exact_switch_same_words_keep_it(client, health):
    response = submit(
        client, q="kesehatan", prev_q="kesehtan", prev_sort="relevance", sort="relevance", exact="1"
    )
    assert response["Location"] == "/inovasi/?q=kesehatan"
    response = submit(
        client, q="kesehtan", prev_q="kesehtan", prev_sort="relevance", sort="relevance", exact="1"
    )
    assert response["Location"] == "/inovasi/?q=kesehtan&exact=1"


def test_submitting_starts_at_the_first_page_and_drops_empty_fields(client, health):
    response = submit(client, q="", prev_q="", prev_sort="newest", sort="newest", page="3", per_page="20")
    assert response["Location"] == reverse("innovations:list")


@pytest.mark.parametrize("junk", ["\x00", "a" * 5000, "🙂", ""])
def test_odd_hidden_fields_never_fail(client, health, junk):
    response = client.get(LIST, {"q": junk, "prev_q": junk, "prev_sort": junk, "sort": junk, "exact": junk})
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
