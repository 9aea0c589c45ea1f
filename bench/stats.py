"""Benchmark of the statistics pages: ``python bench/stats.py [--count N] [--runs R]``.

``run_stats_bench(count=…)`` is the function to call from ``make bench`` (bench/run.py). It times the
public statistics and coverage pages and a hub page through Django's test client against whatever is in
the database, cold (cache cleared, so every aggregate query runs) and warm (served from the cache).

If the database holds fewer than ``count`` innovations, it first adds synthetic ones: through
``manage.py generate_innovations`` when that command exists, otherwise with its own ``COPY``-based
insert (rows marked ``is_sample`` with slugs starting ``bench-stats-``; about 60 s per million rows here).
"""

import argparse
import csv
import io
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_MS = 200


def _setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jipp.settings")
    if not os.environ.get("DATABASE_URL"):  # run by hand: the embedded PostgreSQL under var/
        from jipp import embedded_db

        os.environ["DATABASE_URL"] = embedded_db.ensure_running()
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()


def _ensure_regions_and_agencies():
    from django.core.management import call_command

    from jipp.models import Agency, Province, Regency

    if Province.objects.count() < 38:
        call_command("load_regions", stdout=io.StringIO())
    if Agency.objects.filter(slug__startswith="bench-stats-").exists():
        return list(Agency.objects.values_list("id", "province_id", "regency_id"))
    agencies = []
    for regency in Regency.objects.all():
        for index, name in enumerate(["Dinas Kesehatan", "Disdukcapil", "DPMPTSP", "Dinas Pendidikan"]):
            agencies.append(
                Agency(
                    name=f"{name} {regency.name}",
                    slug=f"bench-stats-{regency.code.replace('.', '-')}-{index}",
                    level="regency",
                    province_id=regency.province_id,
                    regency=regency,
                )
            )
    for province in Province.objects.all():
        agencies.append(
            Agency(
                name=f"Bapenda {province.name}",
                slug=f"bench-stats-{province.code}",
                level="province",
                province=province,
            )
        )
    Agency.objects.bulk_create(agencies, batch_size=2000)
    return list(Agency.objects.values_list("id", "province_id", "regency_id"))


def _copy_innovations(missing):
    """Insert ``missing`` synthetic innovations with COPY, column values taken from a template instance
    so fields added by other parts of the portal get their defaults."""
    from django.db import connection
    from django.utils import timezone

    from innovations.models import Form, Initiator, Innovation, Kind, Sector, Stage
    from jipp.dbcopy import copy_in

    agencies = _ensure_regions_and_agencies()
    rng = random.Random(20261129)  # noqa: S311 - synthetic data
    now = timezone.now()
    template = Innovation(
        name="x",
        slug="x",
        summary="Inovasi sintetis untuk mengukur halaman statistik.",
        form=Form.PUBLIC_SERVICE,
        kind=Kind.DIGITAL,
        sector=Sector.HEALTH,
        stage=Stage.IMPLEMENTED,
        initiator=Initiator.AGENCY,
        started_on=date(2020, 1, 1),
        is_sample=True,
        created_at=now,
        updated_at=now,
    )
    fields = [
        f
        for f in Innovation._meta.concrete_fields
        if not f.primary_key and not getattr(f, "generated", False)
    ]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    base = {f.attname: f.get_db_prep_save(getattr(template, f.attname), connection) for f in fields}
    for f in fields:  # auto_now fields are filled in pre_save, not on the instance
        if getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False):
            base[f.attname] = now
    sectors, stages, kinds = Sector.values, Stage.values, Kind.values
    start = int(time.time())
    chunk = 50_000
    done = 0
    while done < missing:
        size = min(chunk, missing - done)
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        for i in range(done, done + size):
            agency_id, province_id, regency_id = agencies[rng.randrange(len(agencies))]
            published = rng.random() < 0.85
            row = dict(base)
            row.update(
                name=f"Inovasi sintetis {i}",
                slug=f"bench-stats-{start}-{i}",
                agency_id=agency_id,
                province_id=province_id,
                regency_id=regency_id,
                sector=sectors[rng.randrange(len(sectors))],
                stage=stages[rng.randrange(len(stages))],
                kind=kinds[rng.randrange(len(kinds))],
                started_on=date(2014, 1, 1) + timedelta(days=rng.randrange(4300)),
                status="published" if published else "draft",
                published_at=now - timedelta(days=rng.randrange(1500)) if published else None,
                replication_count=rng.choice((0, 0, 0, 0, 1, 2, 5)) if published else 0,
                sdgs="{}",
            )
            writer.writerow([_csv_value(row[f.attname]) for f in fields])
        buffer.seek(0)
        with connection.cursor() as cursor:
            copy_in(
                cursor,
                f"COPY {Innovation._meta.db_table} ({columns}) FROM STDIN WITH (FORMAT csv, NULL '\\N')",
                [buffer.getvalue()],
            )
        done += size
        print(f"  inserted {done:,} / {missing:,}", file=sys.stderr)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Innovation._meta.db_table}")


def _csv_value(value):
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, list):
        return "{" + ",".join(str(v) for v in value) + "}"
    return value


def ensure_innovations(count):
    from django.core.management import call_command, get_commands

    from innovations.models import Innovation

    present = Innovation.objects.count()
    if present >= count:
        return present
    if "generate_innovations" in get_commands():
        _ensure_regions_and_agencies()
        call_command("generate_innovations", count=count - present)
    else:
        _copy_innovations(count - present)
    return Innovation.objects.count()


def _time(client, url, runs, *, cold):
    from django.core.cache import cache

    timings = []
    for _ in range(runs):
        if cold:
            cache.clear()
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(timings), max(timings)


def run_stats_bench(count=None, runs=5, out=sys.stdout):
    """Time the statistics pages; returns [(url, cold median ms, warm median ms)] and prints a table."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    from innovations.models import Innovation
    from jipp.models import Hub, Province

    if count:
        ensure_innovations(count)
    total = Innovation.objects.count()
    province = Province.objects.filter(agencies__isnull=False).order_by("code").first()
    hub = Hub.objects.order_by("province__code").first()
    urls = ["/statistik/", "/statistik/?peta=coverage", "/statistik/cakupan/"]
    if province:
        urls.append(f"/statistik/cakupan/{province.slug}/")
    if hub:
        urls.append(f"/hub/{hub.slug}/")
    results = []
    with override_settings(ALLOWED_HOSTS=["testserver"], DEBUG=False):
        client = Client()
        client.get("/statistik/")  # warm the connection and the template cache
        for url in urls:
            cold, cold_max = _time(client, url, max(1, runs // 2), cold=True)
            warm, warm_max = _time(client, url, runs, cold=False)
            results.append((url, cold, warm))
    print(f"Statistics pages at {total:,} innovations ({connection.vendor}), median of runs:", file=out)
    print(f"  {'page':<36} {'cold (no cache)':>16} {'warm (cached)':>14}", file=out)
    for url, cold, warm in results:
        flag = "" if cold < TARGET_MS else "  > 200 ms cold"
        print(f"  {url:<36} {cold:>13.1f} ms {warm:>11.1f} ms{flag}", file=out)
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=0, help="top the database up to this many innovations")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    _setup_django()
    run_stats_bench(count=args.count, runs=args.runs)


if __name__ == "__main__":
    main()
