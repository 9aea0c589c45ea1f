"""Awards in the workspace: staff of the owning agency add and remove them; on a published record the
change is part of the proposed edit, and the public sees it only once the hub publishes the edit."""

import pytest
from django.urls import reverse
from django.utils import timezone

from innovations.models import Award, InnovationRevision
from jipp.models import AuditEntry
from tests.workflow.helpers import make_innovation, make_revision

pytestmark = pytest.mark.django_db

TOP45 = {"program": "kipp", "year": 2023, "rank": "top45", "title": ""}


def url(name, innovation, **kwargs):
    return reverse(f"innovations:{name}", kwargs={"pk": innovation.pk, **kwargs})


def add(client, innovation, data=TOP45, version=None):
    innovation.refresh_from_db()
    return client.post(url("award_add", innovation), {"version": version or innovation.version, **data})


def remove(client, innovation, key, version=None):
    innovation.refresh_from_db()
    return client.post(
        url("award_remove", innovation, award_key=key), {"version": version or innovation.version}
    )


def listed(client, innovation):
    """The awards the workspace page lists (its form's choices also mention every rank)."""
    return [a.key for a in client.get(url("workspace_innovation", innovation)).context["awards"]]


def actions(innovation):
    return list(
        AuditEntry.for_object(innovation).order_by("created_at", "id").values_list("action", flat=True)
    )


def test_staff_add_and_remove_an_award_of_a_draft(world, client):
    innovation = make_innovation(world.pekanbaru, by=world.staff_pekanbaru)
    client.force_login(world.staff_pekanbaru)
    version = innovation.version

    response = add(client, innovation)
    assert response.status_code == 302
    award = innovation.awards.get()
    assert (award.program, award.year, award.rank) == ("kipp", 2023, "top45")
    innovation.refresh_from_db()
    assert innovation.version == version + 1 and innovation.status == "draft"
    assert not InnovationRevision.objects.filter(innovation=innovation).exists()
    assert actions(innovation) == ["add_award"]
    assert AuditEntry.for_object(innovation).get().actor == world.staff_pekanbaru

    page = client.get(url("workspace_innovation", innovation)).content.decode()
    assert "Top 45" in page and url("award_remove", innovation, award_key="kipp-2023-top45") in page

    assert remove(client, innovation, "kipp-2023-top45").status_code == 302
    assert not innovation.awards.exists()
    assert actions(innovation) == ["add_award", "remove_award"]


def test_returned_record_changes_directly(world, client):
    innovation = make_innovation(world.pekanbaru, status="returned", by=world.staff_pekanbaru)
    client.force_login(world.staff_pekanbaru)
    other = {"program": "other", "year": 2021, "rank": "", "title": "Penghargaan Gubernur"}
    assert add(client, innovation, other).status_code == 302
    award = innovation.awards.get()
    assert award.rank == "other" and award.title == "Penghargaan Gubernur"


def test_published_record_keeps_public_awards_until_the_edit_is_published(world, client):
    innovation = make_innovation(world.pekanbaru, status="published", by=world.staff_pekanbaru)
    Award.objects.create(innovation=innovation, program="iga", year=2022, rank="innovative")
    public_url = innovation.get_absolute_url()
    client.force_login(world.staff_pekanbaru)

    assert add(client, innovation).status_code == 302
    assert remove(client, innovation, "iga-2022-innovative").status_code == 302
    # The record's own awards did not change: the proposal lives in the open revision.
    assert list(innovation.awards.values_list("rank", flat=True)) == ["innovative"]
    revision = InnovationRevision.objects.get(innovation=innovation)
    assert revision.status == "draft"
    assert revision.data["awards"] == [TOP45]
    assert actions(innovation) == ["start_edit", "add_award", "remove_award"]
    assert listed(client, innovation) == ["kipp-2023-top45"]
    assert (
        url("award_remove", innovation, award_key="kipp-2023-top45")
        in client.get(url("workspace_innovation", innovation)).content.decode()
    )

    client.logout()
    public = client.get(public_url).content.decode()
    assert "Top 45" not in public and "2022" in public

    client.force_login(world.staff_pekanbaru)
    innovation.refresh_from_db()
    assert (
        client.post(url("innovation_submit", innovation), {"version": innovation.version}).status_code == 302
    )
    # While the edit is under review the awards are frozen.
    assert add(client, innovation, {**TOP45, "rank": "top99"}).status_code == 409
    client.logout()
    assert "Top 45" not in client.get(public_url).content.decode()

    client.force_login(world.officer_riau)
    innovation.refresh_from_db()
    review = client.get(url("workspace_innovation", innovation))
    assert [a.key for a in review.context["awards"]] == ["kipp-2023-top45"]  # the proposed list
    change = review.context["proposed_changes"][-1]  # the awards block of the comparison
    published = " ".join(text for text, _ in change["old"])
    proposed = " ".join(text for text, _ in change["new"])
    assert "2022" in published and "2023" not in published and "2023" in proposed
    assert (
        client.post(url("innovation_publish", innovation), {"version": innovation.version}).status_code == 302
    )
    assert [(a.program, a.year, a.rank) for a in innovation.awards.all()] == [("kipp", 2023, "top45")]
    revision.refresh_from_db()
    assert revision.status == "applied"
    client.logout()
    assert "Top 45" in client.get(public_url).content.decode()


def test_discarding_the_edit_drops_the_proposed_awards(world, client):
    innovation = make_innovation(world.pekanbaru, status="published", by=world.staff_pekanbaru)
    client.force_login(world.staff_pekanbaru)
    assert add(client, innovation).status_code == 302
    innovation.refresh_from_db()
    client.post(url("innovation_discard_edit", innovation), {"version": innovation.version})
    assert not innovation.awards.exists()
    assert listed(client, innovation) == []


def test_awards_cannot_change_while_the_record_is_under_review(world, client):
    innovation = make_innovation(world.pekanbaru, status="submitted", by=world.staff_pekanbaru)
    Award.objects.create(innovation=innovation, program="kipp", year=2022, rank="top99")
    client.force_login(world.staff_pekanbaru)
    assert add(client, innovation).status_code == 409
    assert remove(client, innovation, "kipp-2022-top99").status_code == 409
    assert innovation.awards.count() == 1 and actions(innovation) == []


def test_awards_cannot_change_while_an_edit_is_under_review(world, client):
    innovation = make_innovation(world.pekanbaru, status="published", by=world.staff_pekanbaru)
    make_revision(innovation, by=world.staff_pekanbaru, status="submitted")
    client.force_login(world.staff_pekanbaru)
    response = add(client, innovation)
    assert response.status_code == 409
    revision = InnovationRevision.objects.get(innovation=innovation)
    assert "awards" not in revision.data and not innovation.awards.exists()


def test_stale_version_is_refused(world, client):
    innovation = make_innovation(world.pekanbaru, by=world.staff_pekanbaru)
    stale = innovation.version
    client.force_login(world.staff_pekanbaru)
    assert add(client, innovation).status_code == 302
    response = add(client, innovation, {**TOP45, "rank": "top99"}, version=stale)
    assert response.status_code == 409
    assert "changed this record" in response.content.decode() or "mengubah" in response.content.decode()
    response = remove(client, innovation, "kipp-2023-top45", version=stale)
    assert response.status_code == 409
    assert list(innovation.awards.values_list("rank", flat=True)) == ["top45"]
    assert actions(innovation) == ["add_award"]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({**TOP45, "rank": "innovative"}, "rank"),  # an IGA rating given to KIPP
        ({"program": "iga", "year": 2023, "rank": "top99", "title": ""}, "rank"),
        ({"program": "other", "year": 2023, "rank": "top45", "title": "X"}, "rank"),
        ({"program": "other", "year": 2023, "rank": "", "title": ""}, "title"),
        ({**TOP45, "rank": ""}, "rank"),
        ({**TOP45, "program": "oscar"}, "program"),
        ({**TOP45, "year": 1999}, "year"),
        ({**TOP45, "year": timezone.localdate().year + 1}, "year"),
        ({**TOP45, "year": "tahun"}, "year"),
    ],
)
def test_invalid_award_re_renders_the_form_with_a_message(world, client, data, field):
    innovation = make_innovation(world.pekanbaru, by=world.staff_pekanbaru)
    client.force_login(world.staff_pekanbaru)
    response = add(client, innovation, data)
    assert response.status_code == 400
    assert response.context["award_form"].errors[field]
    assert 'class="errorlist' in response.content.decode()
    assert not innovation.awards.exists() and actions(innovation) == []


def test_the_service_refuses_a_rank_of_another_programme(world):
    from django.core.exceptions import ValidationError

    from innovations import services

    innovation = make_innovation(world.pekanbaru, by=world.staff_pekanbaru)
    with pytest.raises(ValidationError) as error:
        services.add_award(
            innovation_id=innovation.pk,
            by=world.staff_pekanbaru,
            version=innovation.version,
            program="iga",
            year=2023,
            rank="top45",
        )
    assert "rank" in error.value.message_dict


def test_duplicate_award_is_refused_with_a_message(world, client):
    innovation = make_innovation(world.pekanbaru, by=world.staff_pekanbaru)
    client.force_login(world.staff_pekanbaru)
    assert add(client, innovation).status_code == 302
    response = add(client, innovation)
    assert response.status_code == 400
    assert "already lists" in response.content.decode() or "sudah" in response.content.decode()
    assert innovation.awards.count() == 1


def test_duplicate_in_a_proposed_edit_is_refused(world, client):
    innovation = make_innovation(world.pekanbaru, status="published", by=world.staff_pekanbaru)
    Award.objects.create(innovation=innovation, program="kipp", year=2023, rank="top45")
    client.force_login(world.staff_pekanbaru)
    assert add(client, innovation).status_code == 400
    assert not InnovationRevision.objects.filter(innovation=innovation).exists()


def test_forged_fields_are_refused(world, client):
    innovation = make_innovation(world.pekanbaru, by=world.staff_pekanbaru)
    client.force_login(world.staff_pekanbaru)
    response = add(client, innovation, {**TOP45, "innovation": 999, "status": "published"})
    assert response.status_code == 400
    assert not innovation.awards.exists()
    response = remove(client, innovation, "kipp-2023-top45")
    assert response.status_code == 404  # no such award


def test_removing_needs_a_version(world, client):
    innovation = make_innovation(world.pekanbaru, by=world.staff_pekanbaru)
    Award.objects.create(innovation=innovation, program="kipp", year=2023, rank="top45")
    client.force_login(world.staff_pekanbaru)
    response = client.post(url("award_remove", innovation, award_key="kipp-2023-top45"), {})
    assert response.status_code == 400
    assert innovation.awards.count() == 1


@pytest.mark.parametrize(
    ("person", "status"),
    [("staff_denpasar", 404), ("officer_bali", 404), ("officer_riau", 404), ("ministry", 403)],
)
def test_others_cannot_change_awards_of_a_draft(world, client, person, status):
    innovation = make_innovation(world.pekanbaru, by=world.staff_pekanbaru)
    Award.objects.create(innovation=innovation, program="kipp", year=2022, rank="top99")
    client.force_login(getattr(world, person))
    assert add(client, innovation).status_code == status
    assert remove(client, innovation, "kipp-2022-top99").status_code == status
    assert list(innovation.awards.values_list("rank", flat=True)) == ["top99"]


def test_hub_officer_cannot_change_awards_of_a_published_record(world, client):
    innovation = make_innovation(world.pekanbaru, status="published", by=world.staff_pekanbaru)
    client.force_login(world.officer_riau)
    assert add(client, innovation).status_code == 403
    assert not InnovationRevision.objects.filter(innovation=innovation).exists()
