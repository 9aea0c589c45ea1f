"""Exports equal the filtered list, are streamed; the API pages like the list; its schema is valid."""

import csv
import io
import json

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(world, make):
    return [
        make(world.pekanbaru, name="Posyandu Digital", sector="health", summary="Balita sehat."),
        make(world.siak, name="Izin Daring", sector="licensing", summary="=HYPERLINK(1) izin usaha."),
        make(world.denpasar, name="Akta Bayi", sector="population", summary="Akta kelahiran."),
        make(world.denpasar, name="Puskesmas Ramah", sector="health", summary="Antrean puskesmas."),
    ]


def _list_slugs(client, params):
    response = client.get(reverse("innovations:list"), {**params, "per_page": 100})
    return sorted(card["url"].strip("/").split("/")[-1] for card in response.context["cards"])


@pytest.mark.parametrize(
    "params", [{}, {"sector": "health"}, {"q": "izin"}, {"province": "bali", "q": "akta"}]
)
def test_csv_and_json_exports_equal_the_filtered_list(client, records, params):
    expected = _list_slugs(client, params)
    response = client.get(reverse("innovations:export_csv"), params)
    assert response.streaming and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert sorted(r["slug"] for r in rows) == expected
    response = client.get(reverse("innovations:export_json"), params)
    assert response.streaming
    data = json.loads(b"".join(response.streaming_content))
    assert sorted(r["slug"] for r in data["results"]) == expected


def test_csv_cells_cannot_become_spreadsheet_formulas(client, records):
    response = client.get(reverse("innovations:export_csv"), {"q": "izin"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0]["summary"].startswith("'=")


def test_api_list_filters_like_the_list(client, records):
    data = json.loads(
        client.get(reverse("api:innovation_list"), {"sector": "health", "per_page": 10}).content
    )
    assert data["next"] is None
    assert sorted(r["name"] for r in data["results"]) == ["Posyandu Digital", "Puskesmas Ramah"]
    data = json.loads(client.get(reverse("api:innovation_list"), {"per_page": 10, "sort": "az"}).content)
    assert [r["name"] for r in data["results"]][0] == "Akta Bayi"
    data = json.loads(client.get(reverse("api:innovation_list"), {"q": "izin"}).content)
    assert [r["name"] for r in data["results"]] == ["Izin Daring"]


def test_xlsx_export_has_the_csv_columns_and_cells(client, records):
    import openpyxl

    csv_rows = list(
        csv.reader(
            io.StringIO(b"".join(client.get(reverse("innovations:export_csv")).streaming_content).decode())
        )
    )
    response = client.get(reverse("innovations:export_xlsx"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
    xlsx_rows = [
        ["" if cell is None else str(cell) for cell in row] for row in sheet.iter_rows(values_only=True)
    ]
    assert xlsx_rows[0] == csv_rows[0]
    assert sorted(xlsx_rows[1:]) == sorted(csv_rows[1:])


def test_api_rejects_unknown_filter_values_with_400(client, records):
    assert client.get(reverse("api:innovation_list"), {"sector": "nope"}).status_code == 400


def test_api_detail(client, records):
    data = json.loads(client.get(reverse("api:innovation_detail", kwargs={"slug": records[0].slug})).content)
    assert data["name"] == "Posyandu Digital" and data["awards"] == []


def test_openapi_schema_is_valid(client):
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)
    assert "/api/inovasi/" in schema["paths"]
    response = client.get(reverse("api:schema"))
    assert response.status_code == 200


def test_feed_sitemap_and_robots(client, records):
    assert b"Posyandu Digital" in client.get(reverse("innovations:feed")).content
    index = client.get(reverse("innovations:sitemap")).content.decode()
    assert "sitemap-innovations.xml" in index
    robots = client.get(reverse("innovations:robots_txt")).content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in robots
    assert client.get(reverse("open_data")).status_code == 200
