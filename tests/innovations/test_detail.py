"""The innovation page: the whole record, links, evidence, awards, lineage, stale notice, sharing."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from innovations.models import Award, Evidence, Innovation
from tests.innovations.pages import parse
from tests.replication.factories import advance, make_request
from tests.replication.factories import make_innovation as make_replicable
from tests.workflow.helpers import make_innovation as make_record
from tests.workflow.helpers import upload

pytestmark = pytest.mark.django_db


def test_detail_shows_the_record_links_awards_and_request_link(client, world, make):
    record = make(
        world.pekanbaru,
        name="Layanan Akta Cepat",
        acronym="LAKSA",
        background="Latar belakang yang panjang.",
        adaptability="Butuh tiga petugas.",
        sdgs=[16],
        last_confirmed_on=timezone.localdate(),
    )
    Award.objects.create(innovation=record, program="kipp", rank="top45", year=2022)
    html = client.get(record.get_absolute_url()).content.decode()
    assert "Latar belakang yang panjang." in html and "Butuh tiga petugas." in html
    assert "/instansi/disdukcapil-pekanbaru/" in html
    assert "/provinsi/riau/" in html
    assert "/hub/riau/" in html
    assert f"/replikasi/ajukan/{record.slug}/" in html
    assert 'property="og:title" content="Layanan Akta Cepat (LAKSA)"' in html
    assert "2022" in html
    assert "stale-notice" not in html


def test_stale_notice_after_twelve_months(client, world, make):
    record = make(world.pekanbaru, last_confirmed_on=timezone.localdate() - timedelta(days=400))
    assert "stale-notice" in client.get(record.get_absolute_url()).content.decode()


def test_evidence_lists_only_items_not_removed(client, world, make):
    record = make(world.pekanbaru)
    for title, removed in (("SK Tim Inovasi", False), ("Berkas Dihapus", True)):
        Evidence.objects.create(
            innovation=record, title=title, file="evidence/x.pdf", content_type="application/pdf", size=10,
            is_removed=removed,
        )  # fmt: skip
    html = client.get(record.get_absolute_url()).content.decode()
    assert "SK Tim Inovasi" in html and "/media/evidence/x.pdf" in html
    assert "Berkas Dihapus" not in html


def test_lineage_tree_shows_source_and_adaptations_of_adaptations(client, world, make):
    source = make(world.pekanbaru, name="Sumber Asli")
    child = make(world.siak, name="Adaptasi Siak", replicated_from=source)
    grandchild = make(world.denpasar, name="Adaptasi Denpasar", replicated_from=child)
    make(world.denpasar, name="Adaptasi Draf", replicated_from=source, status="draft")
    for pk in (source.pk, child.pk):
        Innovation.objects.refresh_replication_count(pk)

    html = client.get(source.get_absolute_url()).content.decode()
    assert "Adaptasi Siak" in html and "Adaptasi Denpasar" in html
    assert "Adaptasi Draf" not in html
    assert html.index("Adaptasi Siak") < html.index("Adaptasi Denpasar")

    html = client.get(grandchild.get_absolute_url()).content.decode()
    assert html.index("Sumber Asli") < html.index("Adaptasi Siak")
    source.refresh_from_db()
    assert source.replication_count == 1


# --- Issue 10, defect 15: a pending edit's evidence stays private --------------------------------------


def test_evidence_of_an_unpublished_edit_stays_private_until_the_hub_publishes_it(world):
    record = make_record(world.pekanbaru, status="published", by=world.staff_pekanbaru)
    Evidence.objects.create(
        innovation=record, title="SK Tim Inovasi", file="evidence/published.pdf",
        content_type="application/pdf", size=10,
    )  # fmt: skip
    public, staff, officer = Client(), Client(), Client()
    staff.force_login(world.staff_pekanbaru)
    officer.force_login(world.officer_riau)

    # The agency proposes an edit of the published record that adds a photo.
    record.refresh_from_db()
    response = staff.post(
        reverse("innovations:evidence_add", args=[record.pk]),
        {"version": record.version, "title": "Foto Layanan Baru", "file": upload("foto.png")},
    )
    assert response.status_code == 302
    pending = Evidence.objects.get(innovation=record, title="Foto Layanan Baru")
    assert pending.revision_id is not None
    download = reverse("innovations:evidence_download", args=[pending.pk])
    media = pending.file.url  # the public file address the page links once the file is public

    def public_page():
        cache.clear()  # whatever the page cache holds, the page itself must not show it
        return public.get(record.get_absolute_url()).content.decode()

    html = public_page()
    assert "SK Tim Inovasi" in html  # the published evidence stays
    assert "Foto Layanan Baru" not in html
    assert pending.file.name.rsplit("/", 1)[-1] not in html and download not in html
    assert public.get(download).status_code == 404
    assert public.get(media).status_code == 404

    # Submitted for review: still private.
    record.refresh_from_db()
    assert staff.post(
        reverse("innovations:innovation_submit", args=[record.pk]), {"version": record.version}
    )["Location"]
    assert Innovation.objects.get(pk=record.pk).revisions.get(status="submitted")
    assert "Foto Layanan Baru" not in public_page()
    assert public.get(download).status_code == 404
    assert public.get(media).status_code == 404

    # The officer publishes the edit: now everyone sees and downloads it.
    record.refresh_from_db()
    response = officer.post(
        reverse("innovations:innovation_publish", args=[record.pk]), {"version": record.version}
    )
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.revision_id is None
    html = public_page()
    assert "Foto Layanan Baru" in html and f'href="{media}"' in html
    assert public.get(download).status_code == 200
    assert public.get(media).status_code == 200


# --- Issue 10, defect 8: the source's page shows its replications --------------------------------------


def test_source_page_lists_public_replications_and_links_them(world):
    source = make_replicable(world.pekanbaru, name="Akta Kilat")
    evaluated = make_request(source, world.siak, world.staff_siak)
    advance(
        evaluated,
        "evaluated",
        officer=world.officer_riau,
        requester=world.staff_siak,
        origin=world.staff_pekanbaru,
    )
    make_request(source, world.denpasar, world.staff_denpasar)  # interest only: not public yet
    public = Client(HTTP_ACCEPT_LANGUAGE="en")

    def lineage():
        cache.clear()
        page = parse(public.get(source.get_absolute_url()).content)
        return page.find("section", aria_labelledby="lineage-title")

    section = lineage()
    links = [a["href"] for a in section.find("ul", "replication-list").find_all("a")]
    assert links == [evaluated.get_public_url()]  # the draft adaptation is not linked
    item = section.find("ul", "replication-list").find("li")
    assert world.siak.name in item.text() and "Evaluated" in item.text()
    assert "not published yet" in item.text()
    # The published-adaptation count agrees with the list of published adaptations (none yet).
    assert "Adapted by 0 agencies (published adaptations)." in section.text()
    assert not section.find_all("ul", "lineage-tree")
    # The linked public replication page answers.
    assert public.get(evaluated.get_public_url()).status_code == 200

    # Once the adapted innovation passes the normal review, both lists link it and the count moves.
    adapted = Innovation.objects.get(pk=evaluated.result_innovation_id)
    adapted.significance = "Waktu layanan turun dari 10 menjadi 2 hari."
    adapted.save(update_fields=["significance"])
    staff, officer = Client(), Client()
    staff.force_login(world.staff_siak)
    officer.force_login(world.officer_riau)
    staff.post(reverse("innovations:innovation_submit", args=[adapted.pk]), {"version": adapted.version})
    adapted.refresh_from_db()
    officer.post(reverse("innovations:innovation_publish", args=[adapted.pk]), {"version": adapted.version})
    adapted.refresh_from_db()
    assert adapted.status == "published"
    source.refresh_from_db()
    assert source.replication_count == 1

    section = lineage()
    links = [a["href"] for a in section.find("ul", "replication-list").find_all("a")]
    assert links == [evaluated.get_public_url(), adapted.get_absolute_url()]
    assert "Adapted by 1 agency (published adaptation)." in section.text()
    tree = section.find("ul", "lineage-tree")
    assert [a["href"] for a in tree.find_all("a")] == [adapted.get_absolute_url()]
    assert "not published yet" not in section.text()


def test_replications_list_furthest_stage_first_and_only_public_ones(world):
    source = make_replicable(world.pekanbaru, name="Akta Kilat")
    approved = make_request(source, world.siak, world.staff_siak)
    advance(approved, "approved", officer=world.officer_riau, requester=world.staff_siak)
    mentoring = make_request(source, world.denpasar, world.staff_denpasar)
    advance(
        mentoring, "implemented", officer=world.officer_bali, requester=world.staff_denpasar,
        origin=world.staff_pekanbaru,
    )  # fmt: skip
    rejected_source = make_replicable(world.siak, name="Izin Kilat")
    rejected = make_request(rejected_source, world.pekanbaru, world.staff_pekanbaru)
    rejected.reject(by=world.officer_riau, reason="Belum sesuai.")
    page = parse(Client().get(source.get_absolute_url()).content)
    items = page.find("ul", "replication-list").find_all("li")
    assert [li.find("a")["href"] for li in items] == [mentoring.get_public_url(), approved.get_public_url()]
    assert not parse(Client().get(rejected_source.get_absolute_url()).content).find_all(
        "ul", "replication-list"
    )
