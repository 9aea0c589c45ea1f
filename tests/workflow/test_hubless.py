"""Provinces without an active hub: the ministry reviews their innovations and vouches for their staff,
as it facilitates their replication requests."""

import pytest
from django.core import mail
from django.urls import reverse

from jipp.models import Agency, Membership, Province, Regency
from tests.conftest import make_user
from tests.workflow.helpers import make_access_request, make_innovation

pytestmark = pytest.mark.django_db


@pytest.fixture
def papua(world):
    province = Province.objects.create(code="91", name="Papua", slug="papua")
    city = Regency.objects.create(
        province=province, code="91.71", name="Kota Jayapura", slug="jayapura", kind="kota"
    )
    agency = Agency.objects.create(
        name="Disdukcapil Kota Jayapura",
        slug="disdukcapil-jayapura",
        level="regency",
        province=province,
        regency=city,
    )
    staff = make_user("staff_jayapura")
    Membership.objects.create(user=staff, role="staff", agency=agency)
    return agency, staff


def test_ministry_reviews_innovations_of_a_province_without_a_hub(
    world, papua, client, django_capture_on_commit_callbacks
):
    agency, staff = papua
    innovation = make_innovation(agency, by=staff)
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("innovations:innovation_submit", args=[innovation.pk]), {"version": innovation.version}
        )
    assert [m.to for m in mail.outbox] == [["ministry@example.id"]]

    client.force_login(world.ministry)
    assert innovation.name in client.get(reverse("innovations:workspace")).content.decode()
    innovation.refresh_from_db()
    response = client.post(
        reverse("innovations:innovation_publish", args=[innovation.pk]), {"version": innovation.version}
    )
    assert response.status_code == 302
    innovation.refresh_from_db()
    assert innovation.status == "published"


def test_ministry_cannot_review_where_a_hub_is_active(world, client):
    innovation = make_innovation(world.pekanbaru, status="submitted", by=world.staff_pekanbaru)
    client.force_login(world.ministry)
    assert innovation.name not in client.get(reverse("innovations:workspace")).content.decode()
    response = client.post(
        reverse("innovations:innovation_publish", args=[innovation.pk]), {"version": innovation.version}
    )
    assert response.status_code == 403


def test_an_inactive_hub_hands_review_to_the_ministry(world, client):
    world.hub_riau.status = "inactive"
    world.hub_riau.save()
    innovation = make_innovation(world.pekanbaru, status="submitted", by=world.staff_pekanbaru)
    client.force_login(world.officer_riau)
    response = client.post(
        reverse("innovations:innovation_publish", args=[innovation.pk]), {"version": innovation.version}
    )
    assert response.status_code == 403
    client.force_login(world.ministry)
    response = client.post(
        reverse("innovations:innovation_publish", args=[innovation.pk]), {"version": innovation.version}
    )
    assert response.status_code == 302


def test_ministry_vouches_for_staff_of_a_province_without_a_hub(world, papua, client):
    agency, _ = papua
    request = make_access_request(world.outsider, agency)
    riau_request = make_access_request(make_user("pemohon_riau"), world.pekanbaru)
    client.force_login(world.ministry)
    listing = client.get(reverse("access_request_list")).content.decode()
    assert "Disdukcapil Kota Jayapura" in listing and "pemohon_riau" not in listing
    assert client.get(reverse("access_request_detail", args=[riau_request.pk])).status_code == 404
    response = client.post(reverse("access_request_detail", args=[request.pk]), {"decision": "approve"})
    assert response.status_code == 302
    assert Membership.objects.filter(user=world.outsider, agency=agency, role="staff").exists()
