"""The open-data API and catalogue as harvesters use them: incremental sync with tombstones, conditional
requests, strict parameters, constant queries per page, the DCAT catalogue, and no personal data in
any response or download."""

import csv
import io
import json
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from innovations import services as innovation_services
from innovations.models import Innovation
from jipp import api
from jipp.models import Agency

pytestmark = pytest.mark.django_db

LISTS = [
    "api:innovation_list",
    "api:replication_list",
    "api:agency_list",
    "api:province_list",
    "api:regency_list",
    "api:hub_list",
    "api:statistics_list",
]


def _get(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, (url, response.content[:300])
    return response.json()


def _walk(client, name, **params):
    """Every row of a list, following next."""
    url, rows = reverse(name), []
    data = _get(client, url, **params)
    while True:
        rows.extend(data["results"])
        if not data["next"]:
            return rows
        data = client.get(data["next"]).json()


def test_the_root_lists_every_endpoint(client, open_world):
    data = _get(client, reverse("api:root"))
    assert set(data["endpoints"]) == {
        "innovations", "replications", "agencies", "provinces", "regencies", "hubs", "statistics",
    }  # fmt: skip
    for url in data["endpoints"].values():
        assert client.get(url).status_code == 200, url
    assert client.get(data["catalog"]).status_code == 200


def test_replicated_from_is_null_on_an_original_and_a_slug_on_an_adaptation(client, open_world):
    original = _get(client, reverse("api:innovation_detail", kwargs={"slug": open_world["original"].slug}))
    assert original["replicated_from"] is None
    adapted = Innovation.objects.get(name="Antrean Adaptasi")
    data = _get(client, reverse("api:innovation_detail", kwargs={"slug": adapted.slug}))
    assert data["replicated_from"] == open_world["original"].slug


def test_keyset_paging_neither_repeats_nor_skips_while_rows_change(
    client, open_world, make, world, monkeypatch
):
    monkeypatch.setattr(api, "PER_PAGE_CHOICES", (2, *api.PER_PAGE_CHOICES))
    for n in range(5):
        make(world.pekanbaru, name=f"Halaman {n}")
    first = _get(client, reverse("api:innovation_list"), per_page=2)
    seen = [row["slug"] for row in first["results"]]
    # A record edited after the first page moves to the end of the modified order: read once more there.
    Innovation.objects.filter(slug=seen[0]).update(summary="Diubah.")
    data = client.get(first["next"]).json()
    while True:
        seen.extend(row["slug"] for row in data["results"])
        if not data["next"]:
            break
        data = client.get(data["next"]).json()
    published = set(Innovation.objects.published().values_list("slug", flat=True))
    assert set(seen) == published
    assert len(seen) == len(published) + 1  # only the edited one twice


def test_modified_since_gives_changes_and_tombstones_for_withdrawals(client, open_world, world):
    everything = _walk(client, "api:innovation_list")
    assert all(row["withdrawn"] is False for row in everything)
    assert open_world["archived"].slug not in {row["slug"] for row in everything}
    mark = timezone.now()
    assert _walk(client, "api:innovation_list", modified_since=mark.isoformat()) == []

    original = open_world["original"]
    innovation_services.archive(innovation_id=original.pk, by=world.officer_riau, version=original.version)
    adapted = Innovation.objects.get(name="Antrean Adaptasi")
    Innovation.objects.filter(pk=adapted.pk).update(replication_count=3)  # a write bypassing save()

    rows = _walk(client, "api:innovation_list", modified_since=mark.isoformat())
    by_slug = {row["slug"]: row for row in rows}
    assert set(by_slug) == {original.slug, adapted.slug}
    assert by_slug[original.slug] == {
        "slug": original.slug,
        "withdrawn": True,
        "modified": by_slug[original.slug]["modified"],
    }
    assert by_slug[adapted.slug]["replication_count"] == 3 and by_slug[adapted.slug]["withdrawn"] is False
    # Without modified_since a full read holds live records only.
    assert original.slug not in {row["slug"] for row in _walk(client, "api:innovation_list")}
    # The tombstone survives: the detail is gone, the sync still says so.
    assert client.get(reverse("api:innovation_detail", kwargs={"slug": original.slug})).status_code == 404


def test_a_declined_replication_is_a_tombstone(client, open_world):
    declined = open_world["requests"]["declined"]
    live = {row["id"] for row in _walk(client, "api:replication_list")}
    assert declined.pk not in live
    rows = _walk(client, "api:replication_list", modified_since="2000-01-01T00:00:00Z")
    tombstones = [row for row in rows if row["withdrawn"]]
    assert [row["id"] for row in tombstones] == [declined.pk]
    assert set(tombstones[0]) == {"id", "withdrawn", "modified"}


def test_hub_changes_move_the_hubs_modified_time(client, open_world, world):
    mark = timezone.now()
    assert _walk(client, "api:hub_list", modified_since=mark.isoformat()) == []
    member = world.hub_riau.team.get()
    member.is_removed = True
    member.save(update_fields=["is_removed"])  # no auto_now: the trigger keeps the time
    rows = _walk(client, "api:hub_list", modified_since=mark.isoformat())
    assert [row["slug"] for row in rows] == [world.hub_riau.slug] and rows[0]["team"] == []


def test_agency_changes_are_found_by_modified_since(client, open_world, world):
    mark = timezone.now()
    Agency.objects.filter(pk=world.siak.pk).update(website="https://siakkab.go.id")
    rows = _walk(client, "api:agency_list", modified_since=mark.isoformat())
    assert [row["slug"] for row in rows] == [world.siak.slug]


@pytest.mark.parametrize("name", LISTS)
def test_conditional_requests_on_lists(client, open_world, name):
    response = client.get(reverse(name))
    etag = response["ETag"]
    assert client.get(reverse(name), HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(reverse(name), HTTP_IF_NONE_MATCH=f"W/{etag}").status_code == 304
    assert client.get(reverse(name), HTTP_IF_NONE_MATCH='"other"').status_code == 200
    if response.has_header("Last-Modified"):
        later = http_date(timezone.now().timestamp() + 60)
        assert client.get(reverse(name), HTTP_IF_MODIFIED_SINCE=later).status_code == 304
        assert (
            client.get(reverse(name), HTTP_IF_MODIFIED_SINCE="Mon, 01 Jan 2001 00:00:00 GMT").status_code
            == 200
        )


def test_conditional_requests_on_a_detail_follow_changes(client, open_world):
    original = open_world["original"]
    url = reverse("api:innovation_detail", kwargs={"slug": original.slug})
    first = client.get(url)
    assert first.has_header("Last-Modified")
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    Innovation.objects.filter(pk=original.pk).update(summary="Ringkasan baru.")
    changed = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed.json()["summary"] == "Ringkasan baru."


def test_conditional_requests_through_the_page_cache(client, open_world, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 300
    url = reverse("api:agency_list")
    first = client.get(url)
    second = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 304 and second["ETag"] == first["ETag"]


ENUM_PARAMETERS = {
    "api:innovation_list": [
        "sort",
        "per_page",
        "sector",
        "stage",
        "form",
        "type",
        "level",
        "region",
        "award",
    ],
    "api:replication_list": ["per_page", "stage", "sector"],
    "api:agency_list": ["per_page", "level", "province"],
    "api:regency_list": ["per_page", "kind", "province"],
    "api:province_list": ["per_page"],
    "api:hub_list": ["per_page"],
    "api:statistics_list": ["per_page"],
}


@pytest.mark.parametrize(
    ("name", "parameter"), [(name, p) for name, params in ENUM_PARAMETERS.items() for p in params]
)
@pytest.mark.parametrize("value", ["AAA", "", "\x00", "9" * 30])
def test_a_bad_value_is_a_400_that_names_the_parameter(client, open_world, name, parameter, value):
    response = client.get(reverse(name), {parameter: value})
    if value in ("", "\x00") and parameter in ("sector", "stage", "form", "type", "level", "region", "award"):
        # django-filter reads an empty facet as "no filter" (the list's own form sends empty fields).
        assert response.status_code in (200, 400)
        return
    assert response.status_code == 400, response.content
    assert parameter in response.json()


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize(("parameter", "value"), [("modified_since", "yesterday"), ("cursor", "garbage!")])
def test_bad_sync_parameters_are_400s(client, open_world, name, parameter, value):
    response = client.get(reverse(name), {parameter: value})
    assert response.status_code == 400 and parameter in response.json()


@pytest.mark.parametrize(
    ("sort", "values"),
    [
        ("modified", ["2026-01-01T00:00:00+00:00", 10**30]),
        ("az", ["a\x00b", 1]),
        ("replicated", [2**40, None, 1]),
    ],
)
def test_a_forged_cursor_is_a_400(client, open_world, sort, values):
    cursor = api._encode(sort, values)
    response = client.get(reverse("api:innovation_list"), {"cursor": cursor, "sort": sort})
    assert response.status_code == 400 and "cursor" in response.json()


def test_a_cursor_of_another_sort_is_refused(client, open_world, make, world, monkeypatch):
    monkeypatch.setattr(api, "PER_PAGE_CHOICES", (1, *api.PER_PAGE_CHOICES))
    data = _get(client, reverse("api:innovation_list"), per_page=1, sort="az")
    cursor = re.search(r"cursor=([^&]+)", data["next"]).group(1)
    response = client.get(reverse("api:innovation_list"), {"cursor": cursor, "sort": "newest"})
    assert response.status_code == 400 and "cursor" in response.json()


@pytest.mark.parametrize("name", LISTS)
def test_queries_per_page_are_constant(client, open_world, make, world, name, django_assert_max_num_queries):
    # The first request may compute the cached statistics (a fixed set of aggregate queries).
    client.get(reverse(name), {"per_page": 100})
    with django_assert_max_num_queries(8) as small:
        client.get(reverse(name), {"per_page": 100})
    for n in range(30):
        make(world.denpasar, name=f"Tambahan {n}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(reverse(name), {"per_page": 100}).status_code == 200


# --- No personal data -------------------------------------------------------------------------------

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
PHONE = re.compile(r"(?:\+62|\b0)8\d[\d\s-]{6,}")
PERSONAL_KEYS = {
    "contact_name",
    "contact_email",
    "contact_phone",
    "requested_by",
    "mentors",
    "email",
    "phone",
}
PEOPLE = ("Budi Santoso", "Siti Aminah")  # the contact person and the team member of open_world


def _keys(value):
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _keys(item)
    elif isinstance(value, list):
        for item in value:
            yield from _keys(item)


def _assert_no_personal_data(text, where):
    allowed = {settings.JIPP_OPEN_DATA_EMAIL}  # the organisation's data desk
    emails = set(EMAIL.findall(text)) - allowed
    assert not emails, (where, emails)
    assert not PHONE.search(text), (where, PHONE.search(text).group())
    for person in PEOPLE:
        assert person not in text, (where, person)


def _body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_no_response_or_download_holds_personal_data(client, open_world):
    urls = set()
    for name in LISTS:
        for row in _walk(client, name, modified_since="2000-01-01T00:00:00Z"):
            assert not PERSONAL_KEYS & set(_keys(row)), (name, row)
            urls.add(row.get("url", ""))
        urls.add(reverse(name))
    catalogue = client.get(reverse("data_catalog")).json()
    for dataset in catalogue["dcat:dataset"]:
        urls.update(d["dcat:downloadURL"] for d in dataset["dcat:distribution"])
    urls.add(reverse("data_catalog"))
    urls.add(reverse("api:schema"))
    api_urls = [u for u in urls if "/api/" in u]
    # Every detail the lists point to.
    for slug in Innovation.objects.published().values_list("slug", flat=True):
        api_urls.append(reverse("api:innovation_detail", kwargs={"slug": slug}))
    for url in [*urls, *api_urls]:
        if not url or (
            "/api/" not in url and "/data/" not in url and "csv=" not in url and "xlsx=" not in url
        ):
            continue
        response = client.get(url)
        assert response.status_code == 200, url
        body = _body(response)
        if url.endswith(".xlsx") or "xlsx=" in url:
            import openpyxl

            sheet = openpyxl.load_workbook(io.BytesIO(body), read_only=True).active
            text = "\n".join(
                " ".join(str(c) for c in row if c is not None) for row in sheet.iter_rows(values_only=True)
            )
        else:
            text = body.decode()
        _assert_no_personal_data(text, url)
        if "json" in response["Content-Type"] and "/schema/" not in url:
            assert not PERSONAL_KEYS & set(_keys(json.loads(text))), url
        if response["Content-Type"].startswith("text/csv"):
            assert not PERSONAL_KEYS & set(next(csv.reader(io.StringIO(text)))), url


# --- The DCAT catalogue -----------------------------------------------------------------------------

DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"


def test_the_catalogue_is_valid_json_ld_with_the_dcat_properties(client, open_world):
    from pyld import jsonld

    response = client.get(reverse("data_catalog"))
    assert response["Content-Type"] == "application/ld+json"
    document = response.json()
    expanded = jsonld.expand(document)  # raises on an invalid document or context
    (catalog,) = [node for node in expanded if f"{DCAT}Catalog" in node.get("@type", [])]
    for prop in (f"{DCT}title", f"{DCT}description", f"{DCT}publisher", f"{DCAT}dataset"):
        assert catalog.get(prop), prop
    datasets = catalog[f"{DCAT}dataset"]
    identifiers = {d[f"{DCT}identifier"][0]["@value"] for d in datasets}
    assert {
        "innovations",
        "replications",
        "agencies",
        "statistics-sectors",
        "statistics-coverage",
    } <= identifiers
    for dataset in datasets:
        for prop in ("title", "description", "license", "modified", "publisher"):
            assert dataset.get(f"{DCT}{prop}"), (dataset["@id"], prop)
        contact = dataset[f"{DCAT}contactPoint"][0]
        assert contact["@type"] == ["http://www.w3.org/2006/vcard/ns#Organization"]
        assert dataset[f"{DCT}license"][0]["@id"] == "https://creativecommons.org/licenses/by/4.0/"
        media_types = {d[f"{DCAT}mediaType"][0]["@value"] for d in dataset[f"{DCAT}distribution"]}
        assert {
            "text/csv",
            "application/json",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        } <= media_types
    # The flattened graph is what an RDF harvester reads: every distribution is a node with a URL.
    flat = jsonld.flatten(document)
    nodes = flat if isinstance(flat, list) else flat["@graph"]
    distributions = [n for n in nodes if f"{DCAT}Distribution" in n.get("@type", [])]
    assert distributions and all(n.get(f"{DCAT}downloadURL") for n in distributions)


def test_every_distribution_answers_with_its_content_type(client, open_world):
    document = client.get(reverse("data_catalog")).json()
    for dataset in document["dcat:dataset"]:
        assert client.get(dataset["dcat:landingPage"]).status_code == 200
        for distribution in dataset["dcat:distribution"]:
            response = client.get(distribution["dcat:downloadURL"])
            assert response.status_code == 200, distribution
            assert response["Content-Type"].split(";")[0] == distribution["dcat:mediaType"], distribution
            _body(response)


def test_the_open_data_page_shows_every_dataset_in_both_languages(client, open_world):
    for language, heading in (("id", "Data terbuka"), ("en", "Open data")):
        page = client.get(reverse("open_data"), headers={"accept-language": language}).content.decode()
        assert f"<h1>{heading}</h1>" in page
        assert reverse("data_catalog") in page and "modified_since" in page
        assert "replicated_from" in page  # fields come from the API schema
