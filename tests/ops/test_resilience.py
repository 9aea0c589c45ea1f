"""While PostgreSQL is unreachable, pages answer a friendly 503 (never a 500 or a stack trace);
/healthz and /readyz report it. (The real outage — a PostgreSQL restart under load — is driven by
bench/faults/pg_restart.py in `make faults`.)"""

from unittest import mock

import pytest
from django.db import OperationalError, connections
from django.urls import reverse


@pytest.fixture
def database_down():
    with mock.patch.object(
        type(connections["default"]), "ensure_connection", side_effect=OperationalError("connection refused")
    ):
        yield


def test_page_answers_a_friendly_503_while_the_database_is_down(world, client, database_down, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    client.raise_request_exception = False
    response = client.get(reverse("hub_detail", kwargs={"slug": "riau"}))
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Cache-Control"] == "no-store"
    body = response.content.decode()
    assert "<h1>" in body and "Traceback" not in body and "OperationalError" not in body


def test_failure_outside_the_view_also_gives_503(world, client, settings):
    """Sessions are saved by middleware after the view; a failure there reaches handler500."""
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    client.force_login(world.staff_pekanbaru)
    client.raise_request_exception = False
    with mock.patch(
        "django.contrib.sessions.middleware.SessionMiddleware.process_response",
        side_effect=OperationalError("down"),
    ):
        response = client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"]


def test_healthz_and_readyz_report_the_database(world, client, database_down):
    health = client.get("/healthz")
    ready = client.get("/readyz")
    assert health.status_code == ready.status_code == 503
    assert ready.json() == {"status": "error", "database": "unavailable", "cache": "ok"}


def test_readyz_is_ok_when_database_and_cache_answer(db, client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_readyz_reports_an_unreachable_cache(db, client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2, "IGNORE_EXCEPTIONS": True},
        }
    }
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["cache"] == "unavailable"


def test_database_settings_recover_without_restart():
    from django.conf import settings

    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
    assert settings.DATABASES["default"]["OPTIONS"]["connect_timeout"] <= 3


def test_other_errors_still_get_the_plain_500_page(world, client, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    client.raise_request_exception = False
    with mock.patch("hubs.pages.Hub.objects", new=mock.Mock(side_effect=ValueError)) as hubs:
        hubs.select_related.side_effect = ValueError("bug")
        response = client.get(reverse("hub_list"))
    assert response.status_code == 500
    assert "Retry-After" not in response
    assert "ValueError" not in response.content.decode()
