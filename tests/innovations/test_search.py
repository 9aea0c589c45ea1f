"""Search over published innovations: ranking, stemming, typos, websearch syntax."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from innovations import search
from innovations.models import Innovation
from tests.innovations.plans import explain, gated, runs

pytestmark = pytest.mark.django_db


def titles(response):
    return [card["name"] for card in response.context["cards"]]


def test_acronym_match_ranks_first(client, world, make):
    make(world.pekanbaru, name="Layanan Kependudukan Cepat", summary="Pelayanan SIPADU untuk warga.")
    make(
        world.siak, name="Sistem Pelayanan Administrasi Terpadu", acronym="SIPADU", summary="Kartu keluarga."
    )
    make(world.denpasar, name="Pelayanan Terpadu", summary="Disebut juga sipadu oleh warga, sipadu sipadu.")
    response = client.get(reverse("innovations:list"), {"q": "sipadu"})
    assert titles(response)[0] == "Sistem Pelayanan Administrasi Terpadu"
    assert len(titles(response)) == 3


def test_name_match_ranks_above_body_match(client, world, make):
    make(world.pekanbaru, name="Bank Sampah Sekolah", summary="Siswa menabung.")
    make(world.siak, name="Layanan Lain", summary="Ringkasan.", background="Ada bank sampah di desa.")
    response = client.get(reverse("innovations:list"), {"q": "bank sampah"})
    assert titles(response) == ["Bank Sampah Sekolah", "Layanan Lain"]


def test_pelayanan_finds_layanan(client, world, make):
    make(world.pekanbaru, name="Layanan Akta Kelahiran", summary="Akta untuk bayi.")
    response = client.get(reverse("innovations:list"), {"q": "pelayanan"})
    assert titles(response) == ["Layanan Akta Kelahiran"]


def test_agency_and_region_names_are_searchable(client, world, make):
    make(world.siak, name="Izin Cepat", summary="Perizinan usaha.")
    make(world.denpasar, name="Akta Cepat", summary="Akta kelahiran.")
    response = client.get(reverse("innovations:list"), {"q": "Siak"})
    assert titles(response) == ["Izin Cepat"]


def test_exclusion_syntax(client, world, make):
    make(world.pekanbaru, name="Rumah Sakit Gratis", summary="Rumah sakit gratis untuk warga.")
    make(world.siak, name="Rumah Sakit Daring", summary="Antrean rumah sakit daring.")
    response = client.get(reverse("innovations:list"), {"q": '"rumah sakit" -gratis'})
    assert titles(response) == ["Rumah Sakit Daring"]


def test_or_syntax(client, world, make):
    make(world.pekanbaru, name="Posyandu Digital", summary="Balita.")
    make(world.siak, name="Perpustakaan Keliling", summary="Buku.")
    make(world.denpasar, name="Pajak Daring", summary="Pajak.")
    response = client.get(reverse("innovations:list"), {"q": "posyandu OR perpustakaan", "sort": "az"})
    assert titles(response) == ["Perpustakaan Keliling", "Posyandu Digital"]


def test_one_letter_typo_in_a_name_still_finds_it(client, world, make):
    make(world.pekanbaru, name="Sistem Administrasi Terpadu", acronym="SIPANTING", summary="Balita.")
    make(world.siak, name="Lain", summary="Tidak terkait.")
    response = client.get(reverse("innovations:list"), {"q": "sipanting"[:4] + "x" + "sipanting"[5:]})
    assert titles(response) == ["Sistem Administrasi Terpadu"]
    assert response.context["result"].corrected
    assert "sipanting" in response.content.decode()


def test_empty_result_offers_did_you_mean(world, make):
    make(world.pekanbaru, name="Posyandu Digital", summary="Balita.")
    # Filtered to nothing, the correction finds nothing either, so it is offered, not applied.
    result = search.run(Innovation.objects.published().filter(sector="health"), "posyandi")
    assert result.rows == [] and result.suggestion == "posyandu" and not result.corrected


def test_highlight_escapes_everything_but_its_own_markers():
    assert search.highlight("<b>a</b> \x02akta\x03") == "&lt;b&gt;a&lt;/b&gt; <mark>akta</mark>"


def test_snippets_highlight_matches_and_escape_html(client, world, make):
    make(world.pekanbaru, name="Layanan Akta", summary="<script>x</script> Akta kelahiran untuk bayi.")
    response = client.get(reverse("innovations:list"), {"q": "akta"})
    html = response.content.decode()
    assert "<mark>Akta</mark>" in html
    assert "<script>x" not in html


def test_drafts_are_never_found(client, world, make):
    make(world.pekanbaru, name="Rahasia Draf", status="draft")
    make(world.pekanbaru, name="Rahasia Diajukan", status="submitted")
    client.force_login(world.ministry)  # even for someone who may read drafts, the list is public only
    response = client.get(reverse("innovations:list"), {"q": "rahasia"})
    assert titles(response) == []


def test_counts_are_capped(world, make, monkeypatch):
    monkeypatch.setattr(search, "COUNT_CAP", 3)
    for _ in range(5):
        make(world.pekanbaru, summary="Pelayanan kesehatan.")
    result = search.run(Innovation.objects.published(), "kesehatan")
    assert result.total_is_capped and result.count == 3
    browse = search.run(Innovation.objects.published(), "")
    assert browse.total_is_capped and browse.count == 3


def test_pages_stop_at_the_maximum_depth(world, make, monkeypatch):
    monkeypatch.setattr(search, "MAX_DEPTH", 20)
    for _ in range(25):
        make(world.pekanbaru)
    result = search.run(Innovation.objects.published(), "", page=99, per_page=10)
    assert result.page == 2 and result.last_page == 2 and not result.has_next


def test_sorts(client, world, make):
    make(world.pekanbaru, name="B Tengah", days_ago=5)
    popular = make(world.pekanbaru, name="C Lama", days_ago=50)
    make(world.pekanbaru, name="A Baru", days_ago=1)
    Innovation.objects.filter(pk=popular.pk).update(replication_count=4)
    url = reverse("innovations:list")
    assert titles(client.get(url, {"sort": "newest"})) == ["A Baru", "B Tengah", "C Lama"]
    assert titles(client.get(url, {"sort": "az"})) == ["A Baru", "B Tengah", "C Lama"]
    assert titles(client.get(url, {"sort": "replicated"}))[0] == "C Lama"


def test_relevance_ranks_head_matches_then_other_matches(world, make):
    for i in range(3):
        make(world.pekanbaru, name=f"Posyandu {i}", summary="Balita.")
    for i in range(4):
        make(world.siak, name=f"Lain {i}", summary="Ringkasan.", background="Kader posyandu desa.")
    names = [row.name for row in search.run(Innovation.objects.published(), "posyandu").rows]
    assert sorted(names[:3]) == ["Posyandu 0", "Posyandu 1", "Posyandu 2"]
    assert names[3:] == ["Lain 3", "Lain 2", "Lain 1", "Lain 0"]  # latest created first


def test_relevance_second_page_continues_with_other_matches(world, make, monkeypatch):
    for i in range(12):
        make(world.pekanbaru, name=f"Posyandu {i}", summary="Balita.")
    for i in range(12):
        make(world.siak, name=f"Lain {i}", summary="Ringkasan.", background="Kader posyandu desa.")
    first = search.run(Innovation.objects.published(), "posyandu", per_page=10)
    second = search.run(Innovation.objects.published(), "posyandu", page=2, per_page=10)
    third = search.run(Innovation.objects.published(), "posyandu", page=3, per_page=10)
    names = [row.name for row in first.rows + second.rows + third.rows]
    assert len(names) == len(set(names)) == 24
    assert all(name.startswith("Posyandu") for name in names[:12])


def test_suggestion_prefers_one_letter_edits_and_keeps_known_words(world, make):
    make(world.pekanbaru, name="Posyandu Digital", acronym="SIPANTING")
    assert search.suggest_for("posyandu sipantinf") == "posyandu sipanting"
    assert search.suggest_for("posyandu") == ""
    assert search.suggest_for("digitl posyanduu") == "digital posyandu"


def _a_search_that_times_out_degrades_to_a_normal_page(client, world, make, monkeypatch):
    make(world.pekanbaru, name="Rumah Sakit Daring", summary="Antrean rumah sakit.")
    # Every guarded statement now exceeds its timeout.
    monkeypatch.setattr(search, "_GUARD", "SET LOCAL statement_timeout = 1; SELECT pg_sleep(0.05); ")
    response = client.get(reverse("innovations:list"), {"q": '"rumah sakit"'})
    assert response.status_code == 200
    assert response.context["result"].degraded
    # The connection is still usable afterwards, with the normal settings back.
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] != "1ms"
    assert Innovation.objects.filter(name="Rumah Sakit Daring").exists()


@pytest.mark.django_db(transaction=True)
def test_a_search_that_times_out_degrades_to_a_normal_page(client, world, make, monkeypatch):
    _a_search_that_times_out_degrades_to_a_normal_page(client, world, make, monkeypatch)


def test_a_timeout_inside_a_transaction_rolls_back_only_its_savepoint(client, world, make, monkeypatch):
    """Inside a transaction (tests, commands) a timed-out search must not abort the transaction."""
    _a_search_that_times_out_degrades_to_a_normal_page(client, world, make, monkeypatch)


def test_guard_settings_do_not_outlive_the_search_inside_a_transaction(client, world, make):
    make(world.pekanbaru, name="Rumah Sakit Daring", summary="Antrean rumah sakit.")
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_seqscan")
        before = cursor.fetchone()[0]
        assert client.get(reverse("innovations:list"), {"q": "rumah sakit"}).status_code == 200
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone()[0] == before == "on"


def test_exact_acronym_is_found_even_when_head_candidates_are_full(world, make, monkeypatch):
    monkeypatch.setattr(search, "HEAD_CANDIDATES", 2)
    for i in range(5):
        make(world.pekanbaru, name=f"Layanan Sapa {i}", summary="Sapa warga.")
    make(world.siak, name="Sistem Aduan", acronym="SAPA", summary="Pengaduan.")
    names = [row.name for row in search.run(Innovation.objects.published(), "sapa").rows]
    assert names[0] == "Sistem Aduan"


def test_renaming_an_agency_reindexes_its_innovations(client, world, make):
    make(world.siak, name="Izin Cepat", summary="Perizinan usaha.")
    make(world.pekanbaru, name="Akta Cepat", summary="Akta kelahiran.")
    assert titles(client.get(reverse("innovations:list"), {"q": "DPMPTSP"})) == ["Izin Cepat"]
    world.siak.name = "Mal Pelayanan Publik Kabupaten Siak"
    world.siak.save()
    assert titles(client.get(reverse("innovations:list"), {"q": "DPMPTSP"})) == []
    assert titles(client.get(reverse("innovations:list"), {"q": "mal"})) == ["Izin Cepat"]


def test_moving_an_agency_moves_its_innovations_in_search_and_facets(client, world, make):
    innovation = make(world.siak, name="Izin Cepat", summary="Perizinan usaha.")
    world.siak.province, world.siak.regency = world.bali, world.badung_regency
    world.siak.save()
    innovation.refresh_from_db()
    assert (innovation.province_id, innovation.regency_id) == (world.bali.pk, world.badung_regency.pk)
    assert f"p:{world.bali.pk}" in innovation.facet_keys and f"p:{world.riau.pk}" not in innovation.facet_keys
    assert titles(client.get(reverse("innovations:list"), {"q": "Badung"})) == ["Izin Cepat"]
    assert titles(client.get(reverse("innovations:list"), {"province": world.riau.slug})) == []


def test_renaming_a_regency_or_province_reindexes_its_innovations(client, world, make):
    make(world.siak, name="Izin Cepat", summary="Perizinan usaha.")
    world.siak_regency.name = "Kabupaten Siak Sri Indrapura"
    world.siak_regency.save()
    world.riau.name = "Riau Daratan"
    world.riau.save()
    assert titles(client.get(reverse("innovations:list"), {"q": "Indrapura"})) == ["Izin Cepat"]
    assert titles(client.get(reverse("innovations:list"), {"q": "Daratan"})) == ["Izin Cepat"]


def test_head_matches_among_the_whole_matches_read_spare_the_head_index(world, make, monkeypatch):
    """Enough name/summary matches among the whole-record matches already read: the head index is
    not asked at all (its part sits behind a one-time filter that is false)."""
    monkeypatch.setattr(search, "HEAD_CANDIDATES", 2)
    monkeypatch.setattr(search, "COUNT_CAP", 3)
    for i in range(6):
        make(world.pekanbaru, name=f"Posyandu {i}", summary="Posyandu balita.")
    with CaptureQueriesContext(connection) as captured:
        result = search.run(Innovation.objects.published(), "posyandu")
    assert result.total_is_capped and len(result.rows) == search.COUNT_CAP + 1  # the candidates
    plan = explain(captured, "head_in_whole")
    # The head part's scan of the table sits under its gate (fewer head matches than HEAD_CANDIDATES
    # among more whole matches than COUNT_CAP) and never starts.
    assert not runs(gated(plan, r"(?:col1|\$\d+) < 2\) AND .*(?:col1|\$\d+) > 3\)"))


def test_head_matches_beyond_the_whole_matches_read_are_still_found_and_ranked_first(
    world, make, monkeypatch
):
    """Fewer name/summary matches among the rows read than wanted, and more matches than were read:
    the head index is asked, and its matches rank first."""
    monkeypatch.setattr(search, "COUNT_CAP", 3)
    for i in range(8):
        make(world.siak, name=f"Lain {i}", summary="Ringkasan.", background="Kader posyandu desa.")
    make(world.pekanbaru, name="Posyandu Digital", summary="Balita.")
    make(world.denpasar, name="Posyandu Keliling", summary="Balita.")
    result = search.run(Innovation.objects.published(), "posyandu")
    assert sorted(row.name for row in result.rows[:2]) == ["Posyandu Digital", "Posyandu Keliling"]
    assert result.total_is_capped
