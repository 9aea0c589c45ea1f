"""The public page cache: anonymous pages from the cache, fresh after a change, never for signed-in
users, and every public page the same whether served fresh or from the cache."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jipp.models import Hub
from jipp.ops import cache as page_cache
from jipp.ops import health
from tests.test_authz_matrix import ALL_CASES

pytestmark = pytest.mark.usefixtures("page_cache")

CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"')


def _public_get_cases():
    return [c for c in ALL_CASES if c.method == "get" and c.expect["anonymous"] == 200]


def test_anonymous_page_is_stored_then_served_from_the_cache(world, client, django_assert_num_queries):
    url = reverse("hub_detail", kwargs={"slug": world.hub_riau.slug})
    first = client.get(url)
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second["X-Page-Cache"] == "hit"
    assert CSRF.sub(b"", second.content) == CSRF.sub(b"", first.content)
    assert "Cookie" in second["Vary"]


def test_saving_a_record_invalidates_cached_pages(world, client):
    url = reverse("hub_detail", kwargs={"slug": world.hub_riau.slug})
    client.get(url)
    hub = Hub.objects.get(pk=world.hub_riau.pk)
    hub.description = "Pendampingan replikasi di seluruh kabupaten Riau"
    hub.save(update_fields=["description"])
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "Pendampingan replikasi di seluruh kabupaten Riau" in response.content.decode()


def test_bulk_update_is_invalidated_by_content_changed(world, client):
    url = reverse("hub_detail", kwargs={"slug": world.hub_riau.slug})
    client.get(url)
    Hub.objects.filter(pk=world.hub_riau.pk).update(description="Diperbarui lewat update()")
    assert client.get(url)["X-Page-Cache"] == "hit"  # update() sends no signal...
    page_cache.content_changed()  # ...so bulk writes call this
    assert "Diperbarui lewat update()" in client.get(url).content.decode()


def _publish(innovation, by):
    if hasattr(innovation, "publish"):
        try:
            innovation.publish(by=by)
            return
        except TypeError:
            pass
    innovation.status = "published"
    innovation.published_at = timezone.now()
    innovation.save(update_fields=["status", "published_at"])


def test_publishing_an_innovation_shows_it_on_cached_public_pages(world, client):
    from innovations.models import Innovation

    innovation = Innovation.objects.create(
        name="Kartu Identitas Anak Keliling Pekanbaru",
        slug="kia-keliling-pekanbaru",
        agency=world.pekanbaru,
        summary="Layanan KIA keliling ke sekolah.",
        form="public_service",
        kind="non_digital",
        sector="population",
        stage="implemented",
        initiator="agency",
        started_on=timezone.localdate(),
    )
    pages = [reverse("home"), reverse("innovations:agency_detail", kwargs={"slug": world.pekanbaru.slug})]
    pages.append(reverse("innovations:list"))
    before = {url: client.get(url) for url in pages}
    assert all(r.status_code == 200 for r in before.values())
    assert all(client.get(url)["X-Page-Cache"] == "hit" for url in pages)

    _publish(innovation, by=world.officer_riau)

    for url in pages:
        after = client.get(url)
        assert after["X-Page-Cache"] == "miss", url
    assert innovation.name in client.get(innovation.get_absolute_url()).content.decode()


def test_signed_in_user_is_never_served_a_cached_page(world, client):
    url = reverse("hub_detail", kwargs={"slug": world.hub_riau.slug})
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    client.force_login(world.staff_pekanbaru)
    response = client.get(url)
    assert response.status_code == 200
    assert "X-Page-Cache" not in response
    assert b"staff_pekanbaru" not in Client().get(url).content


def test_page_rendered_for_a_signed_in_user_is_never_stored(world, client):
    url = reverse("hub_list")
    client.force_login(world.officer_riau)
    client.get(url)
    client.get(url)
    anonymous = Client().get(url)
    assert anonymous["X-Page-Cache"] == "miss"


def test_each_visitor_gets_a_working_csrf_token_from_a_cached_page(world, settings):
    settings.ROOT_URLCONF = "tests.ops.csrf_urls"
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.get("/formulir/")
    page = second.get("/formulir/")
    assert page["X-Page-Cache"] == "hit"
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.content).group(1).decode()
    assert "csrftoken" in page.cookies  # the visitor's own secret, set on the cached response
    assert second.post("/formulir/", {"csrfmiddlewaretoken": token}).status_code == 200
    # The first visitor's token is not the one served to the second.
    first_token = re.search(rb'value="([^"]+)"', first.get("/formulir/").content).group(1).decode()
    assert first_token != token


def test_languages_are_cached_separately(world, client):
    client.get("/", headers={"accept-language": "id"})
    english = client.get("/", headers={"accept-language": "en"})
    assert english["X-Page-Cache"] == "miss"
    assert english["Content-Language"] == "en"


def test_matching_etag_gets_304(world, client):
    client.get("/")
    etag = client.get("/")["ETag"]
    assert client.get("/", headers={"if-none-match": etag}).status_code == 304


def test_never_cache_views_are_not_stored(world, client):
    client.get("/healthz")
    assert "X-Page-Cache" not in client.get("/healthz")


def test_invalidation_registers_no_after_commit_work(world, django_capture_on_commit_callbacks):
    """Domain code counts its own on_commit callbacks (emails); the cache must not add any."""
    before = page_cache.content_version()
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        Hub.objects.get(pk=world.hub_riau.pk).save()
    assert page_cache.content_version() != before
    assert callbacks == []


@pytest.mark.parametrize("case", _public_get_cases(), ids=lambda c: c.id)
def test_every_public_page_is_the_same_from_the_cache(case, world, client):
    url = reverse(case.name, kwargs=case.kwargs(world)) + (f"?{case.query}" if case.query else "")
    fresh = client.get(url)
    again = client.get(url)
    assert again.status_code == fresh.status_code == 200
    if fresh.get("X-Page-Cache") == "miss":
        assert again["X-Page-Cache"] == "hit"
        assert CSRF.sub(b"", again.content) == CSRF.sub(b"", fresh.content)
        assert again["Content-Type"] == fresh["Content-Type"]


def test_a_signed_in_users_write_request_invalidates_even_without_a_signal(world, client, settings):
    settings.ROOT_URLCONF = "tests.ops.csrf_urls"
    url = reverse("hub_detail", kwargs={"slug": world.hub_riau.slug})
    client.get(url)
    Hub.objects.filter(pk=world.hub_riau.pk).update(description="Diubah oleh layanan")
    staff = Client()
    staff.force_login(world.officer_riau)
    assert staff.post("/formulir/").status_code == 200  # any successful signed-in write
    assert "Diubah oleh layanan" in client.get(url).content.decode()


def test_anonymous_write_requests_cannot_flush_the_cache(world, client, settings):
    settings.ROOT_URLCONF = "tests.ops.csrf_urls"
    url = reverse("hub_detail", kwargs={"slug": world.hub_riau.slug})
    client.get(url)
    assert Client().post("/formulir/").status_code == 200
    assert client.get(url)["X-Page-Cache"] == "hit"


def test_saving_framework_records_does_not_invalidate(world):
    from django.contrib.sessions.backends.db import SessionStore

    before = page_cache.content_version()
    session = SessionStore()
    session["x"] = 1
    session.save()
    assert page_cache.content_version() == before


def test_workers_warm_up_without_touching_the_database():
    health.warm_up()  # no db fixture: pytest-django raises on any database access


def test_the_master_freezes_what_it_loaded_before_forking_workers():
    """gunicorn.conf.py's when_ready: warmed up, then gc.freeze(), so the workers' collector never
    walks (or writes to the shared pages of) what the master loaded."""
    import gc
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "gunicorn_conf", Path(settings.BASE_DIR) / "gunicorn.conf.py"
    )
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    assert conf.preload_app
    gc.unfreeze()
    try:
        conf.when_ready(None)
        assert gc.get_freeze_count() > 10000
    finally:
        gc.unfreeze()


def test_tracking_parameters_do_not_split_the_cache_but_real_ones_do(world, client):
    url = reverse("innovations:list")
    assert client.get(url, {"sector": "health"})["X-Page-Cache"] == "miss"
    shared = client.get(url, {"sector": "health", "utm_source": "whatsapp", "fbclid": "abc123"})
    assert shared["X-Page-Cache"] == "hit"
    assert client.get(url, {"sector": "education"})["X-Page-Cache"] == "miss"
    # An encoded "&" in a value is part of the value, never a second parameter.
    assert client.get(url + "?q=a%26sector%3Dhealth")["X-Page-Cache"] == "miss"
    assert client.get(url + "?q=a&sector=health")["X-Page-Cache"] == "miss"


def test_a_query_string_with_too_many_parameters_is_a_400_not_a_500(world, client):
    many = "&".join(f"p{i}=1" for i in range(1200))
    assert client.get(reverse("home") + "?" + many).status_code == 400


def test_tracking_parameters_are_never_rendered_into_a_cached_page(world, client):
    """Issue 10 #16: the first visitor's utm_* values must not reach the page everyone is served (the
    language switch's next= is rendered from the request's path and query)."""
    url = reverse("hub_detail", kwargs={"slug": "riau"})
    first = client.get(url, {"utm_source": "racun", "utm_campaign": "iklan", "gclid": "x1"})
    assert first["X-Page-Cache"] == "miss"
    later = Client().get(url)
    assert later["X-Page-Cache"] == "hit"
    for response in (first, later):
        html = response.content.decode()
        assert "racun" not in html and "iklan" not in html and "x1" not in html
        assert f'name="next" value="{url}"' in html
    # Real parameters stay, and the tracking ones beside them go.
    listing = client.get(reverse("innovations:list"), {"sector": "health", "utm_medium": "racun"}).content
    assert b"racun" not in listing and b"sector=health" in listing
