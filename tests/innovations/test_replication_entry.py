"""The innovation page offers "Request replication" only to those who may make the request."""

import pytest
from django.urls import reverse
from django.utils import timezone

from innovations.models import Innovation

ENTRY = "Request replication"


@pytest.fixture
def published(world):
    return Innovation.objects.create(
        name="Layanan Akta Cepat",
        slug="layanan-akta-cepat",
        agency=world.pekanbaru,
        summary="Akta cepat.",
        form="public_service",
        kind="digital",
        sector="population",
        stage="implemented",
        initiator="agency",
        started_on="2022-01-01",
        status="published",
        published_at=timezone.now(),
    )


def _page(client, innovation):
    return client.get(innovation.get_absolute_url(), headers={"accept-language": "en"}).content.decode()


def test_anonymous_visitors_and_staff_of_another_agency_see_the_entry_point(world, client, published):
    url = reverse("replication:request_create", kwargs={"slug": published.slug})
    content = _page(client, published)
    assert ENTRY in content and f'href="{url}"' in content
    client.force_login(world.staff_denpasar)
    assert ENTRY in _page(client, published)


@pytest.mark.parametrize("who", ["staff_pekanbaru", "officer_riau", "ministry"])
def test_the_owner_and_roles_that_cannot_request_do_not_see_it(world, client, published, who):
    client.force_login(getattr(world, who))
    assert ENTRY not in _page(client, published)


def test_a_draft_never_offers_replication(world, client, published):
    Innovation.objects.filter(pk=published.pk).update(status="draft")
    client.force_login(world.staff_pekanbaru)  # the owner may preview the draft
    response = client.get(published.get_absolute_url(), headers={"accept-language": "en"})
    assert response.status_code == 200
    assert ENTRY not in response.content.decode()
