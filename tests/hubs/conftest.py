"""Shared pieces for the hubs, statistics and monitoring tests.

The coverage world (on top of tests/conftest.py's ``world``), hand-computed:

    Riau (14): 4 agencies
      Disdukcapil Kota Pekanbaru  (Kota Pekanbaru)  1 published + 1 draft        → covered
      Dinas Kesehatan Pekanbaru   (Kota Pekanbaru)  drafts only                  → not covered
      DPMPTSP Kabupaten Siak      (Kabupaten Siak)  1 draft + 1 submitted        → not covered
      Bapenda Provinsi Riau       (province level)  1 published + 1 archived     → covered
      → 2 of 4 = 50.0 %; Kota Pekanbaru 1 of 2 = 50.0 %; Kabupaten Siak 0 of 1 = 0.0 %;
        province-level 1 of 1 = 100.0 %
    Bali (51): Disdukcapil Kota Denpasar, 2 published → 1 of 1 = 100.0 %
"""

import datetime
import itertools
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.utils import timezone

from innovations.models import Innovation
from jipp.models import Agency

_counter = itertools.count(1)


@pytest.fixture(autouse=True)
def _fresh_cache_and_media(settings, tmp_path):
    cache.clear()
    settings.LANGUAGE_CODE = "en"  # assertions read English labels; one test checks Indonesian
    settings.MEDIA_ROOT = str(tmp_path / "media")
    yield
    cache.clear()


def make_innovation(agency, status="published", **fields):
    n = next(_counter)
    values = {
        "name": f"Inovasi {n}",
        "slug": f"inovasi-{n}",
        "agency": agency,
        "summary": "Ringkasan.",
        "form": "public_service",
        "kind": "digital",
        "sector": "population",
        "stage": "implemented",
        "initiator": "agency",
        "started_on": datetime.date(2022, 1, 1),
        "status": status,
    }
    if status in ("published", "archived"):
        values["published_at"] = timezone.now() - datetime.timedelta(days=10)
    if status == "submitted":
        values["submitted_at"] = timezone.now() - datetime.timedelta(days=3)
    values.update(fields)
    return Innovation.objects.create(**values)


@pytest.fixture
def coverage_world(world):
    dinkes = Agency.objects.create(
        name="Dinas Kesehatan Kota Pekanbaru",
        slug="dinkes-pekanbaru",
        level="regency",
        province=world.riau,
        regency=world.pekanbaru_city,
    )
    bapenda = Agency.objects.create(
        name="Bapenda Provinsi Riau", slug="bapenda-riau", level="province", province=world.riau
    )
    items = SimpleNamespace(
        pekanbaru_published=make_innovation(
            world.pekanbaru,
            sector="population",
            stage="implemented",
            kind="digital",
            started_on=datetime.date(2021, 5, 1),
        ),
        pekanbaru_draft=make_innovation(world.pekanbaru, status="draft", sector="health"),
        dinkes_draft=make_innovation(dinkes, status="draft", sector="health"),
        dinkes_draft2=make_innovation(dinkes, status="returned", sector="health"),
        siak_draft=make_innovation(world.siak, status="draft"),
        siak_submitted=make_innovation(world.siak, status="submitted"),
        bapenda_published=make_innovation(
            bapenda, sector="finance", stage="trial", kind="non_digital", started_on=datetime.date(2023, 2, 1)
        ),
        bapenda_archived=make_innovation(bapenda, status="archived", sector="finance"),
        denpasar_1=make_innovation(
            world.denpasar,
            sector="population",
            stage="implemented",
            kind="digital",
            started_on=datetime.date(2023, 7, 1),
        ),
        denpasar_2=make_innovation(
            world.denpasar,
            sector="health",
            stage="initiative",
            kind="digital",
            started_on=datetime.date(2024, 1, 1),
        ),
    )
    world.dinkes = dinkes
    world.bapenda = bapenda
    world.items = items
    return world
