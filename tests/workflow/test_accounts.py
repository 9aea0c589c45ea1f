"""Accounts: signing in and out, throttling, session limits, password reset, access requests and the
appointment of hub officers."""

import re
import time
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from jipp.accounts.models import AccessRequest
from jipp.accounts.views import SESSION_SEEN, SESSION_STARTED
from jipp.models import AuditEntry, Membership
from jipp.notifications.delivery import deliver_due
from tests.conftest import PASSWORD
from tests.workflow.helpers import make_access_request

pytestmark = pytest.mark.django_db


def sign_in(client, username, password=PASSWORD, address="10.0.0.1"):
    return client.post(reverse("sign_in"), {"username": username, "password": password}, REMOTE_ADDR=address)


def test_sign_in_with_user_name_or_email_then_sign_out(world, client):
    response = sign_in(client, "staff_pekanbaru")
    assert response.status_code == 302 and response["Location"] == reverse("innovations:workspace")
    client.post(reverse("sign_out"))
    assert client.get(reverse("innovations:workspace")).status_code == 302
    assert sign_in(client, "staff_pekanbaru@example.id").status_code == 302


def test_sign_out_needs_post(world, client):
    client.force_login(world.staff_pekanbaru)
    assert client.get(reverse("sign_out")).status_code == 405
    assert client.get(reverse("innovations:workspace")).status_code == 200


def test_header_shows_sign_in_or_sign_out(world, client):
    assert reverse("sign_in") in client.get("/").content.decode()
    client.force_login(world.staff_pekanbaru)
    content = client.get("/").content.decode()
    assert reverse("sign_out") in content and reverse("innovations:workspace") in content


@pytest.mark.parametrize("handler", ["database", "cache"])
def test_fifty_failures_lock_the_account_for_every_address(world, client, handler, settings):
    # ops (issue 10 #20): ten failures lock only the name+address pair (tests/ops/test_sign_in_lockout.py);
    # fifty of one name from any addresses lock the name everywhere.
    settings.AXES_HANDLER = f"jipp.ops.ratelimits.SignIn{handler.title()}Handler"
    if handler == "cache":
        settings.CACHES = {
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t"}
        }
    from axes.handlers.proxy import AxesProxyHandler

    AxesProxyHandler.implementation = None  # pick up the handler set for this test
    try:
        for attempt in range(49):
            response = sign_in(client, "staff_pekanbaru", "wrong", address=f"10.0.1.{attempt}")
            assert response.status_code == 200
        response = sign_in(client, "staff_pekanbaru", "wrong", address="10.0.1.99")
        assert response.status_code == 429
        assert 840 <= int(response["Retry-After"]) <= 900
        # Even the right password from a new address is refused while locked.
        response = sign_in(client, "staff_pekanbaru", PASSWORD, address="10.9.9.9")
        assert response.status_code == 429
        assert "_auth_user_id" not in client.session
        # Another account is not affected.
        assert sign_in(client, "staff_siak", PASSWORD, address="10.9.9.8").status_code == 302
    finally:
        from django.core.cache import cache

        cache.clear()
        AxesProxyHandler.implementation = None


def test_thirty_failures_from_one_address_lock_that_address(world, client):
    for attempt in range(30):  # ops (issue 10 #20): any user names; the pair locks at ten
        sign_in(client, f"tebakan{attempt}", "wrong", address="10.0.2.1")
    assert sign_in(client, "staff_pekanbaru", PASSWORD, address="10.0.2.1").status_code == 429
    assert sign_in(client, "staff_pekanbaru", PASSWORD, address="10.0.2.2").status_code == 302


def test_lockout_ends_after_fifteen_minutes(world, client, settings):
    from axes.models import AccessAttempt

    for _ in range(10):
        sign_in(client, "staff_pekanbaru", "wrong")
    assert sign_in(client, "staff_pekanbaru").status_code == 429
    # Fifteen minutes later (moved back in time in the database): signing in works again.
    import datetime

    from django.utils import timezone

    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
    assert sign_in(client, "staff_pekanbaru").status_code == 302


def _age_session(client, *, started_ago, seen_ago):
    session = client.session
    now = int(time.time())
    session[SESSION_STARTED] = now - started_ago
    session[SESSION_SEEN] = now - seen_ago
    session.save()


def test_session_ends_after_thirty_idle_minutes(world, client):
    sign_in(client, "staff_pekanbaru")
    _age_session(client, started_ago=29 * 60, seen_ago=29 * 60)
    assert client.get(reverse("innovations:workspace")).status_code == 200
    _age_session(client, started_ago=40 * 60, seen_ago=31 * 60)
    response = client.get(reverse("innovations:workspace"))
    assert response.status_code == 302 and response["Location"].startswith("/akun/masuk/")
    assert "_auth_user_id" not in client.session


def test_session_ends_twelve_hours_after_signing_in_even_when_active(world, client):
    sign_in(client, "officer_riau")
    _age_session(client, started_ago=12 * 3600 - 60, seen_ago=10)
    assert client.get(reverse("innovations:workspace")).status_code == 200
    _age_session(client, started_ago=12 * 3600 + 1, seen_ago=10)
    assert client.get(reverse("innovations:workspace")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_reset_by_email(world, client):
    response = client.post(reverse("password_reset"), {"email": "staff_pekanbaru@example.id"})
    assert response.status_code == 302
    deliver_due()  # the message is in the outbox; the worker sends it after the commit
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    link = next(line for line in body.splitlines() if "/akun/atur-ulang/" in line)
    path = link[link.index("/akun/") :].strip()
    response = client.get(path, follow=True)
    assert response.status_code == 200
    new = "kata-sandi-baru-yang-panjang"
    response = client.post(response.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert response.status_code == 302
    assert sign_in(client, "staff_pekanbaru", new).status_code == 302


def test_password_change_applies_validators(world, client):
    client.force_login(world.staff_pekanbaru)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "12345", "new_password2": "12345"},
    )
    assert response.status_code == 200 and response.context["form"].errors
    world.staff_pekanbaru.refresh_from_db()
    assert world.staff_pekanbaru.check_password(PASSWORD)


# --- Access requests ---------------------------------------------------------------------------------


def registration(w, **extra):
    return {
        "first_name": "Rina",
        "last_name": "Putri",
        "email": "rina@example.id",
        "username": "rina",
        "password1": "sangat-rahasia-sekali-2026",
        "password2": "sangat-rahasia-sekali-2026",
        "agency": w.pekanbaru.pk,
        "position": "Analis Kebijakan",
        "message": "Atasan: Kepala Bidang.",
        **extra,
    }


def test_agency_search_works_without_javascript_and_keeps_what_was_typed(world, client):
    response = client.post(
        reverse("register"),
        {**registration(world), "agency": "", "agency_query": "pekanbaru", "find_agency": "1"},
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Disdukcapil Kota Pekanbaru" in content and "Disdukcapil Kota Denpasar" not in content
    assert 'value="rina@example.id"' in content and "Analis Kebijakan" in content
    assert "sangat-rahasia" not in content  # passwords are never echoed back
    assert (
        "Disdukcapil Kota Denpasar" in client.get(reverse("register") + "?instansi=denpasar").content.decode()
    )


def test_registration_creates_a_pending_request_and_tells_the_hub(
    world, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("register"), registration(world))
    assert response.status_code == 302 and response["Location"] == reverse("register_sent")
    request = AccessRequest.objects.get(user__email="rina@example.id")
    assert request.status == "pending" and request.agency == world.pekanbaru
    assert not request.user.is_active  # until the address is confirmed
    assert not Membership.objects.filter(user=request.user).exists()  # not vouched for yet
    # Only the person hears of it for now: a link to confirm the address.
    assert [m.to for m in mail.outbox] == [["rina@example.id"]]
    link = re.search(r"https?://\S+/akun/daftar/konfirmasi/\S+/", mail.outbox[0].body).group(0)
    path = urlsplit(link).path
    assert client.get(path).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(path)
    assert response.status_code == 302 and response["Location"] == reverse("innovations:workspace")
    assert [m.to for m in mail.outbox[1:]] == [["officer_riau@example.id"]]
    assert "confirm_email" in AuditEntry.for_object(request).values_list("action", flat=True)
    # The person is signed in and sees the request waiting, but cannot act for the agency.
    assert "Disdukcapil Kota Pekanbaru" in client.get(reverse("innovations:workspace")).content.decode()
    assert client.get(reverse("innovations:innovation_create")).status_code == 403
    # The link works once.
    client.logout()
    assert client.post(path).status_code == 400


def test_registration_with_a_weak_password_keeps_the_form(world, client):
    response = client.post(
        reverse("register"), registration(world, password1="12345678", password2="12345678")
    )
    assert response.status_code == 400
    assert 'value="rina@example.id"' in response.content.decode()
    assert not AccessRequest.objects.exists()


def test_one_pending_request_at_a_time(world, client):
    client.force_login(world.outsider)
    make_access_request(world.outsider, world.siak)
    response = client.post(reverse("register"), {"agency": world.pekanbaru.pk, "position": "Staf"})
    assert response.status_code == 409
    assert AccessRequest.objects.filter(user=world.outsider).count() == 1


def test_officer_approves_and_the_person_can_act(world, client, django_capture_on_commit_callbacks):
    request = make_access_request(world.outsider, world.pekanbaru)
    client.force_login(world.officer_riau)
    assert "outsider" in client.get(reverse("access_request_list")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("access_request_detail", args=[request.pk]), {"decision": "approve"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "approved" and request.decided_by == world.officer_riau
    membership = Membership.objects.get(user=world.outsider, role="staff")
    assert membership.agency == world.pekanbaru and membership.granted_by == world.officer_riau
    assert mail.outbox[-1].to == ["outsider@example.id"]
    assert [e.action for e in AuditEntry.for_object(request)] == ["approve"]
    client.force_login(world.outsider)
    assert client.get(reverse("innovations:innovation_create")).status_code == 200


def test_decline_needs_a_reason_and_grants_nothing(world, client, django_capture_on_commit_callbacks):
    request = make_access_request(world.outsider, world.pekanbaru)
    client.force_login(world.officer_riau)
    response = client.post(
        reverse("access_request_detail", args=[request.pk]), {"decision": "decline", "note": ""}
    )
    assert response.status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("access_request_detail", args=[request.pk]),
            {"decision": "decline", "note": "Tidak terdaftar di dinas."},
        )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "declined"
    assert not Membership.objects.filter(user=world.outsider).exists()
    assert "Tidak terdaftar di dinas." in mail.outbox[-1].body


def test_officer_of_other_hub_cannot_decide(world, client):
    request = make_access_request(world.outsider, world.pekanbaru)
    client.force_login(world.officer_bali)
    assert (
        client.post(reverse("access_request_detail", args=[request.pk]), {"decision": "approve"}).status_code
        == 404
    )
    request.refresh_from_db()
    assert request.status == "pending"


def test_deciding_twice_is_a_conflict(world, client):
    request = make_access_request(world.outsider, world.pekanbaru)
    client.force_login(world.officer_riau)
    client.post(reverse("access_request_detail", args=[request.pk]), {"decision": "approve"})
    response = client.post(
        reverse("access_request_detail", args=[request.pk]), {"decision": "decline", "note": "x"}
    )
    assert response.status_code == 409
    request.refresh_from_db()
    assert request.status == "approved"


def test_ministry_appoints_and_revokes_hub_officers(world, client):
    client.force_login(world.ministry)
    response = client.post(
        reverse("officer_list"),
        {"account": "outsider@example.id", "hub": world.hub_bali.pk, "title": "Anggota"},
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=world.outsider, role="officer")
    assert membership.hub == world.hub_bali and membership.granted_by == world.ministry
    assert AuditEntry.for_object(membership).get().action == "appoint_officer"
    response = client.post(reverse("officer_revoke", args=[membership.pk]))
    assert response.status_code == 302
    membership.refresh_from_db()
    assert not membership.is_active


def test_officers_cannot_appoint_officers(world, client):
    client.force_login(world.officer_riau)
    response = client.post(reverse("officer_list"), {"account": "outsider", "hub": world.hub_riau.pk})
    assert response.status_code == 403
    assert not Membership.objects.filter(user=world.outsider).exists()


@override_settings(LANGUAGE_CODE="en")
def test_workspace_link_only_for_signed_in_people(world, client):
    assert reverse("innovations:workspace") not in client.get("/").content.decode()
    client.force_login(world.outsider)
    assert reverse("innovations:workspace") in client.get("/").content.decode()


def test_throttling_counts_the_client_behind_a_trusted_proxy(settings, rf):
    from jipp.ops.ratelimits import client_address

    request = rf.get("/", REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    settings.JIPP_TRUSTED_PROXY_COUNT = 0
    assert client_address(request) == "10.1.1.1"
    settings.JIPP_TRUSTED_PROXY_COUNT = 1
    assert client_address(request) == "203.0.113.9"  # the forged left entry is ignored


@pytest.mark.parametrize("query", ["%00", "a" * 5000, "%E2%80%AE%27%22<script>", "%ZZ"])
def test_garbage_agency_searches_give_a_normal_page(world, client, query):
    assert client.get(reverse("register") + "?instansi=" + query).status_code == 200
    response = client.post(
        reverse("register"), {"agency_query": "\x00pekan", "find_agency": "1", "agency": "x"}
    )
    assert response.status_code == 200


def test_throttling_counters_are_shared_through_redis_when_it_is_set():
    from tests.jipp.test_settings import STRONG_KEY, _django

    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "from django.core.checks import run_checks; "
        "print(s.AXES_HANDLER, len([m for m in run_checks() if m.id.startswith('axes')]))"
    )
    env = {"SECRET_KEY": STRONG_KEY, "DATABASE_URL": "postgres://u@db/jipp"}
    shared = _django(code, **env, REDIS_URL="redis://127.0.0.1:6379/1")
    plain = _django(code, **env)
    assert shared.stdout.split() == ["jipp.ops.ratelimits.SignInCacheHandler", "0"], shared.stderr
    assert plain.stdout.split() == ["jipp.ops.ratelimits.SignInDatabaseHandler", "0"], plain.stderr


def test_signing_in_to_ones_own_account_does_not_clear_the_address_counter(world, client):
    for attempt in range(15):  # ops (issue 10 #20): the per-address limit is thirty
        sign_in(client, f"tebakan{attempt}", "wrong", address="10.0.3.1")
    assert sign_in(client, "staff_siak", address="10.0.3.1").status_code == 302
    client.post(reverse("sign_out"))
    for attempt in range(15, 30):
        sign_in(client, f"tebakan{attempt}", "wrong", address="10.0.3.1")
    assert sign_in(client, "staff_pekanbaru", address="10.0.3.1").status_code == 429


def test_registration_with_an_impossible_agency_id_is_a_400(world, client):
    response = client.post(reverse("register"), registration(world, agency="99999999999999999999999"))
    assert response.status_code == 400
    response = client.post(
        reverse("register"), {"agency": "99999999999999999999999", "find_agency": "1", "agency_query": "x"}
    )
    assert response.status_code == 200
