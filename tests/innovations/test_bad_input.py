"""Bad input never gives a 500: property-based tests over the query string (Hypothesis)."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

NASTY = [
    "",
    " ",
    "a" * 5000,
    "!!!???",
    "'; DROP TABLE innovations_innovation; --",
    "<script>alert(1)</script>",
    '"unterminated',
    "-",
    "OR",
    "a & | ! ( ) : *",
    "\x00",
    "ñ 漢字 🙂",
    "%",
    "\\",
    "yang dan di",
]

PARAMS = [
    "q",
    "page",
    "per_page",
    "sort",
    "province",
    "hub",
    "sector",
    "year",
    "sdg",
    "award",
    "replicated",
    "agency",
    "exact",
    "prev_q",
    "prev_sort",
]

values = st.one_of(st.sampled_from(NASTY), st.text(max_size=300), st.integers().map(str))
query_strings = st.dictionaries(st.sampled_from(PARAMS), st.lists(values, min_size=1, max_size=3), max_size=5)


@pytest.fixture
def some(world, make):
    make(world.pekanbaru, name="Layanan Akta", acronym="SIPADU")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(params=query_strings)
def test_list_never_fails(client, some, params):
    response = client.get(reverse("innovations:list"), params)
    if response.status_code == 302:  # a submit of the list's form (prev_q/prev_sort): its plain address
        response = client.get(response["Location"])
    assert response.status_code in (200, 400)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(params=query_strings)
def test_api_and_exports_never_fail(client, some, params):
    for name in ("api:innovation_list", "innovations:export_csv"):
        response = client.get(reverse(name), params)
        assert response.status_code in (200, 400)
        if response.streaming:
            b"".join(response.streaming_content)


@pytest.mark.parametrize("value", NASTY + ["-1", "0", "abc", "99999999999999999999"])
def test_named_bad_values(client, some, value):
    for param in ("q", "page", "per_page", "sort"):
        assert client.get(reverse("innovations:list"), {param: value}).status_code == 200


@pytest.mark.parametrize("name", ["innovations:list", "api:innovation_list", "innovations:export_json"])
@pytest.mark.parametrize("param", ["province", "hub", "agency", "sector", "q"])
def test_nul_characters_in_any_filter_are_harmless(client, some, name, param):
    response = client.get(reverse(name), {param: "riau\x00"})
    assert response.status_code in (200, 400)
    if response.streaming:
        b"".join(response.streaming_content)
