"""Issue 12 in a real browser, at 360 px and 1280 px: a hub officer uploads a spreadsheet with two bad
rows, reads the problems by row and column, fixes the file, checks it again and imports it; the owning
agency submits the drafts, the officer publishes them, and anyone finds them in public search with
their provenance."""

import csv

from django.core.cache import cache

from innovations.models import Innovation

HEADER = [
    "sumber", "id_sumber", "nama", "akronim", "instansi", "ringkasan", "latar_belakang", "implementasi",
    "signifikansi", "sektor", "tahapan", "bentuk", "jenis", "inisiator", "tanggal_mulai", "tpb",
]  # fmt: skip
ROWS = [
    ["Daftar Hub Riau", "R-01", "Perpustakaan Terapung Sungai Siak", "PUSTAPUNG",
     "Disdukcapil Kota Pekanbaru",
     "Perahu perpustakaan menyusuri Sungai Siak.", "Minat baca rendah.", "Perahu singgah tiap pekan.",
     "Peminjam buku naik 60%.", "Pendidikan", "Penerapan", "Pelayanan publik", "Non-digital", "ASN",
     "2021-04-01", "4"],
    ["Daftar Hub Riau", "R-02", "Jemput Sampah Terpilah Kelurahan", "JESTER", "Disdukcapil Kota Pekanbaru",
     "Warga memilah sampah, petugas menjemput.", "Sampah menumpuk.", "Jadwal jemput mingguan.",
     "Sampah ke TPA turun 25%.", "Lingkungan hidup", "Sudah jalan", "Pelayanan publik", "Non-digital",
     "Masyarakat", "2022-01-10", "11 12"],
    ["Daftar Hub Riau", "R-03", "Kelas Parenting Posyandu Malam", "KAPAS", "Disdukcapil Kota Pekanbaru",
     "Kelas pengasuhan anak di posyandu pada malam hari.", "Orang tua bekerja siang.",
     "Kader mengajar pukul 19.00.", "Peserta 300 keluarga.", "Kesehatan", "Uji coba", "Pelayanan publik",
     "Non-digital", "Perangkat daerah", "31/02/2023", "3"],
]  # fmt: skip
FIXES = {1: {10: "Penerapan"}, 2: {14: "2023-02-28"}}  # row index → column index → corrected value


def _write(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return str(path)


def test_journey_officer_imports_a_spreadsheet(journey, e2e_world, tmp_path):
    w = e2e_world
    cache.clear()
    j = journey
    officer = j.new_page()
    j.sign_in(officer, w.officer_riau.username)
    officer.locator("a[href='/ruang-kerja/impor/']").click()
    officer.wait_for_url("**/ruang-kerja/impor/")
    j.check(officer, "import-start")

    # A file with two bad rows: the check lists both, by row and column, and saves nothing.
    officer.set_input_files("input[type=file][name=file]", _write(tmp_path / "inovasi-riau.csv", ROWS))
    officer.locator("main form[enctype='multipart/form-data'] button[type=submit]").click()
    officer.wait_for_url("**/ruang-kerja/impor/*-*/")
    problems = officer.locator("table.import-problems tbody tr")
    assert problems.count() == 2
    cells = [problems.nth(i).locator("td").all_inner_texts() for i in range(2)]
    assert [c[:2] for c in cells] == [["3", "tahapan"], ["4", "tanggal_mulai"]], cells
    assert "Sudah jalan" in cells[0][2]
    j.check(officer, "import-problems")
    assert not Innovation.objects.exists()

    # The corrected file passes the check and is imported.
    fixed = [[FIXES.get(i, {}).get(k, value) for k, value in enumerate(row)] for i, row in enumerate(ROWS)]
    officer.locator("main a[href='/ruang-kerja/impor/']").first.click()
    officer.set_input_files("input[type=file][name=file]", _write(tmp_path / "inovasi-riau-2.csv", fixed))
    officer.locator("main form[enctype='multipart/form-data'] button[type=submit]").click()
    officer.wait_for_url("**/ruang-kerja/impor/*-*/")
    assert officer.locator("table.import-problems").count() == 0
    j.check(officer, "import-checked")
    officer.locator("main form[action$='/impor/'] button[type=submit]").click()
    officer.wait_for_url("**/ruang-kerja/impor/*-*/")
    j.check(officer, "import-done")
    records = list(Innovation.objects.order_by("name"))
    assert len(records) == 3 and {r.status for r in records} == {"draft"}

    # The owning agency confirms its drafts through the normal workflow; the hub publishes them.
    staff = j.new_page()
    j.sign_in(staff, w.staff_pekanbaru.username)
    j.check(staff, "staff-workspace-with-imports")
    for record in records:
        staff.goto(f"/ruang-kerja/inovasi/{record.pk}/")
        with staff.expect_navigation():
            staff.locator(f"form[action='/ruang-kerja/inovasi/{record.pk}/ajukan/'] button").click()
        record.refresh_from_db()
        assert record.status == "submitted", (staff.url, staff.locator("main").inner_text()[:800])
    for record in records:
        officer.goto(f"/ruang-kerja/inovasi/{record.pk}/")
        with officer.expect_navigation():
            officer.locator(f"form[action='/ruang-kerja/inovasi/{record.pk}/terbitkan/'] button").click()
    assert set(Innovation.objects.values_list("status", flat=True)) == {"published"}

    # Anyone finds them in public search, with where they came from.
    cache.clear()
    visitor = j.new_page()
    visitor.goto("/inovasi/?q=perpustakaan+terapung")
    j.check(visitor, "public-search")
    visitor.locator("main a", has_text="Perpustakaan Terapung Sungai Siak").first.click()
    visitor.wait_for_url("**/inovasi/perpustakaan-terapung-sungai-siak/")
    j.expect("Daftar Hub Riau" in visitor.locator("p.provenance").inner_text(), "provenance shown")
    j.check(visitor, "public-record")
    for name in ("jemput sampah terpilah", "kelas parenting posyandu"):
        visitor.goto(f"/inovasi/?q={name.replace(' ', '+')}")
        j.expect(
            visitor.locator("main a", has_text=name.split()[0].capitalize()).count() > 0, f"{name} found"
        )
    j.finish()
