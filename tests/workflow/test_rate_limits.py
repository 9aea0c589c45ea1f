"""Rate limits (jipp.ops.ratelimits): what sends email or streams whole tables is refused with a clear 429
once a client asks too often, counted per client address (and per email address for resets), and
nothing else is affected. The counters live in the default cache; tests/conftest.py empties it per
test, and bench/faults/two_servers.py shows them shared across app servers through Redis."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from rest_framework.throttling import SimpleRateThrottle

from jipp.accounts.models import AccessRequest
from jipp.notifications.delivery import deliver_due

from .test_accounts import registration


@pytest.fixture
def low_limits(settings):
    settings.JIPP_RATE_LIMITS = {
        **settings.JIPP_RATE_LIMITS,
        "password-reset": "4/h",
        "password-reset-email": "2/h",
        "register": "2/h",
        "export": "2/h",
    }


def _refused(response):
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response["Cache-Control"] == "no-store"
    assert "Too many requests" in response.content.decode() or "Terlalu banyak" in response.content.decode()


def test_password_reset_emails_are_limited_per_email_address(world, client, low_limits):
    email = {"email": "staff_pekanbaru@example.id"}
    assert [client.post(reverse("password_reset"), email).status_code for _ in range(2)] == [302, 302]
    _refused(client.post(reverse("password_reset"), email))
    deliver_due()  # what the worker does after the commits
    assert len(mail.outbox) == 2  # the refused request sent nothing
    # The same address in other letter case is the same inbox.
    _refused(client.post(reverse("password_reset"), {"email": "Staff_Pekanbaru@Example.ID"}))
    # Another person's reset still goes out, and the form itself still shows.
    assert client.post(reverse("password_reset"), {"email": "staff_siak@example.id"}).status_code == 302
    assert client.get(reverse("password_reset")).status_code == 200
    deliver_due()
    assert len(mail.outbox) == 3


def test_password_resets_are_limited_per_client_address(world, client, low_limits):
    emails = [f"someone{i}@example.id" for i in range(4)]
    assert {client.post(reverse("password_reset"), {"email": e}).status_code for e in emails} == {302}
    _refused(client.post(reverse("password_reset"), {"email": "staff_siak@example.id"}))
    deliver_due()
    assert mail.outbox == []  # none of those addresses has an account; the refusal says nothing either way
    other = client.post(
        reverse("password_reset"), {"email": "staff_siak@example.id"}, REMOTE_ADDR="203.0.113.7"
    )
    deliver_due()
    assert other.status_code == 302 and len(mail.outbox) == 1


def test_the_limit_follows_the_address_the_trusted_proxy_reports(world, client, low_limits, settings):
    settings.JIPP_TRUSTED_PROXY_COUNT = 1
    for i in range(4):
        client.post(
            reverse("password_reset"), {"email": f"x{i}@example.id"}, HTTP_X_FORWARDED_FOR="198.51.100.1"
        )
    # A forged left-hand entry does not give a fresh counter; another real client has its own.
    _refused(
        client.post(
            reverse("password_reset"), {"email": "y@example.id"}, HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.1"
        )
    )
    fresh = client.post(
        reverse("password_reset"), {"email": "y@example.id"}, HTTP_X_FORWARDED_FOR="198.51.100.2"
    )
    assert fresh.status_code == 302


def test_registrations_are_limited_but_finding_an_agency_is_not(world, client, low_limits):
    find = {**registration(world), "agency": "", "agency_query": "pekanbaru", "find_agency": "1"}
    assert {client.post(reverse("register"), find).status_code for _ in range(5)} == {200}
    weak = registration(world, password1="12345678", password2="12345678")
    assert client.post(reverse("register"), weak).status_code == 400
    assert client.post(reverse("register"), registration(world, email="rina1@example.id")).status_code == 302
    _refused(client.post(reverse("register"), registration(world, email="r2@example.id")))
    assert list(AccessRequest.objects.values_list("user__email", flat=True)) == ["rina1@example.id"]


def test_registration_emails_to_one_address_are_limited(world, client, low_limits, settings):
    settings.JIPP_RATE_LIMITS = {**settings.JIPP_RATE_LIMITS, "register": "20/h"}
    for _ in range(2):
        assert client.post(reverse("register"), registration(world)).status_code == 302
    _refused(client.post(reverse("register"), registration(world)))
    assert AccessRequest.objects.count() == 1


@pytest.mark.parametrize(
    "url",
    [
        "innovations:export_csv",
        "innovations:export_json",
        "innovations:export_xlsx",
        "innovations:agencies_csv",
        "replication:export_csv",
        "replication:export_json",
        "replication:export_xlsx",
    ],
)
def test_full_downloads_are_limited(world, client, low_limits, url):
    assert [client.get(reverse(url)).status_code for _ in range(2)] == [200, 200]
    _refused(client.get(reverse(url)))
    # Browsing is not counted against downloads.
    assert client.get(reverse("innovations:list")).status_code == 200


def test_every_api_endpoint_is_throttled(world, client, monkeypatch):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "2/min"})
    for name in (
        "api:replication_list",
        "api:agency_list",
        "api:hub_list",
        "api:statistics_list",
        "api:root",
    ):
        cache.clear()
        assert [client.get(reverse(name)).status_code for _ in range(2)] == [200] * 2, name
        refused = client.get(reverse(name))
        assert refused.status_code == 429 and int(refused["Retry-After"]) > 0, name


def test_the_innovation_api_is_throttled_with_retry_after(world, client, monkeypatch):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/min"})
    url = reverse("api:innovation_list")
    assert [client.get(url).status_code for _ in range(3)] == [200] * 3
    refused = client.get(url)
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert client.get(url, REMOTE_ADDR="203.0.113.8").status_code == 200


def test_the_refusal_is_translated(world, client, low_limits):
    for _ in range(2):
        client.get(reverse("innovations:export_csv"))
    indonesian = client.get(reverse("innovations:export_csv"), headers={"accept-language": "id"})
    english = client.get(reverse("innovations:export_csv"), headers={"accept-language": "en"})
    assert "Terlalu banyak permintaan" in indonesian.content.decode()
    assert "Too many requests" in english.content.decode()


def test_a_cache_outage_lets_requests_through(world, client, low_limits, monkeypatch):
    from django.core.cache import cache

    monkeypatch.setattr(cache, "add", lambda *a, **k: None)
    monkeypatch.setattr(cache, "incr", lambda *a, **k: None)
    assert {client.get(reverse("innovations:export_csv")).status_code for _ in range(4)} == {200}
