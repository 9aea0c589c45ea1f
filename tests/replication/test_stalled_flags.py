"""The daily stalled-request flags (replication.tasks.flag_stalled_requests): once per stall, to the
hub's officers and the parties, recorded on the request and in its history."""

import datetime

import pytest
from django.utils import timezone

from jipp.models import AuditEntry
from replication import services
from replication.models import ReplicationRequest
from replication.rules import STALLED_AFTER
from replication.tasks import flag_stalled_requests

S = ReplicationRequest.Status
DAY = datetime.timedelta(days=1)


def _flags(req):
    return list(AuditEntry.for_object(req).filter(action="stalled"))


@pytest.fixture
def later():
    """A moment just past the stall threshold of a request made now."""
    return timezone.now() + STALLED_AFTER + DAY


def test_stalled_request_is_flagged_once_to_hub_and_requester(
    world, req, later, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert services.flag_stalled_requests(now=later - 2 * DAY) == []  # not stalled yet
        assert services.flag_stalled_requests(now=later) == [req.pk]
    req.refresh_from_db()
    assert req.stall_flagged_at == later
    [entry] = _flags(req)
    assert entry.actor is None and entry.from_state == entry.to_state == S.INTEREST
    assert "31" in entry.comment
    recipients = sorted(address for message in mailoutbox for address in message.to)
    # The Riau hub's officer, the requesting staff and the contact person; not the origin agency yet.
    assert recipients == sorted(["officer_riau@example.id", "staff_pekanbaru@example.id", "dewi@example.id"])
    assert all("Stalled" in m.subject or "Macet" in m.subject for m in mailoutbox)
    body = mailoutbox[0].body
    assert "https://" in body or "http://" in body

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.flag_stalled_requests(now=later + 5 * DAY) == []  # the same stall: no repeat
    assert mailoutbox == []
    assert len(_flags(req)) == 1


def test_activity_ends_the_stall_and_a_new_stall_is_flagged_again(
    world, req, later, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.flag_stalled_requests(now=later)
        req.approve(by=world.officer_riau, reason="Lanjut", now=later + DAY)
        assert services.flag_stalled_requests(now=later + 2 * DAY) == []
        mailoutbox.clear()
        second = later + DAY + STALLED_AFTER + DAY
        assert services.flag_stalled_requests(now=second) == [req.pk]
    assert len(_flags(req)) == 2
    # Approved: now the origin agency hears of it too.
    recipients = {address for message in mailoutbox for address in message.to}
    assert "staff_denpasar@example.id" in recipients


def test_closed_requests_are_never_flagged(world, req, later, mailoutbox):
    req.withdraw(by=world.staff_pekanbaru)
    assert services.flag_stalled_requests(now=later) == []


def test_the_job_reads_its_tick_as_now(world, req, later, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert flag_stalled_requests(timestamp=int((later - 2 * DAY).timestamp())) == 0
        assert flag_stalled_requests(timestamp=int(later.timestamp())) == 1
    assert len(_flags(req)) == 1


def test_flag_appears_in_the_request_history(world, req, later, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.flag_stalled_requests(now=later)
    client.force_login(world.officer_riau)
    response = client.get(req.get_absolute_url())
    assert response.status_code == 200
    assert "Flagged as stalled" in response.content.decode() or "macet" in response.content.decode().lower()
