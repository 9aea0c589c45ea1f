"""Reads from a read replica (jipp/replica.py): anonymous GET pages read from it, everything else from
the primary, a replica failure falls back to the primary, and a page rendered from the replica just
after a change is cached only briefly.

The suite's "replica" alias is a second connection to the same test database (jipp.testing.plugin),
so these tests are transactional: what one connection commits, the other sees, as on a real replica.
"""

from contextlib import contextmanager

import pytest
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from innovations.models import Innovation
from jipp.ops import cache as page_cache
from jipp.ops import middleware, replica
from tests.innovations.conftest import make_innovation

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


@pytest.fixture
def replica_on(settings):
    settings.JIPP_REPLICA_ALIAS = "replica"
    settings.DATABASE_ROUTERS = ["jipp.ops.replica.ReplicaRouter"]
    yield
    connections["replica"].close()


@contextmanager
def replica_down():
    """The replica alias pointed at a port where nothing listens, then restored."""
    conn = connections["replica"]
    conn.close()
    saved = conn.settings_dict["HOST"], conn.settings_dict["PORT"]
    conn.settings_dict["HOST"], conn.settings_dict["PORT"] = "127.0.0.1", "1"
    try:
        yield
    finally:
        conn.close()
        conn.settings_dict["HOST"], conn.settings_dict["PORT"] = saved


@pytest.fixture
def published(world):
    return make_innovation(world.pekanbaru, name="Layanan Akta Keliling", summary="Akta untuk warga desa.")


def _queries(client_call):
    with (
        CaptureQueriesContext(connections["replica"]) as on_replica,
        CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as on_primary,
    ):
        response = client_call()
    return response, len(on_replica), len(on_primary)


def test_anonymous_pages_read_from_the_replica(replica_on, published, client):
    for url in (
        published.get_absolute_url(),
        reverse("innovations:list"),
        reverse("innovations:list") + "?q=akta",  # raw SQL of search too
        reverse("statistics"),
        reverse("home"),
        reverse("hub_detail", kwargs={"slug": "riau"}),
        reverse("replication:public_list"),
    ):
        response, on_replica, on_primary = _queries(lambda url=url: client.get(url))
        assert response.status_code == 200, url
        assert on_replica > 0 and on_primary == 0, (url, on_replica, on_primary)
    assert "Layanan Akta Keliling" in client.get(reverse("innovations:list") + "?q=akta").content.decode()


def test_signed_in_users_and_writes_use_the_primary(replica_on, published, world, client):
    client.force_login(world.staff_pekanbaru)
    response, on_replica, on_primary = _queries(lambda: client.get(published.get_absolute_url()))
    assert response.status_code == 200 and on_replica == 0 and on_primary > 0
    client.logout()
    response, on_replica, _ = _queries(
        lambda: client.post(reverse("password_reset"), {"email": "staff_pekanbaru@example.id"})
    )
    assert response.status_code == 302 and on_replica == 0


def test_without_a_replica_everything_uses_the_primary(published, client):
    response, on_replica, on_primary = _queries(lambda: client.get(published.get_absolute_url()))
    assert response.status_code == 200 and on_replica == 0 and on_primary > 0


def test_reads_inside_a_transaction_stay_on_the_primary(replica_on, published):
    with replica.replica_reads():
        assert replica.read_alias() == "replica"
        with transaction.atomic():
            assert replica.read_alias() == DEFAULT_DB_ALIAS
            assert Innovation.objects.filter(pk=published.pk).exists()
    assert replica.read_alias() == DEFAULT_DB_ALIAS  # outside a marked request


def test_a_failing_replica_is_replaced_by_the_primary(replica_on, published, client, caplog):
    with replica_down():
        response = client.get(published.get_absolute_url())
    assert response.status_code == 200
    assert "Layanan Akta Keliling" in response.content.decode()
    assert "replica unavailable" in caplog.text


def test_a_page_rendered_from_the_replica_just_after_a_change_is_cached_briefly(
    replica_on, published, client, settings, monkeypatch
):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 300
    stored = []
    real_set = middleware.cache.set
    monkeypatch.setattr(
        middleware.cache,
        "set",
        lambda key, value, timeout=None: stored.append(timeout) or real_set(key, value, timeout),
    )
    page_cache.content_changed()  # a change a moment ago: the replica may not have it yet
    client.get(published.get_absolute_url())
    assert stored[-1] == settings.REPLICA_MAX_LAG_SECONDS
    monkeypatch.setattr(page_cache, "version_age", lambda version: 60.0)  # the change was a minute ago
    client.get(published.get_absolute_url() + "?later=1")
    assert stored[-1] == 300  # long after the change: the usual lifetime


def test_version_age():
    version = page_cache._new_version()
    assert 0 <= page_cache.version_age(version) < 5
    assert page_cache.version_age("0123abcd") == float("inf")  # a version from before versions had a time


def test_readiness_reports_the_replica_without_depending_on_it(replica_on, client):
    assert client.get("/readyz").json() == {"status": "ok", "database": "ok", "cache": "ok", "replica": "ok"}
    with replica_down():
        response = client.get("/readyz")
    assert response.status_code == 200 and response.json()["replica"] == "unavailable"
