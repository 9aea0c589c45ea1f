"""Drafts, submitted, returned and archived records are never public: pages, API, exports, feed, sitemap."""

import json

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

HIDDEN = ("draft", "submitted", "returned", "archived")


@pytest.fixture
def records(world, make):
    public = make(world.pekanbaru, name="Terbit Umum", slug="terbit-umum")
    hidden = [
        make(world.pekanbaru, name=f"Tersembunyi {s}", slug=f"tersembunyi-{s}", status=s) for s in HIDDEN
    ]
    return public, hidden


def test_list_shows_only_published(client, records):
    html = client.get(reverse("innovations:list")).content.decode()
    assert "Terbit Umum" in html and "Tersembunyi" not in html


def test_detail_of_hidden_records_is_404_for_the_public(client, records):
    public, hidden = records
    assert client.get(public.get_absolute_url()).status_code == 200
    for record in hidden:
        assert client.get(record.get_absolute_url()).status_code == 404


def test_owner_staff_may_preview_their_draft(client, world, records):
    draft = records[1][0]
    client.force_login(world.staff_pekanbaru)
    response = client.get(draft.get_absolute_url())
    assert (
        response.status_code == 200
        and "Not public" in response.content.decode()
        or "Tidak publik" in (response.content.decode())
    )


def test_api_exports_feed_and_sitemap_show_only_published(client, records):
    urls = [
        reverse("api:innovation_list"),
        reverse("innovations:export_json"),
        reverse("innovations:export_csv"),
        reverse("innovations:feed"),
        reverse("innovations:sitemap_section", kwargs={"section": "innovations"}),
        reverse("home"),
        reverse("province_detail", kwargs={"slug": "riau"}),
        reverse("innovations:agency_detail", kwargs={"slug": "disdukcapil-pekanbaru"}),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode()
        assert "terbit-umum" in text or "Terbit Umum" in text, url
        assert "tersembunyi" not in text.lower(), url
    for record in records[1]:
        assert client.get(reverse("api:innovation_detail", kwargs={"slug": record.slug})).status_code == 404


def test_api_ignores_sessions_so_even_the_ministry_sees_only_published(client, world, records):
    client.force_login(world.ministry)
    data = json.loads(client.get(reverse("api:innovation_list")).content)
    assert [r["slug"] for r in data["results"]] == ["terbit-umum"]
