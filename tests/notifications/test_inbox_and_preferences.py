"""The inbox, preferences with daily digests, the unsubscribe link (issue 13)."""

import datetime
import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jipp.notifications import delivery, unsubscribe
from jipp.notifications.models import (
    ContactOptOut,
    Frequency,
    Kind,
    MailState,
    Notification,
    NotificationSettings,
)
from jipp.notifications.outbox import notify


def _tell(user, n=1, *, kind=Kind.RECORDS, now=None):
    return [
        notify(
            to=user,
            kind=kind,
            template="innovations/email/innovation_decided.txt",
            context={"innovation": None, "published": True, "comment": ""},
            url="/ruang-kerja/",
            now=now,
        )
        for _ in range(n)
    ]


def test_inbox_lists_newest_first_with_keyset_pages_and_a_constant_query_count(world, client):
    _tell(world.staff_pekanbaru, 30)
    _tell(world.staff_siak, 2)  # someone else's: never shown
    client.force_login(world.staff_pekanbaru)
    with CaptureQueriesContext(connection) as first:
        response = client.get(reverse("notifications:inbox"))
    ids = [entry.pk for entry in response.context["entries"]]
    assert len(ids) == 25 and ids == sorted(ids, reverse=True)
    assert response.context["next_cursor"] == ids[-1]
    second = client.get(reverse("notifications:inbox"), {"sebelum": ids[-1]})
    assert len(second.context["entries"]) == 5 and second.context["next_cursor"] is None
    assert 'rel="next"' not in second.content.decode()
    _tell(world.staff_pekanbaru, 30)
    with CaptureQueriesContext(connection) as more:
        client.get(reverse("notifications:inbox"))
    assert len(more) == len(first) <= 12
    assert "OFFSET" not in " ".join(q["sql"] for q in more.captured_queries)


def test_unread_count_in_the_menu_and_mark_read(world, client):
    rows = _tell(world.staff_pekanbaru, 3)
    client.force_login(world.staff_pekanbaru)
    page = client.get(reverse("innovations:workspace")).content.decode()
    assert re.search(r'class="badge">3<', page)
    client.post(reverse("notifications:mark_read", args=[rows[0].pk]))
    rows[0].refresh_from_db()
    assert rows[0].read_at is not None
    assert 'class="badge">2<' in client.get(reverse("notifications:inbox")).content.decode()
    client.post(reverse("notifications:mark_all_read"))
    assert not Notification.objects.inbox_of(world.staff_pekanbaru).unread().exists()
    assert 'class="badge"' not in client.get(reverse("notifications:inbox")).content.decode()
    # Another person's entry is not found, let alone marked.
    other = _tell(world.staff_siak)[0]
    assert client.post(reverse("notifications:mark_read", args=[other.pk])).status_code == 404


def test_the_inbox_entry_shows_the_message_and_links_to_what_it_is_about(world, client):
    (row,) = _tell(world.staff_pekanbaru)
    client.force_login(world.staff_pekanbaru)
    page = client.get(reverse("notifications:detail", args=[row.pk])).content.decode()
    assert row.subject in page and 'href="/ruang-kerja/"' in page


def test_account_mail_is_not_in_the_inbox_and_cannot_be_unsubscribed(world):
    row = notify(
        to=world.staff_pekanbaru,
        kind=Kind.ACCOUNT,
        template="accounts/email/register_existing.txt",
        context={"user": world.staff_pekanbaru, "confirm_url": "", "reset_url": "", "sign_in_url": ""},
    )
    assert not row.in_inbox
    message = delivery.message_of(row)
    assert "List-Unsubscribe" not in message.extra_headers and "/berhenti/" not in message.body
    with pytest.raises(Exception):  # noqa: B017
        unsubscribe.read(unsubscribe.token_for(kind=Kind.ACCOUNT, user=world.staff_pekanbaru))
    # Sent, the row keeps no copy of the secrets it carried.
    assert delivery.deliver(row.pk) == delivery.SENT
    row.refresh_from_db()
    assert row.context == {} and row.mail_state == MailState.SENT


def test_settings_choose_daily_digest_or_off_per_kind(world, client):
    client.force_login(world.staff_pekanbaru)
    response = client.post(
        reverse("notifications:settings"),
        {
            "language": "en",
            "records": "daily",
            "replications": "off",
            "queue": "immediate",
            "followed": "weekly",
        },
    )
    assert response.status_code == 302
    own = NotificationSettings.objects.get(user=world.staff_pekanbaru)
    assert (own.language, own.records, own.replications) == ("en", "daily", "off")
    (daily,) = _tell(world.staff_pekanbaru)
    (off,) = _tell(world.staff_pekanbaru, kind=Kind.REPLICATIONS)
    assert daily.mail_state == MailState.DIGEST and off.mail_state == MailState.NOT_SENT
    assert daily.language == "en" and off.in_inbox
    # Immediately for another kind is not offered for what one follows; forged values are refused.
    bad = client.post(
        reverse("notifications:settings"), {"language": "en", "records": "weekly", "followed": "x"}
    )
    assert bad.status_code == 400


def test_the_daily_digest_gathers_waiting_messages_once_a_day(world, django_capture_on_commit_callbacks):
    NotificationSettings.objects.create(user=world.staff_pekanbaru, records=Frequency.DAILY, language="en")
    morning = timezone.now().replace(hour=1, minute=0)
    _tell(world.staff_pekanbaru, 3, now=morning)
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        (digest,) = delivery.send_digests(now=morning + datetime.timedelta(hours=23))
    assert digest.context["count"] == 3 and not digest.in_inbox
    (message,) = mail.outbox  # inline delivery after the commit (tests) — one email for three
    assert "3 messages" in message.subject and message.body.count("* ") == 3
    assert set(Notification.objects.filter(digest=digest).values_list("mail_state", flat=True)) == {
        MailState.IN_DIGEST
    }
    # Later the same day: one more message waits for tomorrow's digest.
    _tell(world.staff_pekanbaru, now=morning + datetime.timedelta(hours=24))
    assert delivery.send_digests(now=morning + datetime.timedelta(hours=25)) == []
    with django_capture_on_commit_callbacks(execute=True):
        assert len(delivery.send_digests(now=morning + datetime.timedelta(hours=47))) == 1
    assert len(mail.outbox) == 2


def test_one_click_unsubscribe_needs_no_sign_in(world, client):
    (row,) = _tell(world.staff_pekanbaru)
    path = unsubscribe.url_for(row)
    page = client.get(path)
    assert page.status_code == 200 and b"<form" in page.content
    assert "no-store" in page["Cache-Control"]
    # RFC 8058: the mail program posts List-Unsubscribe=One-Click, without a cookie or CSRF token.
    csrf_client = client_class_with_csrf_checks()
    response = csrf_client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert NotificationSettings.objects.get(user=world.staff_pekanbaru).records == Frequency.OFF
    assert csrf_client.post(path).status_code == 200  # twice: the same
    (later,) = _tell(world.staff_pekanbaru)
    assert later.mail_state == MailState.NOT_SENT and later.in_inbox
    assert client.get(path[:-5] + "xxxx/").status_code == 404  # forged


def test_a_contact_without_an_account_can_unsubscribe_too(world, client):
    token = unsubscribe.token_for(kind=Kind.REPLICATIONS, email="Dewi@Example.id")
    client.post(reverse("notifications:unsubscribe", args=[token]))
    assert ContactOptOut.objects.filter(email="dewi@example.id", kind=Kind.REPLICATIONS).exists()
    assert (
        notify(
            email="dewi@example.id",
            kind=Kind.REPLICATIONS,
            template="innovations/email/innovation_decided.txt",
            context={},
        )
        is None
    )


def test_messages_are_written_in_the_recipients_language(world, client):
    NotificationSettings.objects.create(user=world.staff_pekanbaru, language="en")
    NotificationSettings.objects.create(user=world.staff_siak, language="id")
    (english,) = _tell(world.staff_pekanbaru)
    (indonesian,) = _tell(world.staff_siak)
    assert english.subject.startswith("Published") and indonesian.subject.startswith("Terbit")
    assert "Stop emails" in delivery.body_of(english) and "Stop emails" not in delivery.body_of(indonesian)


def client_class_with_csrf_checks():
    from django.test import Client

    return Client(enforce_csrf_checks=True)


def test_the_language_signed_in_with_becomes_the_language_of_messages(world, client):
    from tests.conftest import PASSWORD

    client.cookies["django_language"] = "en"
    client.post(reverse("sign_in"), {"username": "staff_siak", "password": PASSWORD})
    assert NotificationSettings.objects.get(user=world.staff_siak).language == "en"
    (row,) = _tell(world.staff_siak)
    assert row.language == "en" and row.subject.startswith("Published")
