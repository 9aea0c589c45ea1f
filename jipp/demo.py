"""Demo network for local runs: hubs, partner universities, agencies and one account per role.

Idempotent (``get_or_create`` on natural keys). Each app adds its own ``demo.py`` with a ``seed``
function; ``manage.py seed_demo`` runs them in order. Never used by tests of production code paths.
"""

from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils.text import slugify

from jipp.models import Agency, Hub, Membership, Province, Regency, University

DEMO_PASSWORD = "jipp-demo-2026"  # noqa: S105 - local demo accounts only, printed by `make run`

# (province code, year designated, status, description, partner university)
HUBS = [
    (
        "14",
        2021,
        Hub.Status.ACTIVE,
        "Hub JIPP Provinsi Riau membina replikasi inovasi di kabupaten dan kota se-Riau.",
        "Universitas Riau",
    ),
    (
        "61",
        2021,
        Hub.Status.ACTIVE,
        "Hub JIPP Provinsi Kalimantan Barat mendampingi perangkat daerah mereplikasi "
        "inovasi pelayanan publik.",
        "Universitas Tanjungpura",
    ),
    (
        "51",
        2021,
        Hub.Status.ACTIVE,
        "Hub JIPP Provinsi Bali menyebarluaskan inovasi pelayanan publik ke seluruh kabupaten/kota di Bali.",
        "Universitas Udayana",
    ),
    (
        "81",
        2021,
        Hub.Status.PILOT,
        "Hub JIPP Provinsi Maluku memperkuat budaya inovasi di daerah kepulauan.",
        "Universitas Pattimura",
    ),
    (
        "35",
        2019,
        Hub.Status.ACTIVE,
        "Hub JIPP Provinsi Jawa Timur, salah satu simpul awal jaringan.",
        "Universitas Airlangga",
    ),
    ("32", 2020, Hub.Status.ACTIVE, "Hub JIPP Provinsi Jawa Barat.", "Universitas Padjadjaran"),
    ("73", 2020, Hub.Status.INACTIVE, "Hub JIPP Provinsi Sulawesi Selatan.", "Universitas Hasanuddin"),
]

# (name, level, province code, regency code or None)
AGENCIES = [
    ("Dinas Kependudukan dan Pencatatan Sipil Kota Pekanbaru", "regency", "14", "14.71"),
    ("Dinas Kesehatan Kota Pekanbaru", "regency", "14", "14.71"),
    ("Dinas Penanaman Modal dan PTSP Kabupaten Siak", "regency", "14", "14.08"),
    ("Dinas Pendidikan Kota Dumai", "regency", "14", "14.72"),
    ("Badan Pendapatan Daerah Provinsi Riau", "province", "14", None),
    ("Dinas Kependudukan dan Pencatatan Sipil Kota Pontianak", "regency", "61", "61.71"),
    ("Dinas Kesehatan Kabupaten Kubu Raya", "regency", "61", "61.12"),
    ("Dinas Sosial Provinsi Kalimantan Barat", "province", "61", None),
    ("Dinas Kependudukan dan Pencatatan Sipil Kota Denpasar", "regency", "51", "51.71"),
    ("Dinas Pariwisata Kabupaten Badung", "regency", "51", "51.03"),
    ("Dinas Kesehatan Provinsi Bali", "province", "51", None),
    ("Dinas Kesehatan Kota Ambon", "regency", "81", "81.71"),
    ("Dinas Kelautan dan Perikanan Provinsi Maluku", "province", "81", None),
    ("Dinas Komunikasi dan Informatika Kota Surabaya", "regency", "35", "35.78"),
    ("Dinas Kependudukan dan Pencatatan Sipil Kabupaten Banyuwangi", "regency", "35", "35.10"),
    ("Dinas Pertanian Kabupaten Bandung", "regency", "32", "32.04"),
    ("Badan Perencanaan Pembangunan Daerah Kota Makassar", "regency", "73", "73.71"),
    ("Dinas Kependudukan dan Pencatatan Sipil Kabupaten Sleman", "regency", "34", "34.04"),
    # A duplicate someone created by hand under a short name: the Riau officer's merge page shows it.
    ("Disdik Kota Dumai", "regency", "14", "14.72"),
]

# (username, first name, last name, role, agency index or hub province code)
ACCOUNTS = [
    ("admin", "Admin", "Portal", "admin", None),
    ("kementerian", "Sari", "Wulandari", Membership.Role.MINISTRY, None),
    ("petugas.riau", "Rahmat", "Hidayat", Membership.Role.OFFICER, "14"),
    ("petugas.bali", "Made", "Sudarsana", Membership.Role.OFFICER, "51"),
    ("petugas.kalbar", "Yohanes", "Kurniawan", Membership.Role.OFFICER, "61"),
    ("staf.pekanbaru", "Dewi", "Lestari", Membership.Role.STAFF, 0),
    ("staf.siak", "Fajar", "Nugroho", Membership.Role.STAFF, 2),
    ("staf.pontianak", "Agus", "Santoso", Membership.Role.STAFF, 5),
    ("staf.denpasar", "Ketut", "Ariani", Membership.Role.STAFF, 8),
    ("staf.ambon", "Maria", "Latuconsina", Membership.Role.STAFF, 11),
]


def seed(context=None):
    provinces = {p.code: p for p in Province.objects.all()}
    if len(provinces) != 38:
        raise RuntimeError("Load the regions first: python manage.py load_regions")
    regencies = {r.code: r for r in Regency.objects.all()}
    # The directory of governments and ministries, as `make run` has it (idempotent).
    call_command("load_agencies", stdout=StringIO())
    governments = {(a.level, a.province_id, a.regency_id): a for a in Agency.objects.governments().listed()}

    hubs = {}
    for code, year, status, description, university_name in HUBS:
        province = provinces[code]
        hub, _ = Hub.objects.get_or_create(
            province=province,
            defaults={
                "name": f"Hub JIPP {province.name}",
                "slug": slugify(province.name),
                "year_designated": year,
                "status": status,
                "description": description,
            },
        )
        university, _ = University.objects.get_or_create(
            slug=slugify(university_name), defaults={"name": university_name, "province": province}
        )
        hub.universities.add(university)
        hubs[code] = hub

    agencies = []
    for name, level, province_code, regency_code in AGENCIES:
        province = provinces[province_code]
        regency = regencies.get(regency_code) if regency_code else None
        agency, _ = Agency.objects.get_or_create(
            slug=slugify(name)[:220],
            defaults={
                "name": name,
                "level": level,
                "province": province,
                "regency": regency,
                # Each office is a unit of its region's government.
                "parent": governments.get((level, province.pk, regency.pk if regency else None)),
            },
        )
        if agency.parent_id is None and not agency.is_government:
            agency.parent = governments.get((level, province.pk, regency.pk if regency else None))
            agency.save(update_fields=["parent"])
        agencies.append(agency)

    User = get_user_model()
    accounts = []
    for username, first, last, role, scope in ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@demo.jipp.example.id"},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            if role == "admin":
                user.is_staff = user.is_superuser = True
            user.save()
        if role == Membership.Role.STAFF:
            Membership.objects.get_or_create(user=user, role=role, agency=agencies[scope])
        elif role == Membership.Role.OFFICER:
            Membership.objects.get_or_create(user=user, role=role, hub=hubs[scope])
        elif role == Membership.Role.MINISTRY:
            Membership.objects.get_or_create(user=user, role=role)
        accounts.append((username, role, agencies[scope] if isinstance(scope, int) else hubs.get(scope)))
    return {"hubs": hubs, "agencies": agencies, "accounts": accounts}
