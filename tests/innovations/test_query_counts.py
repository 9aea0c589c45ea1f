"""Query counts are constant per page: independent of the number of records and of the page size."""

import pytest
from django.urls import reverse
from django.utils import timezone

from innovations.models import Award, Innovation
from tests.replication.factories import advance, make_request

pytestmark = pytest.mark.django_db

# list: capped count, rows, facet keys of the newest rows, provinces for facet labels
LIST_QUERIES = 4
# search: candidates (with their facet keys), rows, snippets, provinces
SEARCH_QUERIES = 4


@pytest.fixture
def many(world, make):
    for i in range(30):
        make((world.pekanbaru, world.siak, world.denpasar)[i % 3], name=f"Layanan Kesehatan {i}")


@pytest.mark.parametrize("per_page", [10, 20, 50, 100])
def test_list_query_count_is_independent_of_page_size(client, many, per_page, django_assert_num_queries):
    with django_assert_num_queries(LIST_QUERIES):
        assert client.get(reverse("innovations:list"), {"per_page": per_page}).status_code == 200


# Searches count in autocommit, as every public request runs: inside a test's transaction the guarded
# search statement adds a savepoint (innovations.search._bounded_cursor), which requests never pay.
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("per_page", [10, 100])
def test_search_query_count_is_independent_of_page_size(client, many, per_page, django_assert_num_queries):
    with django_assert_num_queries(SEARCH_QUERIES):
        client.get(reverse("innovations:list"), {"q": "kesehatan", "per_page": per_page})


def test_list_query_count_is_independent_of_the_number_of_records(
    client, world, make, django_assert_num_queries
):
    make(world.pekanbaru)
    with django_assert_num_queries(LIST_QUERIES):
        client.get(reverse("innovations:list"))


@pytest.mark.django_db(transaction=True)
def test_faceted_search_and_typo_stay_within_ten_queries(client, many, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        client.get(
            reverse("innovations:list"), {"q": "kesehatan", "province": "riau", "hub": "riau", "sector": "x"}
        )
    with django_assert_max_num_queries(10):
        response = client.get(reverse("innovations:list"), {"q": "kesehatn"})
    assert response.context["result"].corrected


def test_detail_query_count_does_not_grow_with_lineage(client, world, make, django_assert_num_queries):
    source = make(world.pekanbaru, name="Sumber")
    Award.objects.create(innovation=source, program="kipp", rank="top45", year=2022)
    with django_assert_num_queries(5):  # record, awards, evidence, descendants, replications
        client.get(source.get_absolute_url())
    for agency in (world.siak, world.denpasar):
        child = make(agency, replicated_from=source)
        grandchild = make(world.pekanbaru, replicated_from=child)
    # Public replications of the source, one with its adapted innovation published.
    for agency, user, officer in (
        (world.siak, world.staff_siak, world.officer_riau),
        (world.denpasar, world.staff_denpasar, world.officer_bali),
    ):
        request = make_request(source, agency, user)
        advance(request, "implemented", officer=officer, requester=user, origin=world.staff_pekanbaru)
    Innovation.objects.filter(pk=request.result_innovation_id).update(
        status="published", published_at=timezone.now()
    )
    with django_assert_num_queries(5):
        html = client.get(source.get_absolute_url()).content.decode()
    assert html.count('class="status status-implemented"') == 2
    with django_assert_num_queries(6):  # + ancestors, one recursive query
        client.get(grandchild.get_absolute_url())


@pytest.mark.parametrize("name", ["home", "innovations:agency_detail", "province_detail"])
def test_pages_with_innovation_blocks_have_constant_queries(
    client, world, make, name, django_assert_max_num_queries
):
    kwargs = {
        "innovations:agency_detail": {"slug": "disdukcapil-pekanbaru"},
        "province_detail": {"slug": "riau"},
    }
    url = reverse(name, kwargs=kwargs.get(name))
    client.get(url)
    with django_assert_max_num_queries(8) as captured:
        client.get(url)
    before = len(captured)
    for _ in range(5):
        make(world.pekanbaru)
    with django_assert_max_num_queries(before):
        client.get(url)
