"""Each rule is written once and reads the same in SQL and in memory: re-confirmation due, stalled."""

import datetime

import pytest
from django.utils import timezone

from innovations import rules
from innovations.models import Innovation
from replication.models import ReplicationRequest
from tests.replication.factories import make_innovation as make_source
from tests.replication.factories import make_request

TODAY = datetime.date(2026, 6, 15)


def _local(day, hour=0, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def test_reconfirmation_due_reads_the_same_in_sql_and_in_memory(world, make):
    cutoff = TODAY - datetime.timedelta(days=rules.CONFIRMATION_INTERVAL_DAYS)
    cases = {
        # never confirmed: by the local day of publication
        "published the day before the cutoff": {
            "published_at": _local(cutoff - datetime.timedelta(days=1), 23, 59)
        },
        "published at local midnight of the cutoff": {"published_at": _local(cutoff)},
        "published one minute before that midnight": {
            "published_at": _local(cutoff) - datetime.timedelta(minutes=1)
        },
        # confirmed: by the confirmation date, whenever it was published
        "confirmed the day before the cutoff": {"last_confirmed_on": cutoff - datetime.timedelta(days=1)},
        "confirmed on the cutoff": {"last_confirmed_on": cutoff},
        "confirmed recently, published long ago": {
            "last_confirmed_on": TODAY,
            "published_at": _local(cutoff - datetime.timedelta(days=900)),
        },
    }
    expected_due = {
        "published the day before the cutoff",
        "published one minute before that midnight",
        "confirmed the day before the cutoff",
    }
    made = {}
    for name, fields in cases.items():
        innovation = make(world.pekanbaru, name=name)
        Innovation.objects.filter(pk=innovation.pk).update(**fields)
        made[name] = innovation.pk
    make(world.pekanbaru, name="a draft is never due", status="draft")

    in_sql = set(Innovation.objects.due_for_confirmation(TODAY).values_list("name", flat=True))
    in_memory = {i.name for i in Innovation.objects.all() if i.confirmation_due(TODAY)}
    assert in_sql == in_memory == expected_due


@pytest.mark.parametrize("days", [29, 30, 31])
def test_stalled_reads_the_same_in_sql_and_in_memory(world, days):
    source = make_source(world.denpasar)
    request = make_request(source, world.pekanbaru, world.staff_pekanbaru)
    now = timezone.now()
    ReplicationRequest.objects.filter(pk=request.pk).update(
        last_activity_at=now - datetime.timedelta(days=days)
    )
    request.refresh_from_db()
    in_sql = ReplicationRequest.objects.stalled(now).filter(pk=request.pk).exists()
    assert in_sql == request.is_stalled(now) == (days >= 30)


def test_stage_start_reads_the_same_on_the_page_and_in_monitoring(world):
    """Monitoring builds its SQL from the model's STAGE_STARTED table, the page reads the same table."""
    assert set(ReplicationRequest.STAGE_STARTED) == set(ReplicationRequest.Status.values)
    for fields in ReplicationRequest.STAGE_STARTED.values():
        ReplicationRequest._meta.get_field(fields)  # every entry names a real column
