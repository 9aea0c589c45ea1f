import itertools
from datetime import date, timedelta

import pytest
from django.utils import timezone

from innovations.models import Innovation

_counter = itertools.count(1)


def make_innovation(agency, *, status="published", days_ago=None, **fields):
    n = next(_counter)
    defaults = {
        "name": f"Inovasi Contoh {n}",
        "acronym": "",
        "slug": f"inovasi-contoh-{n}",
        "summary": "Ringkasan inovasi pelayanan publik.",
        "form": "public_service",
        "kind": "digital",
        "sector": "governance",
        "stage": "implemented",
        "initiator": "agency",
        "started_on": date(2020, 1, 1),
    }
    defaults.update(fields)
    published_at = None
    if status == "published":
        published_at = timezone.now() - timedelta(days=days_ago if days_ago is not None else n)
    return Innovation.objects.create(agency=agency, status=status, published_at=published_at, **defaults)


@pytest.fixture
def make():
    return make_innovation
