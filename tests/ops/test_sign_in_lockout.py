"""Issue 10 #20: failed sign-ins lock the user name + address pair, not the account everywhere, so
nobody can lock a known account from elsewhere; looser limits per name and per address remain; the
429 says how many minutes to wait and sends Retry-After. Both axes handlers (PostgreSQL without
Redis, the cache with it)."""

import datetime

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client, username, password=PASSWORD, address="10.0.0.1"):
    return client.post(reverse("sign_in"), {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.fixture(params=["database", "cache"])
def handler(request, settings):
    from axes.handlers.proxy import AxesProxyHandler

    settings.AXES_HANDLER = f"jipp.ops.ratelimits.SignIn{request.param.title()}Handler"
    AxesProxyHandler.implementation = None
    yield request.param
    cache.clear()
    AxesProxyHandler.implementation = None


def test_ten_failures_lock_only_that_name_from_that_address(world, handler):
    attacker = Client()
    for _ in range(9):
        assert sign_in(attacker, "staff_pekanbaru", "wrong", address="203.0.113.7").status_code == 200
    locked = sign_in(attacker, "staff_pekanbaru", "wrong", address="203.0.113.7")
    assert locked.status_code == 429
    assert 840 <= int(locked["Retry-After"]) <= 900
    assert locked["Cache-Control"] == "no-store"
    # Even the right password from that address waits...
    assert sign_in(attacker, "staff_pekanbaru", PASSWORD, address="203.0.113.7").status_code == 429
    # ...but the owner, from their own address, signs in: the attacker cannot lock them out.
    owner = sign_in(Client(), "staff_pekanbaru", PASSWORD, address="10.20.30.40")
    assert owner.status_code == 302
    # Another name from the attacker's address is not locked either (per-address limit is looser).
    assert sign_in(Client(), "staff_siak", PASSWORD, address="203.0.113.7").status_code == 302


def test_the_locked_out_page_says_how_many_minutes_in_both_languages(world, handler):
    client = Client()
    for _ in range(10):
        sign_in(client, "staff_pekanbaru", "wrong")
    client.cookies["django_language"] = "en"
    english = sign_in(client, "staff_pekanbaru")
    html = english.content.decode()
    assert english.status_code == 429 and '<html lang="en">' in html and html.count("<h1") == 1
    assert "Please try again in 15 minutes." in html
    client.cookies["django_language"] = "id"
    indonesian = sign_in(client, "staff_pekanbaru")
    assert '<html lang="id">' in indonesian.content.decode()
    assert "15" in indonesian.content.decode()


def test_fifty_failures_of_one_name_from_many_addresses_lock_the_name(world, handler):
    client = Client()
    for attempt in range(49):
        assert sign_in(client, "staff_pekanbaru", "wrong", address=f"10.1.{attempt}.1").status_code == 200
    assert sign_in(client, "staff_pekanbaru", "wrong", address="10.1.99.1").status_code == 429
    assert sign_in(client, "staff_pekanbaru", PASSWORD, address="10.1.100.1").status_code == 429


def test_the_wait_shown_is_what_is_left(world):
    from axes.models import AccessAttempt

    client = Client()
    for _ in range(10):
        sign_in(client, "staff_pekanbaru", "wrong")
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=11))
    response = sign_in(client, "staff_pekanbaru")
    assert response.status_code == 429
    assert 180 <= int(response["Retry-After"]) <= 240
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
    assert sign_in(client, "staff_pekanbaru").status_code == 302
