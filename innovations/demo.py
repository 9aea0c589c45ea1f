"""Sample innovations for local runs (``manage.py seed_demo``), all marked ``is_sample=True``.

Idempotent (keyed on slug). Spread over the demo agencies of jipp/demo.py so that every facet of the
list shows something: all sectors, stages, forms, types, several years, SDGs, awards, and a lineage
tree (source → adapted → adapted again) with replication counts kept by
``Innovation.objects.refresh_replication_count``.
"""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from innovations.models import Award, Innovation
from jipp import demo as jipp_demo
from jipp.models import Agency

# (name, acronym, agency index in jipp.demo.AGENCIES, sector, stage, form, kind, initiator, year started,
#  SDGs, summary, [awards as (program, rank, year)], source acronym or None, featured)
SAMPLES = [
    ("Sistem Pelayanan Administrasi Kependudukan Terpadu", "SIPADU", 0, "population", "implemented", "public_service", "digital", "agency", 2018, [16], "Warga Kota Pekanbaru mengurus kartu keluarga, akta kelahiran dan KTP elektronik dari ponsel; dokumen dicetak di kelurahan atau dikirim ke rumah. Waktu penyelesaian turun dari 14 hari menjadi 2 hari.", [("kipp", "top45", 2020)], None, True),
    ("Akta Lahir Langsung dari Rumah Sakit", "ALARM", 8, "population", "implemented", "public_service", "non_digital", "civil_servant", 2019, [16, 3], "Bayi yang lahir di rumah sakit dan puskesmas Kota Denpasar pulang bersama akta kelahiran dan kartu identitas anak, tanpa orang tua datang ke kantor dinas.", [("kipp", "top99", 2021)], "SIPADU", False),
    ("Pelayanan Dokumen Kependudukan Keliling Desa", "DUKCAPIL KELILING", 14, "population", "implemented", "public_service", "non_digital", "regional_head", 2017, [16, 10], "Mobil layanan keliling mendatangi desa terpencil Banyuwangi setiap pekan untuk perekaman KTP elektronik dan penerbitan akta.", [], "SIPADU", False),
    ("Layanan Adminduk Satu Pintu di Kelurahan", "SAPA WARGA", 5, "population", "trial", "public_service", "digital", "agency", 2022, [16], "Adaptasi SIPADU untuk Kota Pontianak: loket kelurahan terhubung langsung dengan data kependudukan, dengan pendampingan Hub Kalimantan Barat.", [], "ALARM", False),
    ("Akta Kelahiran Terintegrasi Layanan Kesehatan", "AKTIF", 17, "population", "trial", "public_service", "digital", "civil_servant", 2023, [16, 3], "Sleman mengadaptasi ALARM Denpasar dengan bidan desa sebagai petugas registrasi kelahiran.", [], "ALARM", False),
    ("Posyandu Digital Pemantau Stunting", "SIPANTING", 1, "health", "implemented", "public_service", "digital", "agency", 2019, [3, 2], "Kader posyandu mencatat berat dan tinggi balita di aplikasi; puskesmas melihat balita berisiko stunting dan menjadwalkan kunjungan gizi.", [("iga", "very_innovative", 2022)], None, True),
    ("Ambulans Desa Siaga Ibu Hamil", "AMBU DESA", 6, "health", "implemented", "public_service", "non_digital", "community", 2018, [3, 5], "Kendaraan warga terdaftar sebagai ambulans desa untuk mengantar ibu hamil ke puskesmas di Kubu Raya; angka kematian ibu turun.", [], None, False),
    ("Layanan Kesehatan Jiwa Berbasis Komunitas", "SEHATI", 10, "health", "trial", "public_service", "non_digital", "agency", 2021, [3], "Puskesmas di Bali dilatih menangani kesehatan jiwa bersama kader dan desa adat.", [], None, False),
    ("Pemantauan Gizi Balita Kepulauan", "GIZI PULAU", 11, "health", "initiative", "public_service", "digital", "civil_servant", 2024, [2, 3, 14], "Adaptasi SIPANTING untuk puskesmas kepulauan Kota Ambon dengan pencatatan luring.", [], "SIPANTING", False),
    ("Sekolah Literasi Keliling", "SELIKA", 3, "education", "implemented", "public_service", "non_digital", "civil_servant", 2017, [4], "Perpustakaan keliling mendatangi sekolah dan kampung nelayan Dumai dengan buku dan kelas membaca.", [("kipp", "top99", 2019)], None, False),
    ("Beasiswa Anak Nelayan", "BANA", 12, "education", "trial", "governance", "non_digital", "regional_head", 2020, [4, 14, 1], "Beasiswa sekolah menengah untuk anak nelayan Maluku yang dikelola bersama koperasi nelayan.", [], None, False),
    ("Perizinan Berusaha Tanpa Tatap Muka", "SIAK ONLINE", 2, "licensing", "implemented", "public_service", "digital", "agency", 2018, [8, 9, 16], "Semua izin usaha di Kabupaten Siak diajukan dan diterbitkan daring dengan tanda tangan elektronik; waktu izin turun dari 21 menjadi 3 hari.", [("kipp", "top45", 2019)], None, True),
    ("Klinik Izin Usaha Mikro", "KLIK UMKM", 13, "licensing", "implemented", "public_service", "digital", "agency", 2019, [8], "Pendampingan pelaku usaha mikro Surabaya mengurus nomor induk berusaha dan sertifikat halal di satu tempat.", [], "SIAK ONLINE", False),
    ("Data Terpadu Bantuan Sosial", "DATU", 7, "social", "implemented", "governance", "digital", "agency", 2019, [1, 10], "Satu data penerima bantuan sosial Kalimantan Barat dipadankan dengan data kependudukan sehingga bantuan tepat sasaran.", [], None, False),
    ("Layanan Braille dan Bahasa Isyarat", "SETARA", 16, "social", "initiative", "public_service", "non_digital", "community", 2024, [10], "Dokumen layanan publik Makassar tersedia dalam huruf braille dan petugas loket belajar bahasa isyarat.", [], None, False),
    ("Pasar Digital Produk Lokal", "PASLOK", 9, "economy", "trial", "public_service", "digital", "agency", 2021, [8, 12], "Pelaku usaha kecil Badung menjual kerajinan dan kuliner ke wisatawan melalui etalase daring bersama.", [], None, False),
    ("Lumbung Pangan Desa", "LUPA DESA", 15, "agriculture", "implemented", "governance", "non_digital", "community", 2016, [2], "Kelompok tani Kabupaten Bandung menyimpan gabah bersama untuk menjaga harga dan cadangan pangan.", [("iga", "innovative", 2020)], None, False),
    ("Asuransi dan Sertifikat Nelayan Kecil", "ASNEL", 12, "fisheries", "implemented", "public_service", "non_digital", "agency", 2018, [14, 1], "Nelayan kecil Maluku mendapat kartu nelayan dan asuransi jiwa yang diurus di tempat pelelangan ikan.", [], None, False),
    ("Bank Sampah Sekolah", "BASS", 3, "environment", "implemented", "public_service", "non_digital", "civil_servant", 2017, [11, 12, 4], "Siswa Dumai menabung sampah terpilah; hasilnya untuk biaya kegiatan sekolah.", [], None, False),
    ("Air Bersih Desa Terpadu", "AIRDES", 6, "public_works", "trial", "public_service", "non_digital", "regional_head", 2021, [6], "Sambungan air bersih desa dikelola badan usaha milik desa di Kubu Raya dengan iuran warga.", [], None, False),
    ("Angkutan Sekolah Gratis", "ASIK", 13, "transport", "implemented", "public_service", "non_digital", "regional_head", 2015, [4, 11], "Bus sekolah gratis di Surabaya menjemput pelajar dari kampung ke sekolah setiap pagi.", [], None, False),
    ("Kalender Event Desa Wisata", "KADEWI", 9, "tourism", "implemented", "governance", "digital", "agency", 2019, [8], "Satu kalender acara budaya desa wisata Badung untuk wisatawan dan pelaku wisata.", [], None, False),
    ("Peringatan Dini Banjir Berbasis Warga", "SIGAB", 16, "disaster", "trial", "public_service", "digital", "community", 2022, [11, 13], "Warga mengirim tinggi muka air dari ponsel; peringatan banjir dikirim lewat pesan singkat ke kelurahan Makassar.", [], None, False),
    ("Profil Desa Terbuka", "PRODES", 15, "village", "implemented", "governance", "digital", "civil_servant", 2020, [17, 16], "Anggaran dan kegiatan desa di Kabupaten Bandung diumumkan di papan dan situs desa.", [], None, False),
    ("Ruang Ramah Anak di Kelurahan", "RUMAH ANAK", 8, "women_children", "implemented", "public_service", "non_digital", "community", 2018, [5, 16], "Setiap kelurahan Denpasar menyediakan ruang bermain, konseling dan pelaporan kekerasan terhadap anak.", [], None, False),
    ("Pajak Kendaraan Bayar di Minimarket", "SAMSAT MART", 4, "finance", "implemented", "public_service", "digital", "agency", 2019, [16, 17], "Pemilik kendaraan di Riau membayar pajak kendaraan di minimarket dan mendapat bukti pengesahan.", [("kipp", "outstanding", 2021)], None, True),
    ("E-Retribusi Pasar", "E-RETRI", 7, "finance", "trial", "governance", "digital", "agency", 2022, [16], "Pedagang pasar membayar retribusi harian dengan kode QR; pendapatan tercatat otomatis.", [], "SAMSAT MART", False),
    ("Perencanaan Anggaran Partisipatif", "MUSRENBANG ONLINE", 16, "governance", "implemented", "governance", "digital", "agency", 2017, [16, 17], "Usulan warga untuk musyawarah perencanaan pembangunan Makassar diajukan dan dipantau daring.", [], None, False),
    ("Kinerja Pegawai Harian", "E-KINERJA", 4, "governance", "implemented", "governance", "digital", "agency", 2016, [16], "Pegawai Bapenda Riau mencatat kinerja harian yang menjadi dasar tunjangan.", [], None, False),
    ("Pengaduan Warga Satu Pintu", "SAPA KOTA", 13, "communication", "implemented", "public_service", "digital", "regional_head", 2016, [16], "Semua pengaduan warga Surabaya masuk satu aplikasi dan diteruskan ke dinas terkait dengan batas waktu jawaban.", [("kipp", "top99", 2018)], None, False),
    ("Bursa Kerja Daring Daerah", "BURSAKER", 5, "employment", "initiative", "public_service", "digital", "agency", 2025, [8], "Lowongan kerja perusahaan di Pontianak dan pencari kerja bertemu di satu layanan daring.", [], None, False),
    ("Patroli Ketertiban Pasar Malam", "TERTIB", 14, "public_order", "trial", "governance", "non_digital", "council_member", 2023, [16, 11], "Satpol PP dan warga Banyuwangi berpatroli bersama di pasar malam; pedagang kaki lima ditata, bukan digusur.", [], None, False),
    ("Layanan Informasi Pariwisata Multibahasa", "INFO WISATA", 10, "tourism", "initiative", "other", "digital", "civil_servant", 2025, [8, 17], "Informasi kesehatan dan wisata untuk wisatawan di Bali dalam lima bahasa.", [], None, False),
    ("Sekolah Lapang Iklim Petani", "SLI", 15, "agriculture", "trial", "other", "non_digital", "agency", 2021, [2, 13], "Petani belajar membaca prakiraan cuaca untuk menentukan masa tanam.", [], "LUPA DESA", False),
    ("Vaksinasi Ternak Keliling", "VAKTER", 1, "agriculture", "initiative", "other", "non_digital", "community", 2024, [2, 15], "Petugas kesehatan hewan mendatangi peternak kecil di pinggiran Pekanbaru.", [], None, False),
    ("Antrean Puskesmas Daring", "ANTRI SEHAT", 11, "health", "implemented", "public_service", "digital", "agency", 2020, [3], "Pasien puskesmas Ambon mengambil nomor antrean dari ponsel dan datang tepat waktu.", [], None, False),
]  # fmt: skip

SECTIONS = {
    "background": "Sebelum {acronym}, warga harus datang berkali-kali ke kantor dan menunggu lama. {agency} "
    "menetapkan tujuan: pelayanan yang cepat, murah dan dapat dipantau masyarakat.",
    "novelty": "{acronym} menggabungkan pelayanan yang sebelumnya terpisah dan mendekatkannya ke warga.",
    "implementation": "Dimulai dengan uji coba di dua kelurahan, kemudian diperluas ke seluruh wilayah. Petugas "
    "dilatih, prosedur disederhanakan dan ditetapkan dengan surat keputusan kepala dinas.",
    "significance": "Dalam dua tahun jumlah warga yang terlayani naik tiga kali lipat dan tingkat kepuasan "
    "mencapai 90 persen menurut survei kepuasan masyarakat.",
    "adaptability": "Daerah lain memerlukan 3–5 petugas terlatih, anggaran awal sekitar Rp150 juta, peraturan "
    "kepala daerah, dan jaringan internet di titik layanan.",
    "resources": "Lima pegawai, satu ruang layanan, perangkat komputer dan anggaran rutin dinas.",
    "sustainability": "{acronym} masuk rencana strategis dinas dan dianggarkan setiap tahun.",
    "beneficiaries": "Warga, terutama kelompok rentan dan penduduk di wilayah terpencil.",
}


def _agencies(context):
    if context and context.get("agencies"):
        return context["agencies"]
    slugs = [slugify(name)[:220] for name, *_ in jipp_demo.AGENCIES]
    found = {a.slug: a for a in Agency.objects.filter(slug__in=slugs)}
    return [found[slug] for slug in slugs]


@transaction.atomic
def seed(context=None):
    agencies = _agencies(context)
    now = timezone.now()
    today = timezone.localdate()
    by_acronym = {}
    for index, sample in enumerate(SAMPLES):
        (name, acronym, agency_index, sector, stage, form, kind, initiator, year, sdgs, summary, awards,
         source, featured) = sample  # fmt: skip
        agency = agencies[agency_index]
        published_at = now - timedelta(days=17 * (len(SAMPLES) - index) + 3)
        # Every fifth record has not been confirmed for more than a year: the stale notice shows.
        confirmed = today - timedelta(days=420 if index % 5 == 4 else 30 + index)
        fields = {"agency": agency.name}
        innovation, created = Innovation.objects.get_or_create(
            slug=f"contoh-{slugify(acronym)}",
            defaults={
                "name": name,
                "acronym": acronym,
                "agency": agency,
                "summary": summary,
                **{key: text.format(acronym=acronym, **fields) for key, text in SECTIONS.items()},
                "form": form,
                "kind": kind,
                "sector": sector,
                "stage": stage,
                "initiator": initiator,
                "started_on": date(year, 1 + index % 12, 1),
                "sdgs": sdgs,
                "contact_name": "Tim Inovasi " + agency.name,
                "contact_email": f"inovasi@{slugify(acronym)}.contoh.go.id",
                "website": f"https://{slugify(acronym)}.contoh.go.id/",
                "replicated_from": by_acronym.get(source),
                "status": Innovation.Status.PUBLISHED,
                "is_featured": featured,
                "is_sample": True,
                "last_confirmed_on": confirmed,
                "submitted_at": published_at - timedelta(days=7),
                "published_at": published_at,
            },
        )
        if created:
            for program, rank, award_year in awards:
                Award.objects.create(innovation=innovation, program=program, rank=rank, year=award_year)
        by_acronym[acronym] = innovation
    for innovation in by_acronym.values():
        Innovation.objects.refresh_replication_count(innovation.pk)
    context = {**(context or {}), "innovations": by_acronym}
    # Then a record in every workflow state and a pending access request (innovations/demo_workflow.py).
    from innovations import demo_import, demo_workflow

    workflow = demo_workflow.seed(context=context) or {}
    # Then sample imports (innovations/demo_import.py): a checked file with problems and a likely
    # duplicate, and a record imported by the ministry.
    return {"innovations": by_acronym, **workflow, **demo_import.seed(context=context)}
