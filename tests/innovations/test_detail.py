"""The innovation page: the whole record, links, evidence, awards, lineage, stale notice, sharing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from innovations.models import Award, Evidence, Innovation

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
