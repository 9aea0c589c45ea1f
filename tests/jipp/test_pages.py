import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from jipp.models import Agency

ROOT = Path(__file__).resolve().parents[2]


def test_home_is_indonesian_by_default(world, client):
    response = client.get("/")
    assert response.status_code == 200
    assert response["Content-Language"] == "id"
    content = response.content.decode()
    assert '<html lang="id">' in content
    assert "Jaringan Inovasi Pelayanan Publik" in content
    assert "Hub JIPP Riau" in content


def test_home_honours_accept_language(world):
    response = Client(headers={"accept-language": "en-US,en;q=0.9"}).get("/")
    assert response["Content-Language"] == "en"
    assert "Public Service Innovation Network" in response.content.decode()


def test_language_choice_sticks_in_a_cookie(world, client):
    response = client.get(reverse("set_language"), {"language": "en", "next": "/provinsi/riau/"})
    assert response.status_code == 302
    assert response["Location"] == "/provinsi/riau/"
    assert response.cookies["django_language"].value == "en"
    assert response.cookies["django_language"]["httponly"]
    page = client.get("/provinsi/riau/")
    assert page["Content-Language"] == "en"
    assert "Regencies and cities" in page.content.decode()


def test_language_switch_refuses_an_offsite_next(world, client):
    response = client.get(reverse("set_language"), {"language": "en", "next": "https://evil.example/"})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_language_switch_ignores_an_unknown_language(world, client):
    response = client.get(reverse("set_language"), {"language": "xx", "next": "/"})
    assert response.status_code == 302
    assert "django_language" not in response.cookies


def test_public_pages_set_no_cookies_for_anonymous_visitors(world, client):
    for path in ["/", "/provinsi/riau/", "/hub/riau/"]:
        response = client.get(path)
        assert response.status_code == 200
        assert not response.cookies, (path, list(response.cookies))


def test_province_page_lists_regencies_and_agencies_in_both_languages(world, client):
    response = client.get("/provinsi/riau/")
    content = response.content.decode()
    assert response.status_code == 200
    assert "Kota Pekanbaru" in content and "Kabupaten Siak" in content
    assert "Kota Denpasar" not in content
    assert "Disdukcapil Kota Pekanbaru" in content
    assert "Kabupaten dan kota" in content
    english = Client(headers={"accept-language": "en"}).get("/provinsi/riau/")
    assert "Regencies and cities" in english.content.decode()


def test_province_page_query_count_does_not_grow_with_agencies(world, client, django_assert_max_num_queries):
    for i in range(30):
        Agency.objects.create(
            name=f"Kantor {i}",
            slug=f"kantor-{i}",
            level="regency",
            province=world.riau,
            regency=world.siak_regency,
        )
    with django_assert_max_num_queries(6):
        assert client.get("/provinsi/riau/").status_code == 200


def test_unknown_province_is_a_404_page(world, client):
    response = client.get("/provinsi/atlantis/")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()


def test_unknown_url_is_a_friendly_404(world, client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert '<html lang="id">' in response.content.decode()


def test_healthz_is_200_with_json_when_the_database_answers(db, client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_is_503_when_the_database_is_unreachable():
    # A real process pointed at a port where no PostgreSQL listens.
    code = (
        "import django; django.setup(); from django.test import Client; "
        "r = Client().get('/healthz', HTTP_HOST='127.0.0.1'); print(r.status_code, r.content.decode())"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JIPP", "DEBUG"))}
    env.update(
        DJANGO_SETTINGS_MODULE="jipp.settings",
        DATABASE_URL="postgres://postgres@127.0.0.1:9/jipp",
        SECRET_KEY="k" * 64,
        JIPP_INSECURE_HTTP="1",
        ALLOWED_HOSTS="127.0.0.1",
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("503 ")
    assert '"database": "unavailable"' in result.stdout


@pytest.mark.parametrize("path", ["/", "/provinsi/riau/", "/healthz"])
def test_security_headers_on_every_page(world, client, path):
    response = client.get(path)
    csp = response["Content-Security-Policy"]
    assert "default-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_pages_have_no_inline_scripts_or_styles(world, client):
    content = client.get("/").content.decode()
    assert "<script>" not in content and "style=" not in content and "<style" not in content
