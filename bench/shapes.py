"""The search shapes measured by bench/loadtest.py (cold mode) and bench/run.py: the words each shape
rotates over, so that neither the page cache nor a cache keyed by normalized words could answer.

All words occur in records made by ``generate_innovations`` (its sentences and sector words); the
first of each list is the one the issue names. The typos are one letter off a word of published
names (innovations_searchterm), so "did you mean" finds a correction and its results are shown.
"""

COMMON_WORDS = ["pelayanan", "masyarakat", "daerah", "petugas", "layanan", "anggaran", "warga", "data"]
TWO_WORDS = [
    "layanan kesehatan",
    "pelayanan pendidikan",
    "data kependudukan",
    "bantuan sosial",
    "izin usaha",
    "desa wisata",
    "pajak daerah",
    "air bersih",
    "pelatihan kerja",
    "bank sampah",
]
TYPOS = [
    "kesehtan",
    "puskesms",
    "kependudkan",
    "perizinn",
    "pariwsata",
    "posyndu",
    "lingkngan",
    "sekolh",
    "pelayann",
    "masyarakt",
]
PHRASES = [
    '"administrasi kependudukan"',
    '"akta kelahiran"',
    '"kartu keluarga"',
    '"bantuan sosial"',
    '"desa wisata"',
    '"bank sampah"',
    '"air bersih"',
    '"mutu pelayanan"',
    '"pajak daerah"',
    '"peringatan dini"',
]
EXCLUSIONS = [
    "pelayanan -kesehatan",
    "pelayanan -pendidikan",
    "masyarakat -desa",
    "layanan -sosial",
    "daerah -pajak",
    "petugas -kesehatan",
    "warga -bantuan",
    "anggaran -pendidikan",
]
