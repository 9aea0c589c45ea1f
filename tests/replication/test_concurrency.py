import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from jipp.errors import Conflict
from jipp.models import AuditEntry
from replication.models import ReplicationRequest
from tests.replication.factories import make_innovation, make_request


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_decisions_give_exactly_one_decision_and_one_audit_entry(world):
    source = make_innovation(world.denpasar)
    req = make_request(source, world.pekanbaru, world.staff_pekanbaru)
    # Two officers of the Riau hub decide at the same moment: one approves, one rejects.
    from jipp.models import Membership
    from tests.conftest import make_user

    second_officer = make_user("officer_riau_2")
    Membership.objects.create(user=second_officer, role="officer", hub=world.hub_riau)

    barrier = threading.Barrier(2)
    outcomes = []

    def decide(user, approve):
        stale = ReplicationRequest.objects.get(pk=req.pk)  # both read "interest" before either writes
        barrier.wait()
        try:
            if approve:
                stale.approve(by=user, reason="Ya.")
            else:
                stale.reject(by=user, reason="Tidak.")
            outcomes.append("ok")
        except (Conflict, PermissionDenied) as error:
            outcomes.append(type(error).__name__)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=(world.officer_riau, True)),
        threading.Thread(target=decide, args=(second_officer, False)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["Conflict", "ok"]
    req.refresh_from_db()
    assert req.status in (ReplicationRequest.Status.APPROVED, ReplicationRequest.Status.REJECTED)
    decisions = AuditEntry.for_object(req).filter(action__in=["approve", "reject"])
    assert decisions.count() == 1
    assert decisions.get().to_state == req.status
