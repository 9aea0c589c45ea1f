"""Measure the bulk import at scale: ``python bench/import_bench.py --rows 100000``.

Generates a realistic file (rows spread over the agencies of the database, ~530 like the regional
innovation index's local governments; varied names, a summary and a background per row), then runs
``manage.py import_innovations`` under ``/usr/bin/time -v`` three times: the check alone (--dry-run),
the check and import, and the same file again (every row unchanged). Prints wall time and peak memory
(maximum resident set size) of each. Uses the database of ``DATABASE_URL``: run it on a scratch
database, it adds agencies ("Dinas Uji …") and the imported records.
"""

import argparse
import csv
import os
import random
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORDS = (  # noqa: SIM905 (a word list reads better as text)
    "layanan sehat keliling desa pintar digital terpadu cepat mudah ramah anak ibu lansia warga "
    "pasar sekolah sampah bersih air jalan aman tangguh bencana tani nelayan ikan pangan gizi "
    "posyandu puskesmas klinik obat izin usaha pajak retribusi data peta arsip surat akta nikah ktp "
    "kk kartu antrean jemput bola online mandiri gotong royong inklusif difabel kerja latih wisata "
    "budaya pustaka baca tulis hitung mangrove hutan sungai irigasi pupuk bibit ternak susu telur "
    "koperasi "
).split()
SECTORS = ["Kesehatan", "Pendidikan", "Perhubungan", "Lingkungan hidup", "Pariwisata dan kebudayaan"]
STAGES = ["Inisiatif", "Uji coba", "Penerapan"]


def ensure_agencies(count):
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jipp.settings")
    django.setup()
    from django.utils.text import slugify

    from jipp.models import Agency, Regency

    have = Agency.objects.count()
    regencies = list(Regency.objects.select_related("province")[:count])
    new = []
    for index, regency in enumerate(regencies[: max(0, count - have)]):
        name = f"Dinas Uji {index} {regency.name}"
        new.append(
            Agency(name=name, slug=slugify(name), level="regency", province=regency.province, regency=regency)
        )
    Agency.objects.bulk_create(new, ignore_conflicts=True)
    return list(Agency.objects.values_list("name", flat=True))


def generate(path, rows, agencies, seed=12):
    rng = random.Random(seed)
    header = "sumber,id_sumber,nama,akronim,instansi,ringkasan,latar_belakang,sektor,tahapan,bentuk,jenis,"
    header += "inisiator,tanggal_mulai,tpb"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header.split(","))
        for n in range(rows):
            words = rng.sample(WORDS, 4)
            name = " ".join(words).title() + f" {rng.randint(2015, 2025)}"
            summary = " ".join(rng.choice(WORDS) for _ in range(45)).capitalize() + "."
            background = " ".join(rng.choice(WORDS) for _ in range(60)).capitalize() + "."
            writer.writerow([
                "IGA", f"IGA-2025-{n:06d}", name, "".join(w[0] for w in words).upper(), rng.choice(agencies),
                summary, background, rng.choice(SECTORS), rng.choice(STAGES), "Pelayanan publik",
                rng.choice(["Digital", "Non-digital"]), "Perangkat daerah",
                f"{rng.randint(2015, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                " ".join(str(g) for g in sorted(rng.sample(range(1, 18), 2))),
            ])  # fmt: skip


def to_xlsx(csv_path, xlsx_path):
    """The same rows as a workbook (openpyxl write-only: streamed, like the import reads it)."""
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Inovasi")
    with open(csv_path, encoding="utf-8", newline="") as handle:
        for line in csv.reader(handle):
            sheet.append(line)
    workbook.save(xlsx_path)


def measure(label, args):
    command = ["/usr/bin/time", "-v", sys.executable, str(ROOT / "manage.py"), "import_innovations", *args]
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    wall = re.search(r"Elapsed \(wall clock\) time.*: (.+)", result.stderr).group(1)
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr).group(1))
    summary = [line for line in result.stdout.splitlines() if line.startswith(("Check of", "Import of"))]
    print(f"{label}: wall {wall}, peak RSS {rss / 1024:.0f} MB")
    for line in summary:
        print("   ", line)
    if result.returncode not in (0, 1):
        print(result.stderr[-2000:])
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--agencies", type=int, default=530)
    parser.add_argument("--file", default=str(ROOT / "var" / "import-bench.csv"))
    options = parser.parse_args()
    agencies = ensure_agencies(options.agencies)
    generate(options.file, options.rows, agencies)
    size = Path(options.file).stat().st_size
    print(f"{options.rows:,} rows, {len(agencies)} agencies, {size / 2**20:.1f} MB")
    measure("check only (--dry-run)", [options.file, "--dry-run", "--language", "en"])
    measure("check + import", [options.file, "--valid-only", "--language", "en"])
    measure("same file again (all unchanged)", [options.file, "--language", "en"])
    xlsx = str(Path(options.file).with_suffix(".xlsx"))
    to_xlsx(options.file, xlsx)
    print(f"the same rows as XLSX: {Path(xlsx).stat().st_size / 2**20:.1f} MB")
    measure("XLSX check only (--dry-run; every row unchanged)", [xlsx, "--dry-run", "--language", "en"])


if __name__ == "__main__":
    main()
