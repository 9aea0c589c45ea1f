"""Bulk synthetic innovations for benchmarks: ``manage.py generate_innovations --count 1000000``.

Never part of ``seed_demo``. Needs ``load_regions`` first; creates its own synthetic agencies (slugs
starting ``gen-``), six in every one of the 514 regencies/cities and two per province, and spreads the
records over all of them.

How it stays fast with flat memory: rows are produced by a generator and streamed into PostgreSQL with
``COPY`` in chunks (one transaction per chunk); the search vectors and facet keys are computed by the
database trigger as rows arrive. For large loads the secondary indexes are dropped first and rebuilt
once at the end (a GIN index built in one pass is much cheaper than a million insertions into it).
Text is made of sentences drawn from a pool built once per sector, with random slot words, so records
are varied (sectors, stages, years, lengths, acronyms) while the generator does little work per row.
"""

import multiprocessing
import random
import resource
import time
from array import array
from datetime import UTC, datetime, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils.text import slugify

from innovations.models import Award, Form, Initiator, Innovation, Kind, Sector, Stage
from jipp.dbcopy import copy_in
from jipp.models import Agency, Province, Regency

REGENCY_AGENCIES = [
    ("Dinas Kesehatan", "health"),
    ("Dinas Kependudukan dan Pencatatan Sipil", "population"),
    ("Dinas Penanaman Modal dan PTSP", "licensing"),
    ("Dinas Pendidikan", "education"),
    ("Dinas Sosial", "social"),
    ("Badan Perencanaan Pembangunan Daerah", "governance"),
]
PROVINCE_AGENCIES = [
    ("Badan Pendapatan Daerah", "finance"),
    ("Dinas Komunikasi dan Informatika", "communication"),
]

# Words by sector: (objects of the service, beneficiaries, sector-specific terms)
SECTOR_WORDS = {
    "health": (
        ["posyandu", "puskesmas", "imunisasi", "gizi balita", "rujukan pasien", "ambulans desa", "stunting"],
        ["ibu hamil", "balita", "lansia", "pasien"],
        ["kesehatan", "dokter", "bidan", "kader", "obat", "gizi"],
    ),
    "education": (
        ["sekolah", "beasiswa", "literasi", "perpustakaan keliling", "guru penggerak"],
        ["siswa", "guru", "anak putus sekolah"],
        ["pendidikan", "belajar", "membaca", "kelas", "kurikulum"],
    ),
    "population": (
        ["akta kelahiran", "kartu keluarga", "KTP elektronik", "akta kematian", "kartu identitas anak"],
        ["penduduk", "warga", "bayi baru lahir"],
        ["kependudukan", "dokumen", "pencatatan", "administrasi", "dukcapil"],
    ),
    "licensing": (
        ["perizinan berusaha", "izin mendirikan bangunan", "izin usaha mikro", "pengaduan investor"],
        ["pelaku usaha", "investor", "UMKM"],
        ["izin", "investasi", "berkas", "perizinan"],
    ),
    "social": (
        ["bantuan sosial", "data terpadu", "rumah layak huni", "disabilitas"],
        ["keluarga miskin", "penyandang disabilitas", "lansia terlantar"],
        ["sosial", "bantuan", "kesejahteraan", "braille"],
    ),
    "economy": (
        ["pasar digital", "koperasi", "kredit usaha", "produk lokal"],
        ["pedagang pasar", "pengrajin", "UMKM"],
        ["ekonomi", "usaha", "pemasaran", "modal"],
    ),
    "agriculture": (
        ["pupuk bersubsidi", "benih unggul", "lumbung pangan", "penyuluhan tani"],
        ["petani", "kelompok tani"],
        ["pertanian", "panen", "sawah", "pangan"],
    ),
    "fisheries": (
        ["tempat pelelangan ikan", "budidaya rumput laut", "asuransi nelayan", "mangrove"],
        ["nelayan", "pembudidaya ikan"],
        ["perikanan", "laut", "ikan", "pesisir"],
    ),
    "environment": (
        ["bank sampah", "pengolahan limbah", "ruang terbuka hijau", "kualitas udara"],
        ["rumah tangga", "komunitas peduli lingkungan"],
        ["lingkungan", "sampah", "daur ulang", "hijau"],
    ),
    "public_works": (
        ["jalan desa", "air bersih", "drainase", "sanitasi"],
        ["warga permukiman", "rumah tangga"],
        ["infrastruktur", "air", "bangunan", "perumahan"],
    ),
    "transport": (
        ["angkutan sekolah", "uji kendaraan", "terminal", "parkir elektronik"],
        ["penumpang", "pengemudi", "pelajar"],
        ["transportasi", "kendaraan", "angkutan", "lalu lintas"],
    ),
    "tourism": (
        ["desa wisata", "kalender event", "pemandu wisata", "cagar budaya"],
        ["wisatawan", "pelaku wisata"],
        ["pariwisata", "budaya", "wisata", "seni"],
    ),
    "disaster": (
        ["peringatan dini", "tanggap darurat", "jalur evakuasi", "tsunami"],
        ["warga rawan bencana", "relawan"],
        ["bencana", "banjir", "mitigasi", "darurat"],
    ),
    "village": (
        ["dana desa", "badan usaha milik desa", "profil desa", "musyawarah desa"],
        ["perangkat desa", "warga desa"],
        ["desa", "pemberdayaan", "gotong royong", "kampung"],
    ),
    "women_children": (
        ["perlindungan anak", "pencegahan kekerasan", "ruang ramah anak", "perkawinan anak"],
        ["perempuan", "anak", "korban kekerasan"],
        ["perempuan", "anak", "perlindungan", "keluarga"],
    ),
    "finance": (
        ["pajak daerah", "retribusi", "pajak kendaraan", "pembayaran nontunai"],
        ["wajib pajak", "pemilik kendaraan"],
        ["pajak", "pendapatan", "keuangan", "pembayaran"],
    ),
    "governance": (
        ["perencanaan anggaran", "reformasi birokrasi", "kinerja pegawai", "arsip digital"],
        ["aparatur sipil negara", "perangkat daerah"],
        ["tata kelola", "birokrasi", "kinerja", "anggaran"],
    ),
    "communication": (
        ["pengaduan masyarakat", "satu data", "jaringan internet desa", "aplikasi layanan"],
        ["warga", "operator desa"],
        ["informasi", "digital", "aplikasi", "data"],
    ),
    "employment": (
        ["bursa kerja", "pelatihan kerja", "kartu prakerja daerah", "magang"],
        ["pencari kerja", "lulusan baru"],
        ["ketenagakerjaan", "pelatihan", "pekerjaan", "keterampilan"],
    ),
    "public_order": (
        ["ketertiban umum", "patroli malam", "pemadam kebakaran", "keamanan lingkungan"],
        ["warga", "pedagang kaki lima"],
        ["ketertiban", "keamanan", "kebakaran", "satpol"],
    ),
}

LEADS = [
    "Layanan",
    "Gerakan",
    "Sistem",
    "Program",
    "Aplikasi",
    "Sekolah",
    "Rumah",
    "Kampung",
    "Klinik",
    "Pojok",
]
QUALIFIERS = [
    "Terpadu",
    "Keliling",
    "Digital",
    "Bersama",
    "Cepat",
    "Ramah",
    "Mandiri",
    "Sehat",
    "Cerdas",
    "Berbasis Masyarakat",
]
SYLLABLES = [c + v for c in "smpdtklnrbgjwy" for v in "aiueo"]
ACRONYM_PREFIXES = ["SI", "E-", "GEMA ", "SAPA ", "", "", "", "LAYAN ", "GO-", "SIM"]

SENTENCES = [
    "{Inovasi} ini mempermudah {ben} mendapatkan {obj} tanpa harus datang berkali-kali ke kantor.",
    "Sebelumnya pelayanan {obj} memakan waktu lama dan biaya yang tidak sedikit bagi {ben}.",
    "Melalui {inovasi} ini {agency} bekerja sama dengan {partner} untuk meningkatkan mutu pelayanan {term}.",
    "Pelayanan {obj} kini dapat dipantau secara terbuka oleh masyarakat melalui {channel}.",
    "Jumlah {ben} yang terlayani naik dari {n1} menjadi {n2} orang dalam {years} tahun.",
    "Waktu penyelesaian {obj} berkurang dari {d1} hari menjadi {d2} hari.",
    "Petugas {term} mendatangi {ben} langsung ke rumah dan kantor desa setiap pekan.",
    "Replikasi membutuhkan {staff} petugas terlatih, anggaran sekitar Rp{budget} juta per tahun, "
    "dan peraturan kepala daerah.",
    "Keberlanjutan dijaga dengan memasukkan {inovasi} ke dalam rencana kerja dan anggaran daerah.",
    "Masyarakat dilibatkan sejak perencanaan melalui musyawarah dan survei kepuasan pelayanan {term}.",
    "Data {obj} terhubung dengan sistem nasional sehingga tidak ada lagi pencatatan ganda.",
    "Kebaruan {inovasi} terletak pada penggabungan pelayanan {term} dengan {channel}.",
    "Kendala awal berupa keterbatasan jaringan internet diatasi dengan layanan luring di {place}.",
    "{Inovasi} ini meraih penghargaan dan menjadi rujukan bagi daerah lain di provinsi.",
    "Tingkat kepuasan {ben} mencapai {pct} persen menurut survei tahun terakhir.",
    "Pemerintah daerah menetapkan {inovasi} ini melalui surat keputusan kepala dinas.",
    "Sumber daya yang digunakan meliputi {staff} pegawai, satu ruang layanan, dan perangkat komputer.",
    "Pelayanan {term} menjangkau {ben} di wilayah terpencil dan kepulauan.",
]
PARTNERS = [
    "perguruan tinggi setempat",
    "puskesmas",
    "kantor desa",
    "organisasi masyarakat",
    "bank daerah",
    "kecamatan",
]
CHANNELS = [
    "aplikasi ponsel",
    "layanan WhatsApp",
    "situs web",
    "loket keliling",
    "media sosial",
    "kios layanan mandiri",
]
PLACES = ["kantor kecamatan", "balai desa", "pasar", "sekolah", "puskesmas pembantu", "kantor kelurahan"]

COLUMNS = [
    "id", "name", "acronym", "slug", "agency_id", "province_id", "regency_id", "summary", "background",
    "novelty", "implementation", "significance", "adaptability", "resources", "sustainability",
    "beneficiaries", "form", "kind", "sector", "stage", "initiator", "started_on", "sdgs", "contact_name",
    "contact_email", "contact_phone", "website", "video_url", "replicated_from_id", "replication_count",
    "status", "is_featured", "is_sample", "last_confirmed_on", "created_at", "updated_at",
    "submitted_at", "published_at", "facet_keys", "review_comment", "version",
]  # fmt: skip

# fmt: off
SECTOR_SDGS = {
    "health": [3], "education": [4], "population": [16], "licensing": [8, 9], "social": [1, 10],
    "economy": [8], "agriculture": [2], "fisheries": [14], "environment": [11, 12, 13],
    "public_works": [6, 11],
    "transport": [11], "tourism": [8], "disaster": [11, 13], "village": [1, 17],
    "women_children": [5], "finance": [16, 17], "governance": [16], "communication": [9, 16],
    "employment": [8], "public_order": [16],
}
# fmt: on


def _tsv(value) -> str:
    if value is None:
        return "\\N"
    return str(value).replace("\\", "\\\\").replace("\t", " ").replace("\n", " ").replace("\r", " ")


class Generator:
    def __init__(self, seed: int, agencies: list):
        self.rng = random.Random(seed)
        self.agencies = agencies  # (id, province_id, regency_id, name, sector hint)
        self.pools = {sector: self._pool(sector, 400) for sector in SECTOR_WORDS}
        self.now = datetime.now(UTC)

    def _pool(self, sector, size):
        rng = self.rng
        objects, beneficiaries, terms = SECTOR_WORDS[sector]
        pool = []
        for _ in range(size):
            template = rng.choice(SENTENCES)
            pool.append(
                template.format(
                    Inovasi=rng.choice(["Inovasi", "Program", "Layanan"]),
                    inovasi=rng.choice(["inovasi", "program", "layanan"]),
                    obj=rng.choice(objects),
                    ben=rng.choice(beneficiaries),
                    term=rng.choice(terms),
                    agency="dinas",
                    partner=rng.choice(PARTNERS),
                    channel=rng.choice(CHANNELS),
                    place=rng.choice(PLACES),
                    n1=rng.randint(100, 5000),
                    n2=rng.randint(5000, 90000),
                    years=rng.randint(1, 5),
                    d1=rng.randint(7, 30),
                    d2=rng.randint(1, 6),
                    staff=rng.randint(2, 25),
                    budget=rng.randint(20, 900),
                    pct=rng.randint(70, 98),
                )
            )
        return pool

    def _text(self, sector, low, high):
        pool = self.pools[sector]
        return " ".join(self.rng.choice(pool) for _ in range(self.rng.randint(low, high)))

    def acronym(self):
        rng = self.rng
        core = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).upper()
        return (rng.choice(ACRONYM_PREFIXES) + core)[:40]

    def row(self, pk, replicated_from, replication_count, awards_out):
        rng = self.rng
        agency_id, province_id, regency_id, agency_name, hint = rng.choice(self.agencies)
        sector = hint if rng.random() < 0.6 else rng.choice(list(SECTOR_WORDS))
        objects, beneficiaries, terms = SECTOR_WORDS[sector]
        name = f"{rng.choice(LEADS)} {rng.choice(objects).title()} {rng.choice(QUALIFIERS)}"
        acronym = self.acronym() if rng.random() < 0.85 else ""
        published = self.now - timedelta(days=rng.randint(0, 365 * 9), seconds=rng.randint(0, 86399))
        started = (published - timedelta(days=rng.randint(30, 900))).date()
        confirmed = (published + timedelta(days=rng.randint(0, 500))).date()
        if confirmed > self.now.date():
            confirmed = self.now.date()
        sdgs = sorted(set(SECTOR_SDGS[sector] + ([rng.randint(1, 17)] if rng.random() < 0.3 else [])))
        if rng.random() < 0.03:
            awards_out.append(
                (
                    pk,
                    *rng.choice([("kipp", "top99"), ("kipp", "top45"), ("iga", "very_innovative")]),
                    published.year,
                )
            )
        values = [
            pk,
            name,
            acronym,
            f"{slugify(acronym or name)[:60]}-{pk}",
            agency_id,
            province_id,
            regency_id,
            self._text(sector, 2, 4),
            self._text(sector, 1, 2),
            self._text(sector, 1, 1),
            self._text(sector, 1, 2),
            self._text(sector, 1, 1),
            self._text(sector, 1, 1),
            self._text(sector, 1, 1),
            self._text(sector, 1, 1),
            rng.choice(beneficiaries),
            rng.choices(["public_service", "governance", "other"], weights=[6, 3, 1])[0],
            rng.choices(["digital", "non_digital"], weights=[55, 45])[0],
            sector,
            rng.choices(["implemented", "trial", "initiative"], weights=[6, 3, 1])[0],
            rng.choices(
                ["agency", "regional_head", "civil_servant", "community", "council_member"],
                weights=[50, 20, 20, 8, 2],
            )[0],  # fmt: skip
            started.isoformat(),
            "{" + ",".join(map(str, sdgs)) + "}",
            "Tim Inovasi",
            f"inovasi{pk % 997}@example.go.id",
            "",
            "",
            "",
            replicated_from or None,
            replication_count,
            "published",
            "t" if rng.random() < 0.001 else "f",
            "f",
            confirmed.isoformat(),
            published.isoformat(),
            published.isoformat(),
            published.isoformat(),
            published.isoformat(),
            "{}",
            "",
            1,
        ]
        return "\t".join(_tsv(v) for v in values) + "\n"


_STATE = {}


def _load_chunk(task):
    """Worker: generate rows ``start .. start + n`` and COPY them in, in one transaction."""
    start, n = task
    state = _STATE
    first, sources, counts = state["first"], state["sources"], state["counts"]
    generator = Generator(state["seed"] * 1_000_003 + start, state["agencies"])
    awards = []
    lines = (generator.row(first + i, sources[i], counts[i], awards) for i in range(start, start + n))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jipp.bulk_load = 'on'")
        copy_in(cursor, f"COPY innovations_innovation ({', '.join(COLUMNS)}) FROM STDIN", lines)
        if awards:
            # Awards after their rows (foreign keys are checked at commit); their trigger then
            # refreshes the award facet of each awarded row.
            copy_in(
                cursor,
                "COPY innovations_award (innovation_id, program, year, rank, title) FROM STDIN",
                (f"{pk}\t{prog}\t{year}\t{rank}\t\n" for pk, prog, rank, year in awards),
            )
    connection.close()
    return n


class Command(BaseCommand):
    help = "Create N synthetic published innovations across all regencies, for benchmarks only."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True)
        parser.add_argument("--chunk", type=int, default=20000)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--workers", type=int, default=2, help="Parallel loading processes.")
        parser.add_argument(
            "--keep-indexes", action="store_true", help="Insert into the live indexes instead of rebuilding."
        )

    def handle(self, *args, count, chunk, seed, workers, keep_indexes, **options):
        if count < 1:
            raise CommandError("--count must be at least 1.")
        if Regency.objects.count() < 514:
            raise CommandError("Load the regions first: python manage.py load_regions")
        started = time.monotonic()
        agencies = self._agencies()
        rng = random.Random(seed + 1)

        with connection.cursor() as cursor:
            cursor.execute("SELECT coalesce(max(id), 0) FROM innovations_innovation")
            first = cursor.fetchone()[0] + 1

        # Lineage decided up front (compact arrays: 12 bytes a row): 4% of records adapt one of the
        # first chunk's records (mostly a "popular" one), so replication_count is known when the source
        # is written, and the first chunk is committed before the parallel workers refer to it.
        sources = array("q", bytes(8 * count))
        counts = array("l", bytes(array("l").itemsize * count))
        pool_size = min(chunk, count)
        popular = [rng.randrange(pool_size) for _ in range(max(1, pool_size // 500))]
        for i in range(count):
            if i > 100 and rng.random() < 0.04:
                j = rng.choice(popular) if rng.random() < 0.7 else rng.randrange(min(i, pool_size))
                if j < i:
                    sources[i] = first + j
                    counts[j] += 1
        del popular

        dropped = [] if keep_indexes or count < 50000 else self._drop_indexes()
        tasks = [(start, min(chunk, count - start)) for start in range(0, count, chunk)]
        global _STATE
        _STATE = {"first": first, "sources": sources, "counts": counts, "agencies": agencies, "seed": seed}
        connection.close()  # each worker process opens its own connection
        try:
            done = 0
            context = multiprocessing.get_context("fork")
            done += _load_chunk(tasks[0])
            with context.Pool(workers) as pool:
                for n in pool.imap_unordered(_load_chunk, tasks[1:]):
                    done += n
                    elapsed = time.monotonic() - started
                    self.stdout.write(f"{done:>9,} rows  {elapsed:7.1f} s  {done / elapsed:8.0f} rows/s")
        finally:
            if dropped:
                self.stdout.write(f"Rebuilding {len(dropped)} indexes …")
                with connection.cursor() as cursor:
                    cursor.execute("SET max_parallel_maintenance_workers = 2")
                    for statement in dropped:
                        cursor.execute(statement)
        with connection.cursor() as cursor:
            # The words of the new names for "did you mean", in one statement.
            cursor.execute(
                """
                INSERT INTO innovations_searchterm (term)
                SELECT DISTINCT left(w, 100)
                  FROM innovations_innovation i,
                       regexp_split_to_table(lower(i.name || ' ' || i.acronym), '[^[:alnum:]]+') w
                 WHERE i.id >= %s AND i.status = 'published' AND length(w) >= 3
                ON CONFLICT DO NOTHING
                """,
                [first],
            )
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('innovations_innovation', 'id'), "
                "(SELECT max(id) FROM innovations_innovation))"
            )
            # VACUUM sets the visibility map, so facet counts over the newest rows are index-only.
            cursor.execute("VACUUM (ANALYZE) innovations_innovation")
            cursor.execute("ANALYZE innovations_award")
            cursor.execute("ANALYZE innovations_searchterm")
        # COPY bypasses save(): tell the public page cache that the content changed.
        from jipp.ops.cache import content_changed

        content_changed()
        peak_mb = (
            max(
                resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
            )
            / 1024
        )
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {count:,} innovations in {elapsed:.1f} s; "
                f"peak memory of any one process {peak_mb:.0f} MB ({workers} workers)."
            )
        )

    def _agencies(self):
        provinces = {p.id: p for p in Province.objects.all()}
        wanted = []
        for regency in Regency.objects.all():
            for name, _ in REGENCY_AGENCIES:
                full = f"{name} {regency.name}"
                wanted.append(
                    Agency(
                        name=full,
                        slug=f"gen-{slugify(full)}-{regency.code.replace('.', '-')}"[:220],
                        level=Agency.Level.REGENCY,
                        province_id=regency.province_id,
                        regency=regency,
                    )
                )
        for province in provinces.values():
            for name, _ in PROVINCE_AGENCIES:
                full = f"{name} Provinsi {province.name}"
                wanted.append(
                    Agency(
                        name=full,
                        slug=f"gen-{slugify(full)}-{province.code}"[:220],
                        level=Agency.Level.PROVINCE,
                        province=province,
                    )
                )
        Agency.objects.bulk_create(wanted, ignore_conflicts=True, batch_size=1000)
        hints = dict(REGENCY_AGENCIES + PROVINCE_AGENCIES)
        rows = []
        for agency in Agency.objects.filter(slug__startswith="gen-").values_list(
            "id", "province_id", "regency_id", "name"
        ):
            hint = next((s for prefix, s in hints.items() if agency[3].startswith(prefix)), "governance")
            rows.append((*agency, hint))
        return rows

    def _drop_indexes(self):
        """Drop the innovation table's secondary indexes (not those behind constraints); return their
        definitions to rebuild them."""
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
                  FROM pg_index i
                 WHERE i.indrelid = 'innovations_innovation'::regclass
                   AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
                """
            )
            indexes = cursor.fetchall()
            for name, _ in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
        return [definition for _, definition in indexes]


# Keep the taxonomies this generator writes in step with the model's choices.
assert set(SECTOR_WORDS) == set(Sector.values)
assert {"implemented", "trial", "initiative"} == set(Stage.values)
assert {"public_service", "governance", "other"} == set(Form.values)
assert {"digital", "non_digital"} == set(Kind.values)
assert {"agency", "regional_head", "civil_servant", "community", "council_member"} == set(Initiator.values)
assert Innovation and Award
