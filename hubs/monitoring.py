"""Monitoring and evaluation (*pemantauan dan evaluasi*, ``/pemantauan/``), signed in only.

Officers see their own hub, the ministry every hub (rules in jipp.access: ``monitored_hubs``,
``get_monitored_hub``). Every figure is an aggregate query; lists are capped at ``LIST_LIMIT`` rows with
the full count beside them, so each page runs a constant number of queries.
"""

import calendar
import datetime

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import connection
from django.db.models import Avg, Count, Q
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from hubs import rules
from hubs.forms import HubStatusForm
from hubs.models import HubDocument, HubEvent
from hubs.statistics import DASH, Table, days_text, national_figures, render_tables
from innovations import rules as innovation_rules
from innovations.models import Innovation
from jipp import access
from jipp.accounts import rules as account_rules
from jipp.accounts.models import AccessRequest
from replication import rules as replication_rules
from replication.models import Evaluation, MentoringSession, ReplicationRequest

LIST_LIMIT = 100
DUE_CACHE_SECONDS = 600
# What the innovation lists show: not the long KIPP texts.
LIST_FIELDS = ("name", "acronym", "slug", "agency__name", "submitted_at", "published_at", "last_confirmed_on")
MENTORING_MONTHS = 12

# Completed steps: from one stage's date to the next one's.
STEPS = [
    ("created_at", "decided_at"),
    ("decided_at", "agreed_at"),
    ("agreed_at", "mentoring_started_at"),
    ("mentoring_started_at", "implemented_at"),
    ("implemented_at", "evaluated_at"),
]


def record_url(obj):
    """The record's page."""
    return obj.get_absolute_url()


def review_url(innovation):
    """Where a waiting submission is reviewed: its workspace page (the public page shows nothing yet)."""
    return reverse("innovations:workspace_innovation", kwargs={"pk": innovation.pk})


def _days(delta):
    """Whole days elapsed (an age: "waiting 6 days", never "6.0")."""
    return None if delta is None else max(0, int(delta.total_seconds() // 86400))


# --- Figures for one hub ---------------------------------------------------------------------------


def access_requests_waiting(hub, *, now=None):
    """Access requests (people asking to act for an agency of the hub's province) waiting for a
    decision, oldest first, with how long each has waited. Two queries: a count and the first rows."""
    now = now or timezone.now()
    queryset = AccessRequest.objects.pending().filter(
        agency__province_id=hub.province_id, user__is_active=True
    )
    rows = list(queryset.select_related("user", "agency").order_by("created_at", "id")[:LIST_LIMIT])
    for row in rows:
        row.days_waiting = _days(now - row.created_at)
    return {"count": queryset.count(), "rows": rows}


def _stage_table(hub):

    table_name = ReplicationRequest._meta.db_table
    # The model's one table of when each status began, as SQL (the creation when that date is missing).
    whens = " ".join(f"WHEN '{s}' THEN {col}" for s, col in ReplicationRequest.STAGE_STARTED.items())
    start = f"COALESCE(CASE status {whens} END, created_at)"
    steps = ", ".join(
        f"percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM {b} - {a})) "
        f"FILTER (WHERE {a} IS NOT NULL AND {b} IS NOT NULL) / 86400.0"
        for a, b in STEPS
    )
    sql = f"""
        SELECT status, COUNT(*),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM now() - {start})) / 86400.0
          FROM {table_name} WHERE hub_id = %s GROUP BY status
    """  # noqa: S608 - identifiers come from this module and the model, the hub id is a parameter
    steps_sql = f"SELECT {steps} FROM {table_name} WHERE hub_id = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [hub.pk])
        per_status = {status: (count, age) for status, count, age in cursor.fetchall()}
        cursor.execute(steps_sql, [hub.pk])
        step_days = cursor.fetchone()
    table = Table(
        "stages",
        _("Replications per stage"),
        [_("Stage"), _("Requests"), _("Median days in this stage so far")],
    )
    for value, label in ReplicationRequest.Status.choices:
        count, age = per_status.get(value, (0, None))
        table.add([label, count, days_text(age)])
    steps_table = Table("steps", _("Time per completed step (median days)"), [_("Step"), _("Median days")])
    names = [
        _("Request → decision"),
        _("Approval → agreement"),
        _("Agreement → mentoring"),
        _("Mentoring → implemented"),
        _("Implemented → evaluated"),
    ]
    for name, days in zip(names, step_days, strict=True):
        steps_table.add([name, days_text(days)])
    return table, steps_table


def hub_monitoring(hub, today=None):

    now = timezone.now()
    today = today or timezone.localdate()

    submitted = Innovation.objects.filter(province_id=hub.province_id, status=Innovation.Status.SUBMITTED)
    waiting_rows = list(
        submitted.select_related("agency").only(*LIST_FIELDS).order_by("submitted_at", "id")[:LIST_LIMIT]
    )
    waiting = Table(
        "submissions",
        _("Submissions waiting for review"),
        [_("Innovation"), _("Agency"), _("Submitted"), _("Days waiting")],
    )
    for innovation in waiting_rows:
        waited = _days(now - innovation.submitted_at) if innovation.submitted_at else None
        waiting.add(
            [str(innovation), innovation.agency.name, _date(innovation.submitted_at), waited],
            link=review_url(innovation),
        )

    stages, steps = _stage_table(hub)

    stalled_qs = ReplicationRequest.objects.filter(hub=hub).stalled(now)  # the replication app's rule
    stalled = Table(
        "stalled",
        _("Stalled requests (no activity for 30 days)"),
        [_("Replicating agency"), _("Innovation"), _("Stage"), _("Last activity"), _("Days idle")],
    )
    for request in stalled_qs.select_related("source", "requesting_agency").order_by("last_activity_at")[
        :LIST_LIMIT
    ]:
        stalled.add(
            [
                request.requesting_agency.name,
                str(request.source),
                request.get_status_display(),
                _date(request.last_activity_at),
                _days(now - request.last_activity_at),
            ],
            link=record_url(request),
        )

    months_back = today.year * 12 + today.month - 1 - (MENTORING_MONTHS - 1)
    first_month = datetime.date(months_back // 12, months_back % 12 + 1, 1)
    per_month = {
        (month.year, month.month): n
        for month, n in MentoringSession.objects.filter(request__hub=hub, held_on__gte=first_month)
        .annotate(month=TruncMonth("held_on"))
        .values_list("month")
        .annotate(n=Count("id"))
        .values_list("month", "n")
    }
    mentoring = Table("mentoring", _("Mentoring sessions per month"), [_("Month"), _("Sessions")])
    month = first_month
    while month <= today:
        mentoring.add([month.strftime("%Y-%m"), per_month.get((month.year, month.month), 0)])
        month = (month + datetime.timedelta(days=32)).replace(day=1)

    outcomes = {
        row["outcome"]: row
        for row in Evaluation.objects.filter(request__hub=hub)
        .values("outcome")
        .annotate(n=Count("id"), score=Avg("score"))
    }
    evaluations = Table(
        "evaluations", _("Evaluation outcomes"), [_("Outcome"), _("Evaluations"), _("Average score")]
    )
    for value, label in Evaluation.Outcome.choices:
        row = outcomes.get(value, {"n": 0, "score": None})
        evaluations.add(
            [label, row["n"], round(float(row["score"]), 1) if row["score"] is not None else None]
        )

    due_qs = Innovation.objects.filter(province_id=hub.province_id).due_for_confirmation(today)
    due = Table(
        "reconfirmation",
        _("Innovations due for re-confirmation (not confirmed for 12 months)"),
        [_("Innovation"), _("Agency"), _("Last confirmed")],
    )
    for innovation in (
        due_qs.select_related("agency")
        .only(*LIST_FIELDS)
        .order_by(*innovation_rules.reconfirmation_order())[:LIST_LIMIT]
    ):
        due.add(
            [str(innovation), innovation.agency.name, _date(innovation.last_confirmed_on)],
            link=record_url(innovation),
        )

    # Full counts only when a list was cut at LIST_LIMIT (one COUNT each, on the hub's rows only).
    counts = {
        "submissions": submitted.count() if len(waiting_rows) >= LIST_LIMIT else len(waiting_rows),
        "stalled": stalled_qs.count() if len(stalled.rows) >= LIST_LIMIT else len(stalled.rows),
        "reconfirmation": (
            reconfirmation_due_counts().get(hub.province_id, 0)
            if len(due.rows) >= LIST_LIMIT
            else len(due.rows)
        ),
    }
    waiting.total = counts["submissions"]
    stalled.total = counts["stalled"]
    due.total = counts["reconfirmation"]
    return {
        "tables": [waiting, stages, steps, stalled, mentoring, evaluations, due],
        "counts": counts,
        "access_requests": access_requests_waiting(hub),
    }


def _date(value):
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    return value.isoformat()


def _due_counts_key():
    return f"jipp:monitoring:due:{timezone.localdate():%Y%m%d}"


def _count_due():
    return dict(
        Innovation.objects.due_for_confirmation()
        .values_list("province_id")
        .annotate(n=Count("id"))
        .values_list("province_id", "n")
    )


def reconfirmation_due_counts():
    """{province id: published innovations due for re-confirmation}. One grouped query over the published
    records (the slowest figure here: 0.2-0.3 s at a million records), cached for ten minutes — the
    figure moves by the day, not by the minute. The job worker refreshes it every five minutes
    (hubs.tasks.refresh_monitoring_counts), so no visitor waits for it while a worker runs."""
    return cache.get_or_set(_due_counts_key(), _count_due, DUE_CACHE_SECONDS)


def refresh_reconfirmation_due_counts():
    """Count again and store for the next ten minutes; returns the counts."""
    counts = _count_due()
    cache.set(_due_counts_key(), counts, DUE_CACHE_SECONDS)
    return counts


# --- Overview of every monitored hub ----------------------------------------------------------------


def overview_table(hubs, *, unserved=False):
    """One row per hub: the numbers an M&E officer scans first. Four grouped queries for all hubs.

    ``unserved`` (for the ministry) adds a last row for the provinces without an active hub, whose
    submissions and replication requests the ministry handles itself (three more queries)."""

    stalled = replication_rules.stalled_q()
    hub_ids = [hub.pk for hub in hubs]
    province_ids = [hub.province_id for hub in hubs]
    waiting = dict(
        Innovation.objects.filter(province_id__in=province_ids, status=Innovation.Status.SUBMITTED)
        .values_list("province_id")
        .annotate(n=Count("id"))
        .values_list("province_id", "n")
    )
    due = reconfirmation_due_counts()
    requests = {
        row["hub_id"]: row
        for row in ReplicationRequest.objects.filter(hub_id__in=hub_ids)
        .values("hub_id")
        .annotate(
            open=Count("id", filter=Q(status__in=ReplicationRequest.OPEN_STATUSES)),
            interest=Count("id", filter=Q(status=ReplicationRequest.Status.INTEREST)),
            stalled=Count("id", filter=stalled),
        )
    }
    coverage = national_figures()["coverage_by_province"]
    table = Table(
        "hubs",
        _("Hubs"),
        [
            _("Hub"),
            _("Status"),
            _("Submissions waiting"),
            _("Replication requests waiting for a decision"),
            _("Open replications"),
            _("Stalled requests"),
            _("Due for re-confirmation"),
            _("Coverage (%)"),
        ],
    )
    for hub in hubs:
        r = requests.get(hub.pk, {})
        table.add(
            [
                hub.name,
                hub.get_status_display(),
                waiting.get(hub.province_id, 0),
                r.get("interest", 0),
                r.get("open", 0),
                r.get("stalled", 0),
                due.get(hub.province_id, 0),
                coverage.get(hub.province_id, {}).get("share"),
            ],
            link=reverse("monitoring_hub", kwargs={"slug": hub.slug}),
        )
    if unserved:
        unserved_provinces = set(access.provinces_without_active_hub().values_list("pk", flat=True))
        r = ReplicationRequest.objects.filter(hub__isnull=True).aggregate(
            open=Count("id", filter=Q(status__in=ReplicationRequest.OPEN_STATUSES)),
            interest=Count("id", filter=Q(status=ReplicationRequest.Status.INTEREST)),
            stalled=Count("id", filter=stalled),
        )
        table.add(
            [
                _("Provinces without an active hub (%(count)s; the ministry facilitates)")
                % {"count": len(unserved_provinces)},
                DASH,
                Innovation.objects.filter(
                    province_id__in=unserved_provinces, status=Innovation.Status.SUBMITTED
                ).count(),
                r["interest"],
                r["open"],
                r["stalled"],
                sum(due.get(pk, 0) for pk in unserved_provinces),
                None,
            ]
        )
    return table


@login_required
@require_safe
def monitoring_index(request):
    hubs = list(rules.monitored_hubs(request.user))
    table = overview_table(hubs, unserved=access.roles_of(request.user).reads_everything)
    context = {
        "hubs": hubs,
        "can_designate": rules.can_designate_hubs(request.user),
        "csv_prefix": "jipp-pemantauan",
    }
    return render_tables(request, "hubs/monitoring_index.html", context, [table])


@login_required
@require_safe
def monitoring_hub(request, slug):
    hub = rules.get_monitored_hub(request.user, slug)
    data = hub_monitoring(hub)
    # Link only the access requests this person may open (the ministry decides only for provinces
    # without an active hub; an inactive hub's officers no longer decide).
    rows = data["access_requests"]["rows"]
    decidable = account_rules.decidable_access_request_ids(request.user, [row.pk for row in rows])
    for row in rows:
        row.can_open = row.pk in decidable
    context = {
        "hub": hub,
        **data,
        "report_months": recent_months(timezone.localdate(), REPORT_MONTHS_LISTED),
        "can_designate": rules.can_designate_hubs(request.user),
        "status_form": HubStatusForm(initial={"status": hub.status}),
        "csv_prefix": f"jipp-pemantauan-{hub.slug}",
    }
    return render_tables(request, "hubs/monitoring_hub.html", context, data["tables"])


# --- Monthly report ---------------------------------------------------------------------------------

REPORT_MONTHS_LISTED = 12


def _add_months(first, months):
    """The first day of the month ``months`` after (or before) the month of ``first``."""
    index = first.year * 12 + first.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def recent_months(today, count):
    """The first days of this month and the ``count - 1`` months before it, newest first."""
    this_month = today.replace(day=1)
    return [_add_months(this_month, -n) for n in range(count)]


def monthly_report(hub, year, month):

    first = datetime.date(year, month, 1)
    last = datetime.date(year, month, calendar.monthrange(year, month)[1])
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(first, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)

    def within(field):
        return Q(**{f"{field}__gte": start, f"{field}__lt": end})

    # Three index range counts on the province's records (never a pass over all of them).
    in_province = Innovation.objects.filter(province_id=hub.province_id)
    innovations = {
        "submitted": in_province.filter(within("submitted_at")).count(),
        "published": in_province.filter(within("published_at")).count(),
        "waiting": in_province.filter(status=Innovation.Status.SUBMITTED).count(),
    }
    requests = ReplicationRequest.objects.filter(hub=hub).aggregate(
        received=Count("id", filter=within("created_at")),
        decided=Count("id", filter=within("decided_at")),
        approved=Count(
            "id",
            filter=within("decided_at")
            & ~Q(status__in=[ReplicationRequest.Status.REJECTED, ReplicationRequest.Status.WITHDRAWN]),
        ),
        rejected=Count("id", filter=within("decided_at") & Q(status=ReplicationRequest.Status.REJECTED)),
        agreed=Count("id", filter=within("agreed_at")),
        implemented=Count("id", filter=within("implemented_at")),
        evaluated=Count("id", filter=within("evaluated_at")),
    )
    sessions = list(
        MentoringSession.objects.filter(request__hub=hub, held_on__range=(first, last))
        .select_related("request__requesting_agency", "university")
        .order_by("held_on", "id")
    )
    events = list(
        HubEvent.objects.current().filter(hub=hub, held_on__range=(first, last)).order_by("held_on")
    )
    evaluations = (
        Evaluation.objects.filter(request__hub=hub)
        .filter(within("created_at"))
        .aggregate(n=Count("id"), score=Avg("score"))
    )
    documents = HubDocument.objects.current().filter(hub=hub).filter(within("created_at")).count()
    coverage = national_figures()["coverage_by_province"].get(hub.province_id, {})

    figures = Table(
        "report",
        _("Monthly report"),
        [_("Figure"), _("Value")],
    )
    rows = [
        (_("Innovations submitted for review"), innovations["submitted"]),
        (_("Innovations published"), innovations["published"]),
        (_("Submissions waiting now"), innovations["waiting"]),
        (_("Replication requests received"), requests["received"]),
        (_("Replication requests decided"), requests["decided"]),
        (_("of which approved"), requests["approved"]),
        (_("of which rejected"), requests["rejected"]),
        (_("Agreements recorded"), requests["agreed"]),
        (_("Replications implemented"), requests["implemented"]),
        (_("Replications evaluated"), requests["evaluated"]),
        (_("Mentoring sessions held"), len(sessions)),
        (_("Evaluations recorded"), evaluations["n"]),
        (
            _("Average evaluation score"),
            round(float(evaluations["score"]), 1) if evaluations["score"] is not None else None,
        ),
        (_("Events held"), len(events)),
        (_("Documents added"), documents),
        (_("Coverage now (%)"), coverage.get("share")),
    ]
    for label, value in rows:
        figures.add([label, value])
    session_table = Table(
        "mentoring",
        _("Mentoring sessions"),
        [_("Date"), _("Replicating agency"), _("Partner university"), _("Topics")],
    )
    for session in sessions:
        session_table.add(
            [
                session.held_on.isoformat(),
                session.request.requesting_agency.name,
                session.university.name if session.university else DASH,
                session.topics,
            ],
            link=record_url(session.request),
        )
    event_table = Table("events", _("Events"), [_("Date"), _("Event"), _("Place")])
    for event in events:
        event_table.add([event.held_on.isoformat(), event.title, event.place])
    counts = {
        "submitted": innovations["submitted"],
        "published": innovations["published"],
        "received": requests["received"],
        "decided": requests["decided"],
        "sessions": len(sessions),
        "events": len(events),
    }
    return {"first": first, "last": last, "tables": [figures, session_table, event_table], "counts": counts}


@login_required
@require_safe
def monitoring_report(request, slug, year, month):
    hub = rules.get_monitored_hub(request.user, slug)
    if not (1 <= month <= 12 and 2000 <= year <= 2100):
        raise Http404
    report = monthly_report(hub, year, month)
    this_month = timezone.localdate().replace(day=1)
    following = _add_months(report["first"], 1)
    context = {
        "hub": hub,
        **report,
        "previous_month": _add_months(report["first"], -1) if year * 12 + month > 2000 * 12 + 1 else None,
        "next_month": following if following <= this_month else None,
        "report_months": recent_months(timezone.localdate(), REPORT_MONTHS_LISTED),
        "csv_prefix": f"jipp-laporan-{hub.slug}-{year:04d}-{month:02d}",
    }
    return render_tables(request, "hubs/monitoring_report.html", context, report["tables"])
