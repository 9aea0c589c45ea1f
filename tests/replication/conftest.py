"""Shared replication fixtures: a published source in Bali, a request from Pekanbaru (Riau)."""

import pytest

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
