import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jipp.errors import Conflict
from jipp.models import AuditEntry
from replication import services
from replication.models import ReplicationRequest
from tests.replication.factories import make_innovation, make_request

S = ReplicationRequest.Status


def _sent_to(mailoutbox):
    addresses = {a for m in mailoutbox for a in m.to}
    mailoutbox.clear()
    return addresses


def test_each_step_tells_the_right_parties_after_commit(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    source = make_innovation(world.denpasar)
    requester, officer, origin = (
        "staff_pekanbaru@example.id",
        "officer_riau@example.id",
        "staff_denpasar@example.id",
    )
    with django_capture_on_commit_callbacks(execute=True):
        req = make_request(source, world.pekanbaru, world.staff_pekanbaru)
    assert _sent_to(mailoutbox) == {officer}  # the requester acted; the hub must decide
    with django_capture_on_commit_callbacks(execute=True):
        req.approve(by=world.officer_riau)
    assert _sent_to(mailoutbox) == {requester, "dewi@example.id", origin}
    with django_capture_on_commit_callbacks(execute=True):
        req.confirm_agreement(by=world.staff_denpasar)
    assert _sent_to(mailoutbox) == {requester, "dewi@example.id", officer}
    with django_capture_on_commit_callbacks(execute=True):
        req.record_mentoring(
            by=world.officer_riau, held_on=datetime.date(2026, 4, 1), mentors="Tim", topics="SOP"
        )
    assert _sent_to(mailoutbox) == {requester, "dewi@example.id"}
    with django_capture_on_commit_callbacks(execute=True):
        req.report_progress(by=world.staff_pekanbaru, reported_on=datetime.date(2026, 4, 2), progress="Jalan")
    assert _sent_to(mailoutbox) == {officer}
    with django_capture_on_commit_callbacks(execute=True):
        services.declare_implemented(request=req, by=world.staff_pekanbaru)
    assert _sent_to(mailoutbox) == {officer, origin}
    with django_capture_on_commit_callbacks(execute=True):
        req.evaluate(by=world.ministry, outcome="successful", score=90, lessons="Baik")
    assert _sent_to(mailoutbox) == {requester, "dewi@example.id", origin}


def test_a_refused_step_sends_nothing(world, mailoutbox, django_capture_on_commit_callbacks):
    req = make_request(make_innovation(world.denpasar), world.pekanbaru, world.staff_pekanbaru)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(PermissionDenied):
        req.approve(by=world.officer_bali)
    assert callbacks == [] and mailoutbox == []


ACTORS = [
    "staff_pekanbaru",
    "staff_denpasar",
    "staff_siak",
    "officer_riau",
    "officer_bali",
    "ministry",
    "outsider",
]
ACTIONS = [
    "approve",
    "reject",
    "withdraw",
    "agree",
    "decline",
    "mentoring",
    "progress",
    "implement",
    "evaluate",
]

# status → {action: status after}, for the actor allowed to take it
MACHINE = {
    S.INTEREST: {"approve": S.APPROVED, "reject": S.REJECTED, "withdraw": S.WITHDRAWN},
    S.APPROVED: {"agree": S.AGREED, "decline": S.DECLINED},
    S.AGREED: {"mentoring": S.MENTORING, "progress": S.AGREED},
    S.MENTORING: {"mentoring": S.MENTORING, "progress": S.MENTORING, "implement": S.IMPLEMENTED},
    S.IMPLEMENTED: {"mentoring": S.IMPLEMENTED, "progress": S.IMPLEMENTED, "evaluate": S.EVALUATED},
}
ALLOWED = {
    "approve": {"officer_riau"},
    "reject": {"officer_riau"},
    "withdraw": {"staff_pekanbaru"},
    "agree": {"staff_denpasar", "officer_riau"},
    "decline": {"staff_denpasar", "officer_riau"},
    "mentoring": {"officer_riau"},
    "progress": {"staff_pekanbaru"},
    "implement": {"staff_pekanbaru"},
    "evaluate": {"officer_riau", "ministry"},
}


def _do(req, action, user):
    day = datetime.date(2026, 4, 1)
    if action == "approve":
        req.approve(by=user, reason="ok")
    elif action == "reject":
        req.reject(by=user, reason="no")
    elif action == "withdraw":
        req.withdraw(by=user)
    elif action == "agree":
        req.confirm_agreement(by=user)
    elif action == "decline":
        req.decline_agreement(by=user, reason="no")
    elif action == "mentoring":
        req.record_mentoring(by=user, held_on=day, mentors="Tim", topics="SOP")
    elif action == "progress":
        req.report_progress(by=user, reported_on=day, progress="Jalan")
    elif action == "implement":
        services.declare_implemented(request=req, by=user)
    elif action == "evaluate":
        req.evaluate(by=user, outcome="partial", score=60, lessons="x")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(st.sampled_from(ACTIONS), st.sampled_from(ACTORS)), max_size=14))
def test_any_sequence_of_steps_by_anyone_follows_the_machine(world, steps):
    """Whatever is attempted, by whoever: only allowed steps from the right state succeed, each
    success writes exactly one audit entry, and every reached stage has its date."""
    source = make_innovation(
        world.denpasar,
        slug=f"sumber-{ReplicationRequest.objects.count()}-{len(steps)}-{AuditEntry.objects.count()}",
    )
    req = make_request(source, world.pekanbaru, world.staff_pekanbaru)
    expected = S.INTEREST
    successes = 0
    for action, who in steps:
        legal = action in MACHINE.get(expected, {}) and who in ALLOWED[action]
        try:
            _do(req, action, getattr(world, who))
        except (PermissionDenied, Conflict, ValidationError):
            assert not legal, (expected, action, who)
        else:
            assert legal, (expected, action, who)
            expected = MACHINE[expected][action]
            successes += 1
        req.refresh_from_db()
        assert req.status == expected
    assert AuditEntry.for_object(req).count() == 1 + successes
    if expected not in (S.INTEREST, S.WITHDRAWN):
        assert req.decided_at
    if expected in (S.IMPLEMENTED, S.EVALUATED):
        assert req.implemented_at and req.result_innovation.replicated_from_id == source.pk
    if expected == S.EVALUATED:
        assert req.evaluated_at and req.evaluation.score == 60
