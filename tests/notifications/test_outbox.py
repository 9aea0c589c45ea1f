"""The outbox: messages are rows written in the transaction of the change, sent by the worker after
the commit, retried without ever being sent twice (issue 13)."""

import datetime
import threading

import pytest
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone
from procrastinate.contrib.django.models import ProcrastinateJob

from innovations import services
from jipp.notifications import delivery
from jipp.notifications.models import Kind, MailState, Notification
from tests.innovations.conftest import make_innovation
from tests.notifications.backends import Switch


@pytest.fixture
def worker_mode(settings):
    settings.NOTIFICATIONS_DELIVERY = "worker"
    return settings


@pytest.fixture
def controlled(settings):
    settings.EMAIL_BACKEND = "tests.notifications.backends.ControlledBackend"
    Switch.mode = "ok"
    yield Switch
    Switch.mode = "ok"


def _submitted(world):
    innovation = make_innovation(world.pekanbaru, status="submitted")
    innovation.submitted_by = world.staff_pekanbaru
    innovation.submitted_at = timezone.now()
    innovation.save(update_fields=["submitted_by", "submitted_at"])
    return innovation


def _publish(world, innovation):
    return services.publish(innovation_id=innovation.pk, by=world.officer_riau, version=innovation.version)


def test_a_decision_writes_its_message_and_its_job_in_its_own_transaction(world, worker_mode):
    innovation = _submitted(world)
    jobs_before = ProcrastinateJob.objects.filter(task_name="notifications.deliver").count()
    _publish(world, innovation)
    (row,) = Notification.objects.filter(recipient=world.staff_pekanbaru)
    assert row.kind == Kind.RECORDS and row.mail_state == MailState.PENDING
    assert row.about_id == innovation.pk and row.url == f"/ruang-kerja/inovasi/{innovation.pk}/"
    assert row.subject.startswith("Diterbitkan") or innovation.name in row.subject
    job = ProcrastinateJob.objects.filter(task_name="notifications.deliver").order_by("-id").first()
    assert ProcrastinateJob.objects.filter(task_name="notifications.deliver").count() == jobs_before + 1
    assert job.args == {"notification_id": row.pk}
    assert mail.outbox == []  # nothing is sent by the request itself


def test_a_rolled_back_change_sends_nothing_and_queues_nothing(world, worker_mode):
    innovation = _submitted(world)
    jobs_before = ProcrastinateJob.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        _publish(world, innovation)
        assert Notification.objects.filter(recipient=world.staff_pekanbaru).exists()
        raise RuntimeError("something later in the same transaction fails")
    assert not Notification.objects.exists()
    assert ProcrastinateJob.objects.count() == jobs_before
    assert delivery.deliver_due() == {"sent": 0, "failed": 0, "skipped": 0}
    assert mail.outbox == []


def test_delivery_sends_once_with_the_rows_message_id_and_unsubscribe_headers(world, worker_mode, controlled):
    _publish(world, _submitted(world))
    row = Notification.objects.get(recipient=world.staff_pekanbaru)
    assert delivery.deliver(row.pk) == delivery.SENT
    assert delivery.deliver(row.pk) == delivery.SKIPPED  # a retried job after success
    assert delivery.deliver_due()["sent"] == 0
    (message,) = mail.outbox
    row.refresh_from_db()
    assert row.mail_state == MailState.SENT and row.sent_at and row.attempts == 1
    assert (
        message.extra_headers["Message-ID"] == f"<{row.delivery_id}@testserver>"
        or str(row.delivery_id) in message.extra_headers["Message-ID"]
    )
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/pemberitahuan/berhenti/" in message.body and "/ruang-kerja/kotak-masuk/" in message.body


def test_a_mail_server_that_is_down_loses_nothing_and_sends_each_message_once(world, worker_mode, controlled):
    _publish(world, _submitted(world))
    row = Notification.objects.get(recipient=world.staff_pekanbaru)
    now = timezone.now()
    controlled.mode = "down"
    assert delivery.deliver(row.pk, now=now) == delivery.FAILED
    row.refresh_from_db()
    assert row.mail_state == MailState.PENDING and row.attempts == 1
    assert "refused" in row.last_error
    assert row.next_attempt_at == now + datetime.timedelta(seconds=30)
    # Not due yet: the sweep leaves it; a second failure doubles the wait.
    assert delivery.deliver_due(now=now)["sent"] == 0
    assert delivery.deliver_due(now=now + datetime.timedelta(seconds=31))["failed"] == 1
    row.refresh_from_db()
    assert row.next_attempt_at == now + datetime.timedelta(seconds=31 + 60)
    controlled.mode = "ok"
    assert delivery.deliver_due(now=now + datetime.timedelta(minutes=2))["sent"] == 1
    assert delivery.deliver_due(now=now + datetime.timedelta(minutes=5))["sent"] == 0
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert row.mail_state == MailState.SENT and row.attempts == 3


def test_a_timeout_after_the_server_took_the_message_is_never_retried(world, worker_mode, controlled):
    _publish(world, _submitted(world))
    row = Notification.objects.get(recipient=world.staff_pekanbaru)
    controlled.mode = "lost answer"
    assert delivery.deliver(row.pk) == delivery.FAILED
    controlled.mode = "ok"
    assert delivery.deliver(row.pk) == delivery.SKIPPED
    assert delivery.deliver_due(now=timezone.now() + datetime.timedelta(days=1))["sent"] == 0
    assert len(mail.outbox) == 1  # the one the server took: never a second
    row.refresh_from_db()
    assert row.mail_state == MailState.UNCERTAIN and not delivery.retry_due(row.pk)
    assert Notification.objects.inbox_of(world.staff_pekanbaru).filter(pk=row.pk).exists()


def test_gives_up_after_the_last_attempt(world, worker_mode, controlled, settings):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 2
    _publish(world, _submitted(world))
    row = Notification.objects.get(recipient=world.staff_pekanbaru)
    controlled.mode = "down"
    later = timezone.now()
    for _ in range(3):
        later += datetime.timedelta(hours=2)
        delivery.deliver_due(now=later)
    row.refresh_from_db()
    assert row.mail_state == MailState.FAILED and row.attempts == 2 and mail.outbox == []


def test_a_worker_that_died_mid_send_leaves_a_row_that_is_not_sent_again(world, worker_mode, controlled):
    _publish(world, _submitted(world))
    row = Notification.objects.get(recipient=world.staff_pekanbaru)
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    Notification.objects.filter(pk=row.pk).update(mail_state=MailState.SENDING, claimed_at=long_ago)
    assert delivery.deliver_due()["sent"] == 0
    row.refresh_from_db()
    assert row.mail_state == MailState.UNCERTAIN and mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_a_row_being_sent_by_one_worker_is_passed_by_another(world, worker_mode, controlled):
    _publish(world, _submitted(world))
    row = Notification.objects.get(recipient=world.staff_pekanbaru)
    locked, release = threading.Event(), threading.Event()

    def first_worker():
        with transaction.atomic():
            Notification.objects.select_for_update().get(pk=row.pk)
            locked.set()
            release.wait(10)
        connection.close()

    thread = threading.Thread(target=first_worker)
    thread.start()
    locked.wait(10)
    try:
        assert delivery.deliver(row.pk) == delivery.SKIPPED  # SKIP LOCKED: no wait, no second send
    finally:
        release.set()
        thread.join()
    assert delivery.deliver(row.pk) == delivery.SENT
    assert len(mail.outbox) == 1


def test_the_job_raises_for_a_retry_only_while_the_row_waits_for_one(world, worker_mode, controlled):
    from jipp.notifications import tasks

    _publish(world, _submitted(world))
    row = Notification.objects.get(recipient=world.staff_pekanbaru)
    controlled.mode = "down"
    with pytest.raises(delivery.DeliveryFailed):
        tasks.deliver(notification_id=row.pk)
    controlled.mode = "ok"
    Notification.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    tasks.deliver(notification_id=row.pk)
    tasks.deliver(notification_id=row.pk)  # run again (a duplicate job): nothing more
    assert len(mail.outbox) == 1


def test_smtp_backend_knows_when_the_message_may_have_been_accepted():
    from jipp.notifications.smtp import END_OF_DATA, TrackingSMTP

    smtp = TrackingSMTP.__new__(TrackingSMTP)
    assert not smtp.may_be_accepted
    smtp.sock = None
    with pytest.raises(Exception):  # noqa: B017 - no socket: the write fails, the flag is already set
        smtp.send(b"Subject: x\r\n\r\nbody" + END_OF_DATA)
    assert smtp.may_be_accepted
