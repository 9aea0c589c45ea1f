"""Create the agency directory: every local government and the central ministries and agencies.

- 38 province governments (*Pemerintah Provinsi …*; Aceh and Yogyakarta by their own official names)
  and 514 regency and city governments (*Pemerintah Kabupaten …*, *Pemerintah Kota …*), one for each
  region ``load_regions`` loaded;
- the central ministries and agencies (*Kementerian/Lembaga*) listed in ``jipp/data/central_agencies.csv``
  (its source and date: ``jipp/data/README.md``).

Idempotent: each entry has a ``directory_key`` (its region's code, or the ministry's name as first
loaded) that stays through renames and merges, so nothing is created twice; an agency of the right
region and name made earlier by hand becomes the government instead of a duplicate. Existing names
are never overwritten (officers and the ministry may have corrected them). A second run creates
nothing and says so.
"""

import csv
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.text import slugify

from jipp.models import Agency, AgencyRedirect, Province, Regency

CENTRAL_AGENCIES_CSV = Path(__file__).resolve().parents[2] / "data" / "central_agencies.csv"
CENTRAL_KINDS = {"kementerian_koordinator", "kementerian", "lembaga"}
# The seat of the central government: Agency.province is required, and K/L sit in Jakarta.
CENTRAL_SEAT_PROVINCE = "31"

# Provinces whose government is not called "Pemerintah Provinsi …" (UU 11/2006, UU 13/2012).
PROVINCE_GOVERNMENT_NAMES = {
    "11": "Pemerintah Aceh",
    "34": "Pemerintah Daerah Daerah Istimewa Yogyakarta",
}


def province_government_name(province):
    return PROVINCE_GOVERNMENT_NAMES.get(province.code, f"Pemerintah Provinsi {province.name}")


def regency_government_name(regency):
    # Regency names already carry their kind ("Kabupaten Siak", "Kota Pekanbaru").
    kind = "Kabupaten" if regency.kind == Regency.Kind.REGENCY else "Kota"
    name = regency.name if regency.name.startswith(f"{kind} ") else f"{kind} {regency.name}"
    return f"Pemerintah {name}"


def central_agencies(path=CENTRAL_AGENCIES_CSV):
    """[(name, kind), ...] from the data file; a malformed file stops the command."""
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    names = set()
    result = []
    for number, row in enumerate(rows, start=2):
        name = " ".join((row.get("name") or "").split())
        kind = (row.get("kind") or "").strip()
        if not name or kind not in CENTRAL_KINDS or name in names:
            raise CommandError(f"{path.name}, line {number}: a name and a known kind, once each")
        names.add(name)
        result.append((name, kind))
    return result


class Command(BaseCommand):
    help = (
        "Create the province, regency and city governments (from the loaded regions) and the central "
        "ministries and agencies (jipp/data/central_agencies.csv). Idempotent."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        provinces = list(Province.objects.all())
        regencies = list(Regency.objects.select_related("province"))
        if len(provinces) != 38 or len(regencies) != 514:
            raise CommandError("Load the regions first: python manage.py load_regions")
        self.taken = set(Agency.objects.values_list("slug", flat=True)) | set(
            AgencyRedirect.objects.values_list("old_slug", flat=True)
        )
        self.created = self.adopted = 0
        keys = set(Agency.objects.exclude(directory_key=None).values_list("directory_key", flat=True))
        candidates = {
            (a.level, a.province_id, a.regency_id, a.name.casefold()): a
            for a in Agency.objects.listed().filter(directory_key=None, parent=None)
        }
        wanted = [
            (f"province:{p.code}", province_government_name(p), Agency.Level.PROVINCE, p, None)
            for p in provinces
        ]
        wanted += [
            (f"regency:{r.code}", regency_government_name(r), Agency.Level.REGENCY, r.province, r)
            for r in regencies
        ]
        seat = next(p for p in provinces if p.code == CENTRAL_SEAT_PROVINCE)
        wanted += [
            (f"central:{slugify(name)[:110]}", name, Agency.Level.CENTRAL, seat, None)
            for name, _kind in central_agencies()
        ]
        new = [
            self._ensure(candidates, key=key, name=name, level=level, province=province, regency=regency)
            for key, name, level, province, regency in wanted
            if key not in keys
        ]
        # One INSERT for the lot (the values come from the regions and the data file; the database's
        # constraints and the tree trigger still check every row).
        Agency.objects.bulk_create([agency for agency in new if agency.pk is None], batch_size=1000)

        governments = Agency.objects.governments().listed()
        counts = {
            level: governments.filter(level=level).count()
            for level in (Agency.Level.PROVINCE, Agency.Level.REGENCY, Agency.Level.CENTRAL)
        }
        summary = (
            f"Agency directory: {counts[Agency.Level.PROVINCE]} province governments, "
            f"{counts[Agency.Level.REGENCY]} regency and city governments, "
            f"{counts[Agency.Level.CENTRAL]} central ministries and agencies"
        )
        if self.created or self.adopted:
            self.stdout.write(
                f"{summary} ({self.created} created, {self.adopted} existing agencies adopted)."
            )
        else:
            self.stdout.write(f"{summary}; nothing to do, all were already present.")

    def _ensure(self, candidates, *, key, name, level, province, regency):
        agency = candidates.get((level, province.pk, regency.pk if regency else None, name.casefold()))
        if agency is not None:
            # Made by hand before the directory existed (an administrator, an old import): it becomes
            # the government, keeping its records and address.
            agency.is_government = True
            agency.directory_key = key
            agency.save(update_fields=["is_government", "directory_key"])
            self.adopted += 1
            return agency
        agency = Agency(
            name=name,
            slug=self._free_slug(name),
            level=level,
            province=province,
            regency=regency,
            is_government=True,
            directory_key=key,
        )
        self.created += 1
        return agency

    def _free_slug(self, name):
        base = slugify(name)[:220]
        slug, n = base, 2
        while slug in self.taken:
            suffix = f"-{n}"
            slug = f"{base[: 220 - len(suffix)]}{suffix}"
            n += 1
        self.taken.add(slug)
        return slug
