"""HTML and open data are compressed for the public, never where a secret could leak (BREACH)."""

import gzip

import pytest
from django.urls import reverse

from tests.innovations.conftest import make_innovation

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


@pytest.fixture
def record(world):
    return make_innovation(world.pekanbaru, name="Layanan Akta Daring", summary="Akta dari rumah. " * 40)


@pytest.mark.parametrize("name", ["home", "innovations:list", "innovations:export_csv"])
def test_public_pages_are_gzipped_and_decode_to_the_same_page(client, record, name):
    plain = client.get(reverse(name))
    packed = client.get(reverse(name), **GZIP)
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    body = b"".join(packed.streaming_content) if packed.streaming else packed.content
    plain_body = b"".join(plain.streaming_content) if plain.streaming else plain.content
    assert gzip.decompress(body) == plain_body
    if not packed.streaming:
        assert len(packed.content) < len(plain.content) / 2


def test_the_record_page_is_gzipped(client, record):
    response = client.get(record.get_absolute_url(), **GZIP)
    assert response["Content-Encoding"] == "gzip"
    assert "Layanan Akta Daring" in gzip.decompress(response.content).decode()


def test_signed_in_pages_are_never_compressed(client, world, record):
    client.force_login(world.staff_pekanbaru)
    for url in (reverse("home"), reverse("innovations:workspace"), record.get_absolute_url()):
        response = client.get(url, **GZIP)
        assert response.status_code == 200
        assert "Content-Encoding" not in response, url


def test_a_page_with_a_csrf_token_is_never_compressed(client, db):
    response = client.get(reverse("sign_in"), **GZIP)
    assert response.status_code == 200
    assert "csrfmiddlewaretoken" in response.content.decode()
    assert "Content-Encoding" not in response


def test_without_accept_encoding_nothing_changes(client, record):
    response = client.get(reverse("innovations:list"))
    assert "Content-Encoding" not in response
    assert "<html" in response.content.decode()
