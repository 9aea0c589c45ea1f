"""Signed-in pages at the database's size, as ``make bench`` runs them (bench/run.py).

No page cache serves a signed-in person, so every visit does the whole work. The pages an officer and
the ministry open every day are timed through Django's test client, each ``requests`` times:
workspace dashboards (officer, ministry, staff of the agency with the most records), the review and
replication queues, monitoring (overview, the busiest hub, its last monthly report) and the inbox.
The officer is of the hub whose province has the most published innovations ("the busiest hub").

The people are made for the run inside a transaction that is rolled back at the end, so the
database is left as it was. Target: p95 ≤ 200 ms each (issue: signed-in pages at a million).

Before the first visits, the monitoring counts the job worker refreshes every five minutes
(``hubs.tasks.refresh_monitoring_counts``) are computed once, as they are on a running portal: the
first visit measures the page, not a cache left empty because no worker runs during the benchmark.
How long that count takes is returned with the results and printed on its own line.
"""

import datetime
import statistics
import time

TARGET_MS = 200


def _people():
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from innovations.models import Innovation
    from jipp.models import Agency, Hub, Membership

    # One grouped count over the table, once per run: fine for a benchmark.
    rows = (
        Innovation.objects.filter(status="published", province__hub__isnull=False)
        .values("province__hub")
        .annotate(n=Count("id"))
        .order_by("-n")[:1]
    )
    busiest = Hub.objects.select_related("province").get(pk=rows[0]["province__hub"]) if rows else None
    agency_row = (
        Innovation.objects.filter(status="published")
        .values("agency")
        .annotate(n=Count("id"))
        .order_by("-n")[:1]
    )
    agency = Agency.objects.get(pk=agency_row[0]["agency"]) if agency_row else None
    users = get_user_model().objects
    people = {}
    if busiest is not None:
        officer = users.create_user("bench.officer", email="bench.officer@example.org")
        Membership.objects.create(user=officer, role="officer", hub=busiest)
        people["officer"] = officer
    ministry = users.create_user("bench.ministry", email="bench.ministry@example.org")
    Membership.objects.create(user=ministry, role="ministry")
    people["ministry"] = ministry
    if agency is not None:
        staff = users.create_user("bench.staff", email="bench.staff@example.org")
        Membership.objects.create(user=staff, role="staff", agency=agency)
        people["staff"] = staff
    return people, busiest


def run_signed_in_bench(requests=20, warmup=2):
    """(job_ms, [(role, page, url, first_visit_ms, p50_ms, p95_ms, queries)]) for the signed-in pages,
    job_ms being the monitoring counts' refresh; nothing is kept."""
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from hubs.monitoring import refresh_reconfirmation_due_counts

    results = []
    with transaction.atomic():
        people, hub = _people()
        started = time.perf_counter()
        refresh_reconfirmation_due_counts()
        job = round((time.perf_counter() - started) * 1000, 1)
        last_month = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
        pages = [
            ("staff", "workspace", reverse("innovations:workspace")),
            ("ministry", "workspace", reverse("innovations:workspace")),
            ("ministry", "monitoring", reverse("monitoring")),
            ("ministry", "inbox", reverse("notifications:inbox")),
        ]
        if hub is not None:
            pages += [
                ("officer", "workspace", reverse("innovations:workspace")),
                ("officer", "replication queue", reverse("replication:queue")),
                ("officer", "monitoring", reverse("monitoring")),
                ("officer", f"monitoring {hub.slug}", reverse("monitoring_hub", kwargs={"slug": hub.slug})),
                (
                    "officer",
                    f"monthly report {hub.slug}",
                    reverse(
                        "monitoring_report",
                        kwargs={"slug": hub.slug, "year": last_month.year, "month": last_month.month},
                    ),
                ),
            ]
        for role, page, url in pages:
            if role not in people:
                continue
            client = Client()
            client.force_login(people[role])
            started = time.perf_counter()
            client.get(url, HTTP_HOST="localhost")
            first = round((time.perf_counter() - started) * 1000, 1)
            for _ in range(warmup - 1):
                client.get(url, HTTP_HOST="localhost")
            timings = []
            for _ in range(requests):
                started = time.perf_counter()
                response = client.get(url, HTTP_HOST="localhost")
                timings.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, (role, url, response.status_code)
            with CaptureQueriesContext(connection) as captured:
                client.get(url, HTTP_HOST="localhost")
            timings.sort()
            results.append(
                (
                    role,
                    page,
                    url,
                    first,
                    round(statistics.median(timings), 1),
                    round(timings[int(0.95 * (len(timings) - 1))], 1),
                    len(captured),
                )
            )
        transaction.set_rollback(True)
    return job, results
