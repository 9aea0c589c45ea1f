"""The life of an innovation: draft → submitted → returned with comments → resubmitted → published;
edits of a published record; re-confirmation, archive, featuring; stale and forged forms."""

import pytest
from django.core import mail
from django.urls import reverse

from innovations.models import Innovation, InnovationRevision
from jipp.errors import Conflict
from jipp.models import AuditEntry
from tests.workflow.helpers import COMPLETE, make_innovation, make_revision

pytestmark = pytest.mark.django_db


def url(name, innovation, **kwargs):
    return reverse(f"innovations:{name}", kwargs={"pk": innovation.pk, **kwargs})


def actions(innovation):
    return list(
        AuditEntry.for_object(innovation)
        .order_by("created_at", "id")
        .values_list("action", "from_state", "to_state")
    )


def post_section(client, innovation, section, data):
    innovation.refresh_from_db()
    return client.post(
        url("innovation_edit", innovation, section=section), {"version": innovation.version, **data}
    )


def test_the_whole_submission_life(world, client, django_capture_on_commit_callbacks):
    client.force_login(world.staff_pekanbaru)
    response = client.post(
        reverse("innovations:innovation_create"),
        {
            "agency": world.pekanbaru.pk,
            "name": "Akta Kilat",
            "acronym": "AKILAT",
            "summary": "Akta lahir cepat.",
        },
    )
    innovation = Innovation.objects.get(name="Akta Kilat")
    assert response.status_code == 302
    assert innovation.status == "draft" and innovation.agency == world.pekanbaru
    assert innovation.province == world.riau and innovation.created_by == world.staff_pekanbaru

    proposal = {k: COMPLETE[k] for k in ("background", "novelty", "implementation", "significance")}
    assert post_section(client, innovation, "proposal", proposal).status_code == 302
    classification = {k: COMPLETE[k] for k in ("form", "kind", "sector", "stage", "initiator")}
    classification.update(started_on="2022-03-01", sdgs=["16", "10"])
    assert post_section(client, innovation, "classification", classification).status_code == 302
    innovation.refresh_from_db()
    assert innovation.sdgs == [16, 10] and str(innovation.started_on) == "2022-03-01"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("innovation_submit", innovation), {"version": innovation.version})
    assert response.status_code == 302
    innovation.refresh_from_db()
    assert innovation.status == "submitted" and innovation.submitted_by == world.staff_pekanbaru
    assert [m.to for m in mail.outbox] == [["officer_riau@example.id"]]  # the Riau hub, not Bali's

    # The officer returns it with comments; the agency sees them.
    client.force_login(world.officer_riau)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("innovation_return", innovation),
            {"version": innovation.version, "comment": "Tambahkan data 2023."},
        )
    assert response.status_code == 302
    innovation.refresh_from_db()
    assert innovation.status == "returned" and innovation.review_comment == "Tambahkan data 2023."
    assert mail.outbox[0].to == ["staff_pekanbaru@example.id"]
    assert "Tambahkan data 2023." in mail.outbox[0].body

    client.force_login(world.staff_pekanbaru)
    page = client.get(url("workspace_innovation", innovation))
    assert "Tambahkan data 2023." in page.content.decode()
    assert (
        post_section(
            client, innovation, "proposal", {**proposal, "significance": "Data 2023: 3 hari."}
        ).status_code
        == 302
    )
    innovation.refresh_from_db()
    assert (
        client.post(url("innovation_submit", innovation), {"version": innovation.version}).status_code == 302
    )

    client.force_login(world.officer_riau)
    innovation.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("innovation_publish", innovation), {"version": innovation.version})
    assert response.status_code == 302
    innovation.refresh_from_db()
    assert innovation.status == "published" and innovation.published_at is not None
    assert innovation.review_comment == "" and innovation.last_confirmed_on is not None
    assert Innovation.objects.visible_to(None).filter(pk=innovation.pk).exists()
    assert actions(innovation) == [
        ("create", "", "draft"),
        ("submit", "draft", "submitted"),
        ("return", "submitted", "returned"),
        ("submit", "returned", "submitted"),
        ("publish", "submitted", "published"),
    ]
    # Staff and officers see the history on the record.
    page = client.get(url("workspace_innovation", innovation)).content.decode()
    assert "Tambahkan data 2023." in page


def test_incomplete_draft_saves_but_cannot_be_submitted(world, client):
    innovation = make_innovation(world.pekanbaru, complete=False, by=world.staff_pekanbaru)
    client.force_login(world.staff_pekanbaru)
    response = client.post(url("innovation_submit", innovation), {"version": innovation.version})
    assert response.status_code == 400
    assert "summary" in response.content.decode().lower() or "ringkasan" in response.content.decode().lower()
    innovation.refresh_from_db()
    assert innovation.status == "draft"
    assert not AuditEntry.for_object(innovation).filter(action="submit").exists()


def test_invalid_section_keeps_everything_typed(world, client):
    innovation = make_innovation(world.pekanbaru, by=world.staff_pekanbaru)
    client.force_login(world.staff_pekanbaru)
    long_summary = "kata " * 250
    response = post_section(
        client,
        innovation,
        "identity",
        {"name": "Nama Baru Sekali", "acronym": "NBS", "summary": long_summary},
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "Nama Baru Sekali" in content and "NBS" in content and long_summary.strip()[:50] in content
    innovation.refresh_from_db()
    assert innovation.name != "Nama Baru Sekali"


def test_officer_return_needs_a_comment(world, client):
    innovation = make_innovation(world.pekanbaru, status="submitted", by=world.staff_pekanbaru)
    client.force_login(world.officer_riau)
    response = client.post(
        url("innovation_return", innovation), {"version": innovation.version, "comment": ""}
    )
    assert response.status_code == 400
    innovation.refresh_from_db()
    assert innovation.status == "submitted"


def test_edit_while_published_keeps_the_public_version_until_reviewed(
    world, client, django_capture_on_commit_callbacks
):
    innovation = make_innovation(
        world.pekanbaru, status="published", by=world.staff_pekanbaru, name="Versi Lama"
    )
    client.force_login(world.staff_pekanbaru)
    response = post_section(
        client, innovation, "identity", {"name": "Versi Baru", "acronym": "", "summary": "Baru."}
    )
    assert response.status_code == 302
    innovation.refresh_from_db()
    assert innovation.name == "Versi Lama" and innovation.status == "published"
    revision = InnovationRevision.objects.get(innovation=innovation)
    assert revision.status == "draft" and revision.data["name"] == "Versi Baru"
    # The edit form shows the proposal, not the published value.
    assert "Versi Baru" in client.get(url("innovation_edit", innovation, section="identity")).content.decode()

    assert (
        client.post(url("innovation_submit", innovation), {"version": innovation.version}).status_code == 302
    )
    revision.refresh_from_db()
    assert revision.status == "submitted"
    innovation.refresh_from_db()
    assert innovation.name == "Versi Lama" and innovation.status == "published"
    # While under review the edit is frozen.
    assert post_section(client, innovation, "identity", {"name": "Lagi", "summary": "x"}).status_code == 409

    client.force_login(world.officer_riau)
    innovation.refresh_from_db()
    page = client.get(url("workspace_innovation", innovation)).content.decode()
    assert "Versi Baru" in page and "Versi Lama" in page  # the reviewer sees the difference
    client.post(
        url("innovation_return", innovation), {"version": innovation.version, "comment": "Nama kurang jelas."}
    )
    revision.refresh_from_db()
    innovation.refresh_from_db()
    assert revision.status == "returned" and innovation.name == "Versi Lama"

    client.force_login(world.staff_pekanbaru)
    assert "Nama kurang jelas." in client.get(url("workspace_innovation", innovation)).content.decode()
    post_section(
        client, innovation, "identity", {"name": "Versi Baru Jelas", "acronym": "", "summary": "Baru."}
    )
    innovation.refresh_from_db()
    client.post(url("innovation_submit", innovation), {"version": innovation.version})

    client.force_login(world.officer_riau)
    innovation.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            client.post(url("innovation_publish", innovation), {"version": innovation.version}).status_code
            == 302
        )
    innovation.refresh_from_db()
    revision.refresh_from_db()
    assert innovation.name == "Versi Baru Jelas" and innovation.status == "published"
    assert revision.status == "applied"
    assert mail.outbox[-1].to == ["staff_pekanbaru@example.id"]
    assert [a[0] for a in actions(innovation)] == [
        "start_edit",
        "submit_edit",
        "return_edit",
        "submit_edit",
        "publish_edit",
    ]


def test_evidence_added_during_an_edit_stays_private_until_published(world, client):
    from tests.workflow.helpers import upload

    innovation = make_innovation(world.pekanbaru, status="published", by=world.staff_pekanbaru)
    client.force_login(world.staff_pekanbaru)
    response = client.post(
        url("evidence_add", innovation),
        {"version": innovation.version, "title": "Foto baru", "file": upload()},
    )
    assert response.status_code == 302
    evidence = innovation.evidence.get()
    assert evidence.revision is not None
    client.logout()
    assert client.get(reverse("innovations:evidence_download", args=[evidence.pk])).status_code == 404
    innovation.refresh_from_db()
    client.force_login(world.staff_pekanbaru)
    client.post(url("innovation_submit", innovation), {"version": innovation.version})
    client.force_login(world.officer_riau)
    innovation.refresh_from_db()
    client.post(url("innovation_publish", innovation), {"version": innovation.version})
    client.logout()
    assert client.get(reverse("innovations:evidence_download", args=[evidence.pk])).status_code == 200


def test_stale_form_is_refused_and_changes_nothing(world, client):
    innovation = make_innovation(world.pekanbaru, by=world.staff_pekanbaru, name="Asli")
    stale_version = innovation.version
    client.force_login(world.staff_pekanbaru)
    assert (
        post_section(client, innovation, "identity", {"name": "Perubahan A", "summary": "a"}).status_code
        == 302
    )
    response = client.post(
        url("innovation_edit", innovation, section="identity"),
        {"version": stale_version, "name": "Perubahan B", "summary": "b"},
    )
    assert response.status_code == 409
    assert "changed this record" in response.content.decode() or "mengubah" in response.content.decode()
    innovation.refresh_from_db()
    assert innovation.name == "Perubahan A"


def test_double_submit_is_refused(world, client):
    innovation = make_innovation(world.pekanbaru, by=world.staff_pekanbaru)
    client.force_login(world.staff_pekanbaru)
    first = client.post(url("innovation_submit", innovation), {"version": innovation.version})
    second = client.post(url("innovation_submit", innovation), {"version": innovation.version})
    assert (first.status_code, second.status_code) == (302, 409)
    assert AuditEntry.for_object(innovation).filter(action="submit").count() == 1


def test_double_publish_is_refused(world, client):
    innovation = make_innovation(world.pekanbaru, status="submitted", by=world.staff_pekanbaru)
    client.force_login(world.officer_riau)
    first = client.post(url("innovation_publish", innovation), {"version": innovation.version})
    second = client.post(url("innovation_publish", innovation), {"version": innovation.version + 1})
    assert (first.status_code, second.status_code) == (302, 409)
    assert AuditEntry.for_object(innovation).filter(action="publish").count() == 1


@pytest.mark.parametrize(
    "forged", [{"status": "published"}, {"agency": "3"}, {"is_featured": "on"}, {"summary": "x"}]
)
def test_forged_fields_are_refused(world, client, forged):
    innovation = make_innovation(world.pekanbaru, by=world.staff_pekanbaru, name="Asli")
    client.force_login(world.staff_pekanbaru)
    response = client.post(
        url("innovation_edit", innovation, section="contact"),
        {"version": innovation.version, "contact_name": "Budi", **forged},
    )
    assert response.status_code == 400
    innovation.refresh_from_db()
    assert (innovation.status, innovation.agency_id, innovation.is_featured, innovation.contact_name) == (
        "draft",
        world.pekanbaru.pk,
        False,
        "",
    )


def test_staff_cannot_create_for_another_agency(world, client):
    client.force_login(world.staff_denpasar)
    response = client.post(
        reverse("innovations:innovation_create"),
        {"agency": world.pekanbaru.pk, "name": "Palsu", "summary": "x"},
    )
    assert response.status_code == 400
    assert not Innovation.objects.filter(name="Palsu").exists()


def test_officer_of_other_hub_cannot_publish(world, client):
    innovation = make_innovation(world.pekanbaru, status="submitted", by=world.staff_pekanbaru)
    client.force_login(world.officer_bali)
    assert (
        client.post(url("innovation_publish", innovation), {"version": innovation.version}).status_code == 404
    )
    innovation.refresh_from_db()
    assert innovation.status == "submitted"


def test_reconfirm_archive_and_feature_are_audited(world, client):
    innovation = make_innovation(
        world.pekanbaru, status="published", by=world.staff_pekanbaru, last_confirmed_on=None
    )
    Innovation.objects.filter(pk=innovation.pk).update(last_confirmed_on="2020-01-01")
    assert Innovation.objects.due_for_confirmation().filter(pk=innovation.pk).exists()
    client.force_login(world.staff_pekanbaru)
    assert "Inovasi" in client.get(reverse("innovations:workspace")).content.decode()
    innovation.refresh_from_db()
    assert (
        client.post(url("innovation_reconfirm", innovation), {"version": innovation.version}).status_code
        == 302
    )
    assert not Innovation.objects.due_for_confirmation().filter(pk=innovation.pk).exists()

    client.force_login(world.ministry)
    innovation.refresh_from_db()
    assert (
        client.post(url("innovation_feature", innovation), {"version": innovation.version}).status_code == 302
    )
    innovation.refresh_from_db()
    assert innovation.is_featured

    client.force_login(world.staff_pekanbaru)
    response = client.post(
        url("innovation_archive", innovation), {"version": innovation.version, "comment": "Berhenti."}
    )
    assert response.status_code == 302
    innovation.refresh_from_db()
    assert innovation.status == "archived" and innovation.archived_at is not None
    assert not Innovation.objects.visible_to(None).filter(pk=innovation.pk).exists()
    assert [a[0] for a in actions(innovation)] == ["reconfirm", "feature", "archive"]


def test_publishing_and_archiving_an_adaptation_recounts_its_source(world, client):
    source = make_innovation(world.denpasar, status="published")
    adaptation = make_innovation(
        world.pekanbaru, status="submitted", by=world.staff_pekanbaru, replicated_from=source
    )
    client.force_login(world.officer_riau)
    client.post(url("innovation_publish", adaptation), {"version": adaptation.version})
    source.refresh_from_db()
    assert source.replication_count == 1
    adaptation.refresh_from_db()
    client.post(url("innovation_archive", adaptation), {"version": adaptation.version})
    source.refresh_from_db()
    assert source.replication_count == 0


def test_emails_go_only_after_commit(world, django_capture_on_commit_callbacks):
    from innovations import services

    innovation = make_innovation(world.pekanbaru, by=world.staff_pekanbaru)
    with django_capture_on_commit_callbacks() as callbacks:
        services.submit(innovation_id=innovation.pk, by=world.staff_pekanbaru, version=innovation.version)
        assert mail.outbox == []  # nothing sent inside the transaction
    assert len(callbacks) == 1
    callbacks[0]()
    assert mail.outbox[0].to == ["officer_riau@example.id"]


def test_a_failed_decision_sends_no_email(world, django_capture_on_commit_callbacks):
    from innovations import services

    innovation = make_innovation(world.pekanbaru, status="submitted", by=world.staff_pekanbaru)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(Conflict):
        services.publish(innovation_id=innovation.pk, by=world.officer_riau, version=innovation.version - 1)
    assert callbacks == [] and mail.outbox == []


def test_dashboards_show_each_roles_queues_oldest_first(world, client, django_assert_max_num_queries):
    import datetime

    from django.utils import timezone

    old = make_innovation(world.pekanbaru, status="submitted", by=world.staff_pekanbaru, name="Lama Menunggu")
    new = make_innovation(world.siak, status="submitted", name="Baru Masuk")
    Innovation.objects.filter(pk=old.pk).update(submitted_at=timezone.now() - datetime.timedelta(days=9))
    Innovation.objects.filter(pk=new.pk).update(submitted_at=timezone.now())
    edited = make_innovation(world.pekanbaru, status="published", name="Diedit")
    make_revision(edited, status="submitted", by=world.staff_pekanbaru)
    make_innovation(world.denpasar, status="submitted", name="Dari Bali")
    client.force_login(world.officer_riau)
    with django_assert_max_num_queries(14):
        content = client.get(reverse("innovations:workspace")).content.decode()
    assert content.index("Lama Menunggu") < content.index("Baru Masuk")
    assert "Diedit" in content and "Dari Bali" not in content
    assert "9" in content

    client.force_login(world.staff_pekanbaru)
    content = client.get(reverse("innovations:workspace")).content.decode()
    assert "Lama Menunggu" in content and "Baru Masuk" not in content


def test_dashboard_query_count_does_not_grow_with_records(world, client, django_assert_max_num_queries):
    for n in range(15):
        make_innovation(world.pekanbaru, status="submitted", by=world.staff_pekanbaru, name=f"Banyak {n}")
    client.force_login(world.officer_riau)
    with django_assert_max_num_queries(14):
        client.get(reverse("innovations:workspace"))
    client.force_login(world.staff_pekanbaru)
    with django_assert_max_num_queries(14):
        client.get(reverse("innovations:workspace"))


def test_record_page_query_count_does_not_grow_with_evidence_and_history(
    world, client, django_assert_max_num_queries
):
    from tests.workflow.helpers import make_evidence

    innovation = make_innovation(world.pekanbaru, status="published", by=world.staff_pekanbaru)
    make_revision(innovation, by=world.staff_pekanbaru)
    client.force_login(world.staff_pekanbaru)
    with django_assert_max_num_queries(12) as few:
        client.get(url("workspace_innovation", innovation))
    for n in range(8):
        make_evidence(innovation, title=f"Bukti {n}")
        AuditEntry.record(innovation, actor=world.staff_pekanbaru, action="reconfirm")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url("workspace_innovation", innovation))
    assert "Bukti 7" in response.content.decode()


@pytest.mark.parametrize(
    "data",
    [{}, {"version": "abc"}, {"version": "-1"}, {"version": "99999999999999999999999"}, {"version": "1\x00"}],
)
def test_garbage_versions_are_a_400_not_a_500(world, client, data):
    innovation = make_innovation(world.pekanbaru, by=world.staff_pekanbaru)
    client.force_login(world.staff_pekanbaru)
    assert client.post(url("innovation_submit", innovation), data).status_code == 400
    response = client.post(url("innovation_edit", innovation, section="identity"), {**data, "name": "x\x00"})
    assert response.status_code == 400
    innovation.refresh_from_db()
    assert innovation.status == "draft"


def test_unknown_section_is_a_404(world, client):
    innovation = make_innovation(world.pekanbaru, by=world.staff_pekanbaru)
    client.force_login(world.staff_pekanbaru)
    assert client.get(url("innovation_edit", innovation, section="status")).status_code == 404


def test_agency_dashboard_lists_what_needs_its_action_first(world, client):
    make_innovation(world.pekanbaru, status="published", name="Sudah Terbit")
    make_innovation(world.pekanbaru, status="returned", name="Perlu Diperbaiki")
    make_innovation(world.pekanbaru, status="draft", name="Masih Draf")
    client.force_login(world.staff_pekanbaru)
    content = client.get(reverse("innovations:workspace")).content.decode()
    assert content.index("Perlu Diperbaiki") < content.index("Masih Draf") < content.index("Sudah Terbit")


def test_an_edit_under_review_cannot_be_opened_for_editing(world, client):
    innovation = make_innovation(world.pekanbaru, status="published", by=world.staff_pekanbaru)
    make_revision(innovation, status="submitted", by=world.staff_pekanbaru)
    client.force_login(world.staff_pekanbaru)
    assert client.get(url("innovation_edit", innovation, section="identity")).status_code == 409
