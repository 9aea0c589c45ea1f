"""Two people deciding the same thing at the same moment, in real transactions on two connections:
exactly one decision and one audit entry; the other gets a clear refusal."""

import threading

import pytest
from django.db import close_old_connections, connection

from innovations import services
from innovations.models import Innovation
from jipp.accounts import services as account_services
from jipp.accounts.models import AccessRequest
from jipp.errors import Conflict
from jipp.models import AuditEntry, Membership
from tests.conftest import make_user
from tests.workflow.helpers import make_access_request, make_innovation


def race(*calls):
    """Run each call in its own thread (own connection), released together by a barrier."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = ("ok", call())
        except Exception as error:  # noqa: BLE001 - the outcome is asserted by the test
            outcomes[index] = ("error", error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    close_old_connections()
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_two_officers_deciding_at_once_make_exactly_one_decision(world):
    second_officer = make_user("officer_riau_2")
    Membership.objects.create(user=second_officer, role="officer", hub=world.hub_riau)
    innovation = make_innovation(world.pekanbaru, status="submitted", by=world.staff_pekanbaru)
    version = innovation.version

    outcomes = race(
        lambda: services.publish(innovation_id=innovation.pk, by=world.officer_riau, version=version),
        lambda: services.return_for_changes(
            innovation_id=innovation.pk, by=second_officer, version=version, comment="Lengkapi."
        ),
    )

    kinds = sorted(kind for kind, _ in outcomes)
    assert kinds == ["error", "ok"]
    error = next(value for kind, value in outcomes if kind == "error")
    assert isinstance(error, Conflict)  # stale version or already decided: a 409 in the view
    innovation.refresh_from_db()
    assert innovation.status in ("published", "returned")
    decisions = AuditEntry.for_object(innovation).filter(action__in=["publish", "return"])
    assert decisions.count() == 1
    assert decisions.get().to_state == innovation.status


@pytest.mark.django_db(transaction=True)
def test_two_officers_approving_one_access_request_grant_once(world):
    second_officer = make_user("officer_riau_2")
    Membership.objects.create(user=second_officer, role="officer", hub=world.hub_riau)
    person = make_user("pemohon")
    access_request = make_access_request(person, world.pekanbaru)

    outcomes = race(
        lambda: account_services.decide_access_request(
            access_request_id=access_request.pk, by=world.officer_riau, approve=True
        ),
        lambda: account_services.decide_access_request(
            access_request_id=access_request.pk, by=second_officer, approve=False, note="Tidak dikenal."
        ),
    )
    assert sorted(kind for kind, _ in outcomes) == ["error", "ok"]
    access_request.refresh_from_db()
    assert access_request.status in ("approved", "declined")
    assert AuditEntry.for_object(access_request).filter(action__in=["approve", "decline"]).count() == 1
    granted = Membership.objects.filter(user=person, role="staff").exists()
    assert granted == (access_request.status == "approved")


@pytest.mark.django_db(transaction=True)
def test_parallel_submits_of_one_draft_submit_once(world):
    innovation = make_innovation(world.pekanbaru, by=world.staff_pekanbaru)
    version = innovation.version
    outcomes = race(
        *[lambda: services.submit(innovation_id=innovation.pk, by=world.staff_pekanbaru, version=version)] * 3
    )
    assert sorted(kind for kind, _ in outcomes) == ["error", "error", "ok"]
    assert AuditEntry.for_object(innovation).filter(action="submit").count() == 1
    assert Innovation.objects.get(pk=innovation.pk).status == "submitted"
    assert AccessRequest.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_parallel_access_requests_by_one_person_keep_one_pending(world):
    outcomes = race(
        lambda: account_services.request_access(user=world.outsider, agency=world.pekanbaru, position="Staf"),
        lambda: account_services.request_access(user=world.outsider, agency=world.siak, position="Staf"),
    )
    assert sorted(kind for kind, _ in outcomes) == ["error", "ok"]
    assert all(isinstance(v, Conflict) for k, v in outcomes if k == "error")
    assert AccessRequest.objects.filter(user=world.outsider, status="pending").count() == 1


@pytest.mark.django_db(transaction=True)
def test_parallel_creations_with_one_name_get_distinct_slugs(world):
    outcomes = race(
        *[
            lambda: services.create_innovation(
                by=world.staff_pekanbaru, agency=world.pekanbaru, values={"name": "Sama"}
            )
        ]
        * 2
    )
    assert [kind for kind, _ in outcomes] == ["ok", "ok"]
    assert len({value.slug for _, value in outcomes}) == 2
