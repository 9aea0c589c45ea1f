"""Re-confirmation reminders (innovations.tasks.send_reconfirmation_reminders): one email to the owning
agency's staff per due period, recorded, never a daily repeat."""

import datetime

import pytest
from django.utils import timezone

from innovations import services
from innovations.models import Innovation, ReconfirmationReminder
from innovations.rules import CONFIRMATION_INTERVAL_DAYS
from innovations.tasks import send_reconfirmation_reminders
from jipp.models import Membership
from tests.conftest import make_user
from tests.replication.factories import make_innovation

YEAR = datetime.timedelta(days=CONFIRMATION_INTERVAL_DAYS)


@pytest.fixture
def confirmed_long_ago(world):
    """Two published records of Pekanbaru confirmed 400 days ago, one of Siak confirmed recently."""
    today = timezone.localdate()
    old = today - datetime.timedelta(days=400)
    first = make_innovation(world.pekanbaru, name="Akta Kilat", slug="akta-kilat", last_confirmed_on=old)
    second = make_innovation(world.pekanbaru, name="Kartu Anak", slug="kartu-anak", last_confirmed_on=old)
    fresh = make_innovation(world.siak, name="Izin Cepat", slug="izin-cepat", last_confirmed_on=today)
    return first, second, fresh


def _send(**kwargs):
    return services.send_reconfirmation_reminders(**kwargs)


def test_one_email_per_agency_names_its_due_records(
    world, confirmed_long_ago, mailoutbox, django_capture_on_commit_callbacks
):
    first, second, fresh = confirmed_long_ago
    second_staff = make_user("staff_pekanbaru_2")
    Membership.objects.create(user=second_staff, role="staff", agency=world.pekanbaru)
    with django_capture_on_commit_callbacks(execute=True):
        assert _send() == {world.pekanbaru.pk: 2}
    # One message to each staff member (addresses are never shown to each other).
    assert sorted(m.to[0] for m in mailoutbox) == [
        "staff_pekanbaru@example.id",
        "staff_pekanbaru_2@example.id",
    ]
    message = mailoutbox[0]
    assert "Akta Kilat" in message.body and "Kartu Anak" in message.body and "Izin Cepat" not in message.body
    assert "2" in message.subject and world.pekanbaru.name in message.subject
    assert f"/ruang-kerja/inovasi/{first.pk}/" in message.body
    reminders = {r.innovation_id: r for r in ReconfirmationReminder.objects.all()}
    assert set(reminders) == {first.pk, second.pk}
    assert reminders[first.pk].confirmed_on == first.last_confirmed_on


def test_no_repeat_in_the_same_due_period(
    world, confirmed_long_ago, mailoutbox, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        _send(today=today)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        for days in range(1, 40):  # a daily job for weeks: nothing more
            assert _send(today=today + datetime.timedelta(days=days)) == {}
    assert mailoutbox == []


def test_confirmed_records_are_reminded_again_when_they_fall_due_anew(
    world, confirmed_long_ago, mailoutbox, django_capture_on_commit_callbacks
):
    first, second, _fresh = confirmed_long_ago
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        _send(today=today)
        services.reconfirm(innovation_id=first.pk, by=world.staff_pekanbaru, version=first.version)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert _send(today=today + datetime.timedelta(days=30)) == {}  # confirmed: not due
        a_year_on = today + YEAR + datetime.timedelta(days=1)
        # Siak's record, confirmed today, falls due then too.
        assert _send(today=a_year_on) == {world.pekanbaru.pk: 1, world.siak.pk: 1}
    [message] = [m for m in mailoutbox if m.to == ["staff_pekanbaru@example.id"]]
    assert "Akta Kilat" in message.body and "Kartu Anak" not in message.body


def test_never_confirmed_published_records_are_reminded_once(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    record = make_innovation(world.denpasar, name="Lama", slug="lama")
    Innovation.objects.filter(pk=record.pk).update(
        last_confirmed_on=None, published_at=timezone.now() - datetime.timedelta(days=500)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert _send() == {world.denpasar.pk: 1}
        assert _send() == {}
    assert [m.to for m in mailoutbox] == [["staff_denpasar@example.id"]]


def test_agency_without_staff_waits_until_it_has_some(world, mailoutbox, django_capture_on_commit_callbacks):
    old = timezone.localdate() - datetime.timedelta(days=400)
    make_innovation(world.siak, name="Izin Lama", slug="izin-lama", last_confirmed_on=old)
    Membership.objects.filter(agency=world.siak).update(is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert _send() == {}
        Membership.objects.filter(agency=world.siak).update(is_active=True)
        assert _send() == {world.siak.pk: 1}
    assert len(mailoutbox) == 1


def test_drafts_and_archived_records_are_not_reminded(world, mailoutbox):
    old = timezone.localdate() - datetime.timedelta(days=400)
    make_innovation(world.pekanbaru, name="Draf", slug="draf", status="draft", last_confirmed_on=old)
    make_innovation(world.pekanbaru, name="Arsip", slug="arsip", status="archived", last_confirmed_on=old)
    assert _send() == {}


def test_the_job_reads_its_tick_as_now(world, confirmed_long_ago, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reconfirmation_reminders(timestamp=int(timezone.now().timestamp())) == 2
        assert send_reconfirmation_reminders(timestamp=int(timezone.now().timestamp())) == 0


def test_query_count_does_not_grow_with_records(world, django_assert_max_num_queries):
    old = timezone.localdate() - datetime.timedelta(days=400)
    for n in range(30):
        make_innovation(world.pekanbaru, name=f"Rekam {n}", slug=f"rekam-{n}", last_confirmed_on=old)
    with django_assert_max_num_queries(12):
        assert _send() == {world.pekanbaru.pk: 30}
