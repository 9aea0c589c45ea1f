from datetime import date

import pytest
from rest_framework.throttling import SimpleRateThrottle

from hubs.models import HubDocument, HubEvent, HubTeamMember
from innovations.models import Award, Innovation
from tests.innovations.conftest import make, make_innovation  # noqa: F401 - make is a fixture
from tests.replication.conftest import every_stage  # noqa: F401 - a fixture used here

__all__ = ["every_stage", "make"]


@pytest.fixture
def open_world(world, every_stage):  # noqa: F811
    """Every kind of public record, with the personal fields filled so a leak would show."""
    original = make_innovation(
        world.pekanbaru,
        name="Sistem Antrean Daring",
        contact_name="Budi Santoso",
        contact_email="budi.santoso@pekanbaru.go.id",
        contact_phone="+62 812 3456 7890",
        sdgs=[3, 16],
    )
    Award.objects.create(innovation=original, program="kipp", year=2023, rank="top45")
    make_innovation(world.denpasar, name="Antrean Adaptasi", replicated_from=original)
    archived = make_innovation(world.siak, name="Arsip Lama", contact_email="arsip@siak.go.id")
    Innovation.objects.filter(pk=archived.pk).update(status=Innovation.Status.ARCHIVED)
    make_innovation(world.siak, name="Draf Rahasia", status="draft")
    HubTeamMember.objects.create(
        hub=world.hub_riau, name="Siti Aminah", role="Ketua", organisation="Biro Organisasi"
    )
    HubDocument.objects.create(
        hub=world.hub_riau, title="SK Tim", link="https://riau.go.id/sk.pdf", issued_on=date(2024, 1, 2)
    )
    HubEvent.objects.create(
        hub=world.hub_riau, title="Sosialisasi", held_on=date(2024, 3, 4), place="Pekanbaru"
    )
    return {"original": original, "archived": archived, "requests": every_stage}


@pytest.fixture
def unthrottled(monkeypatch):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "1000000/min"})
