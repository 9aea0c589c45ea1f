"""Shared replication fixtures: a published source in Bali, a request from Pekanbaru (Riau)."""

import pytest

from replication.models import ReplicationRequest
from tests.replication.factories import advance, make_innovation, make_request


@pytest.fixture
def source(world):
    """Published innovation of the Denpasar (Bali) office."""
    return make_innovation(world.denpasar)


@pytest.fixture
def req(world, source):
    """Pekanbaru (Riau) asks to replicate it: the Riau hub decides."""
    return make_request(source, world.pekanbaru, world.staff_pekanbaru)


def go(req, world, to):
    """Move ``req`` to status ``to`` through the real transitions, each by the right person."""
    return advance(
        req, to, officer=world.officer_riau, requester=world.staff_pekanbaru, origin=world.staff_denpasar
    )


@pytest.fixture
def every_stage(world):
    """One request per status, each on its own source innovation."""
    made = {}
    ends = {
        "interest": None,
        "withdrawn": "withdraw",
        "rejected": "reject",
        "declined": "decline",
        **{s: s for s in ["approved", "agreed", "mentoring", "implemented", "evaluated"]},
    }
    for status, how in ends.items():
        source = make_innovation(world.denpasar, name=f"Sumber {status}")
        req = make_request(source, world.pekanbaru, world.staff_pekanbaru)
        if how == "withdraw":
            req.withdraw(by=world.staff_pekanbaru)
        elif how == "reject":
            req.reject(by=world.officer_riau, reason="Tidak")
        elif how == "decline":
            go(req, world, ReplicationRequest.Status.APPROVED)
            req.decline_agreement(by=world.staff_denpasar, reason="Tidak")
        elif how:
            go(req, world, how)
        made[status] = req
    return made
