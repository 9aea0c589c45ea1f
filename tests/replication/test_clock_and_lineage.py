import datetime

from django.utils import timezone

from innovations.models import Innovation
from replication import services
from replication.models import ReplicationRequest
from tests.replication.factories import advance, make_request

S = ReplicationRequest.Status
T0 = datetime.datetime(2026, 1, 5, 8, 0, tzinfo=datetime.UTC)


def days(n):
    return T0 + datetime.timedelta(days=n)


def test_each_stage_keeps_its_dates_and_time_spent(world, source):
    req = make_request(source, world.pekanbaru, world.staff_pekanbaru, now=T0)
    assert req.days_in_stage(now=days(3)) == 3
    req.approve(by=world.officer_riau, now=days(4))
    req.confirm_agreement(by=world.staff_denpasar, now=days(10))
    req.record_mentoring(
        by=world.officer_riau, held_on=days(20).date(), mentors="Tim", topics="SOP", now=days(20)
    )
    assert req.days_in_stage(now=days(25)) == 5
    timeline = req.stage_timeline(now=days(25))
    assert [(step["status"], step["days"]) for step in timeline] == [
        ("interest", 4),
        ("approved", 6),
        ("agreed", 10),
        ("mentoring", 5),
    ]
    assert timeline[-1]["is_current"] and not timeline[0]["is_current"]
    services.declare_implemented(request=req, by=world.staff_pekanbaru, now=days(60))
    req.evaluate(by=world.officer_riau, outcome="successful", score=80, lessons="x", now=days(70))
    req.refresh_from_db()
    assert (req.created_at, req.decided_at, req.agreed_at, req.mentoring_started_at) == (
        T0,
        days(4),
        days(10),
        days(20),
    )
    assert (req.implemented_at, req.evaluated_at) == (days(60), days(70))
    assert req.days_in_stage(now=days(400)) is None  # closed: no longer waiting
    assert [step["days"] for step in req.stage_timeline(now=days(400))] == [4, 6, 10, 40, 10, None]


def test_request_with_no_activity_for_30_days_is_stalled(world, source):
    req = make_request(source, world.pekanbaru, world.staff_pekanbaru, now=T0)
    assert not req.is_stalled(now=days(29))
    assert req.is_stalled(now=days(30))
    assert list(ReplicationRequest.objects.stalled(now=days(31))) == [req]
    assert not ReplicationRequest.objects.stalled(now=days(29)).exists()
    # Any activity resets the clock.
    req.approve(by=world.officer_riau, now=days(31))
    assert not req.is_stalled(now=days(50))
    assert req.is_stalled(now=days(61))


def test_activity_that_keeps_the_stage_still_counts_as_activity(world, source):
    req = make_request(source, world.pekanbaru, world.staff_pekanbaru, now=T0)
    advance(
        req,
        S.MENTORING,
        officer=world.officer_riau,
        requester=world.staff_pekanbaru,
        origin=world.staff_denpasar,
        now=days(1),
    )
    req.report_progress(by=world.staff_pekanbaru, reported_on=days(40).date(), progress="jalan", now=days(40))
    assert not req.is_stalled(now=days(60))
    assert req.days_in_stage(now=days(60)) == 59  # still in mentoring since day 1


def test_closed_requests_are_never_stalled(world, source):
    req = make_request(source, world.pekanbaru, world.staff_pekanbaru, now=T0)
    req.withdraw(by=world.staff_pekanbaru, now=days(1))
    assert not req.is_stalled(now=days(100))
    assert not ReplicationRequest.objects.stalled(now=days(100)).exists()


def test_patched_clock_drives_the_default_now(world, source, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: days(0))
    req = make_request(source, world.pekanbaru, world.staff_pekanbaru)
    assert req.created_at == days(0)
    monkeypatch.setattr(timezone, "now", lambda: days(45))
    assert req.is_stalled()
    assert list(ReplicationRequest.objects.stalled()) == [req]


def _publish(innovation):
    innovation.status = Innovation.Status.PUBLISHED
    innovation.published_at = timezone.now()
    innovation.save(update_fields=["status", "published_at"])
    Innovation.objects.refresh_replication_count(innovation.replicated_from_id)
    return innovation


def test_lineage_three_deep_through_the_services(world, source):
    """Denpasar's innovation → adapted by Pekanbaru → adapted again by Siak."""
    first = make_request(source, world.pekanbaru, world.staff_pekanbaru)
    advance(
        first,
        S.IMPLEMENTED,
        officer=world.officer_riau,
        requester=world.staff_pekanbaru,
        origin=world.staff_denpasar,
    )
    adapted = _publish(first.result_innovation)  # published through the normal review in life

    second = make_request(adapted, world.siak, world.staff_siak)
    assert second.hub == world.hub_riau
    advance(
        second,
        S.IMPLEMENTED,
        officer=world.officer_riau,
        requester=world.staff_siak,
        origin=world.staff_pekanbaru,
    )
    adapted_again = second.result_innovation
    adapted_again.refresh_from_db()

    assert adapted_again.agency == world.siak
    assert adapted_again.replicated_from == adapted
    assert adapted_again.replicated_from.replicated_from == source
    assert source.replications.get() == adapted
    assert adapted.replications.get() == adapted_again
    _publish(adapted_again)
    source.refresh_from_db()
    adapted.refresh_from_db()
    assert (source.replication_count, adapted.replication_count) == (1, 1)
