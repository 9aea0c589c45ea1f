"""Replication pages: the request form, the workspace (requester, origin agency, hub officer), the
request page with its actions, the public list and pages, and open data (JSON, CSV).

Every rule comes from jipp.access; every state change from a ReplicationRequest method or
replication.services. Action views are POST-only: 404 when the request is hidden from the user, 403
when visible but not theirs to act on, 400 with the page re-rendered for invalid input, 409 when the
request has moved on (a stale or forged step).
"""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count
from django.http import JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from innovations.models import Innovation
from jipp import access
from jipp.csvexport import streaming_csv
from jipp.models import AuditEntry
from jipp.ops.ratelimits import ALL_METHODS, limited
from jipp.steps import Step, post_step
from jipp.xlsxexport import streaming_xlsx
from replication import rules, services
from replication.api import PUBLIC, ReplicationSerializer, data_queryset
from replication.filters import PublicReplicationFilter
from replication.forms import (
    AgreementForm,
    DecisionForm,
    EvaluationForm,
    ImplementForm,
    MentoringSessionForm,
    ProgressReportForm,
    ReplicationRequestForm,
    WithdrawForm,
)
from replication.links import adapted_innovation_links
from replication.models import AUDIT_ACTIONS, ReplicationRequest

PUBLIC_PAGE_SIZE = 20
API_PAGE_SIZE = 50
API_MAX_PAGE_SIZE = 100
QUEUE_LIMIT = 500  # open requests shown in one officer's queue; beyond that, narrow by hub
CLOSED_SHOWN = 50


def _request_queryset():
    # One query for the request page and its header: source, both agencies, hub, evaluation.
    return ReplicationRequest.objects.select_related(
        "source",
        "source__agency",
        "requesting_agency",
        "requesting_agency__province",
        "hub",
        "university",
        "result_innovation",
        "evaluation",
        "requested_by",
    )


# --- Request form --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def request_create(request, slug):
    source = get_object_or_404(Innovation.objects.published().select_related("agency", "province"), slug=slug)
    agencies = rules.agencies_that_may_request(request.user, source)
    access.require(agencies.exists())
    # The link to an agency's open request, when one exists, is shown before the form.
    existing = ReplicationRequest.objects.open().filter(source=source, requesting_agency__in=agencies).first()
    if request.method == "POST":
        form = ReplicationRequestForm(request.POST, agencies=agencies)
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in form.Meta.fields if name != "requesting_agency"}
            try:
                created = services.create_request(
                    source=source,
                    requesting_agency=form.cleaned_data["requesting_agency"],
                    by=request.user,
                    **data,
                )
            except services.DuplicateRequest as duplicate:
                form.add_error(
                    None,
                    format_html(
                        '{} <a href="{}">{}</a>',
                        _("Your agency already has an open request for this innovation."),
                        duplicate.existing.get_absolute_url(),
                        _("Open the existing request"),
                    ),
                )
                existing = duplicate.existing
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("Your replication request was sent to your province hub."))
                return redirect(created)
        status = 400
    else:
        form = ReplicationRequestForm(
            agencies=agencies,
            initial={"contact_name": request.user.get_full_name(), "contact_email": request.user.email},
        )
        status = 200
    return render(
        request,
        "replication/request_form.html",
        {"source": source, "form": form, "existing": existing},
        status=status,
    )


# --- Workspace -----------------------------------------------------------------------------------


@login_required
@require_safe
def workspace(request):
    """Send each person to the workspace page of their role."""
    roles = access.roles_of(request.user)
    if roles.is_staff_member:
        return redirect("replication:my_requests")
    if roles.is_officer or roles.reads_everything:
        return redirect("replication:queue")
    raise PermissionDenied


def _with_waiting(requests, now):
    for item in requests:
        item.days_waiting = item.days_in_stage(now)
        item.stalled = item.is_stalled(now)
    return requests


@login_required
@require_safe
def my_requests(request):
    agency_ids = rules.replicator_agency_ids(request.user)
    now = timezone.now()
    base = _request_queryset().filter(requesting_agency_id__in=agency_ids)
    open_requests = _with_waiting(list(base.open().order_by("-last_activity_at", "-id")[:QUEUE_LIMIT]), now)
    closed = list(base.exclude(status__in=ReplicationRequest.OPEN_STATUSES).order_by("-id")[:CLOSED_SHOWN])
    return render(
        request,
        "replication/my_requests.html",
        {
            "open_requests": open_requests,
            "closed": closed,
            "now": now,
            "tab": "mine",
            "roles": access.roles_of(request.user),
        },
    )


@login_required
@require_safe
def incoming(request):
    agency_ids = rules.replicator_agency_ids(request.user)
    now = timezone.now()
    base = _request_queryset().filter(source__agency_id__in=agency_ids)
    to_answer = _with_waiting(
        list(
            base.filter(status=ReplicationRequest.Status.APPROVED).order_by("decided_at", "id")[:QUEUE_LIMIT]
        ),
        now,
    )
    others = list(base.exclude(status=ReplicationRequest.Status.APPROVED).order_by("-id")[:CLOSED_SHOWN])
    return render(
        request,
        "replication/incoming.html",
        {
            "to_answer": to_answer,
            "others": others,
            "now": now,
            "tab": "incoming",
            "roles": access.roles_of(request.user),
        },
    )


@login_required
@require_safe
def queue(request):
    hub_ids = rules.replication_queue_hubs(request.user)
    now = timezone.now()
    base = _request_queryset().open()
    if hub_ids is not None:
        base = base.filter(hub_id__in=hub_ids)
    # One query, oldest first, bucketed here: the sections are small slices of one hub's open work.
    rows = _with_waiting(list(base.order_by("created_at", "id")[: QUEUE_LIMIT + 1]), now)
    truncated = len(rows) > QUEUE_LIMIT
    rows = rows[:QUEUE_LIMIT]
    S = ReplicationRequest.Status
    # One section per open stage, in the order of the process: each lists exactly its stage.
    sections = [
        (key, title, hint, [r for r in rows if r.status == status])
        for key, status, title, hint in (
            (
                "to-decide",
                S.INTEREST,
                _("Interest submitted: to decide"),
                _("Read the adaptation plan, then approve or reject the request."),
            ),
            (
                "awaiting-agreement",
                S.APPROVED,
                _("Approved: awaiting the origin agency's agreement"),
                _(
                    "The origin agency confirms that it will share its knowledge, or declines; "
                    "you may record its answer."
                ),
            ),
            (
                "agreed",
                S.AGREED,
                _("Agreement recorded: mentoring to start"),
                _("Hold the first mentoring session and record it: the request then moves into mentoring."),
            ),
            (
                "mentoring",
                S.MENTORING,
                _("In mentoring"),
                _(
                    "Record each session; the replicating agency reports progress and declares "
                    "it implemented."
                ),
            ),
            (
                "to-evaluate",
                S.IMPLEMENTED,
                _("Implemented: to evaluate"),
                _("Carry out the monitoring and evaluation and record its outcome."),
            ),
        )
    ]
    stalled = sorted((r for r in rows if r.stalled), key=lambda r: r.last_activity_at)
    return render(
        request,
        "replication/queue.html",
        {
            "sections": sections,
            "stalled": stalled,
            "truncated": truncated,
            "now": now,
            "tab": "queue",
            "roles": access.roles_of(request.user),
        },
    )


# --- The request page and its actions ------------------------------------------------------------


def _forms_for(user, replication, bound=None):
    """The step forms ``user`` may use on ``replication`` in its present state (``bound`` replaces
    one of them with the submitted, invalid form)."""
    forms = {
        name: step.blank_form(replication)
        for name, step in STEPS.items()
        if step.offered_to(user, replication)
    }
    if bound:
        forms.update(bound)
    return forms


def _render_detail(request, replication, *, bound=None, status=200):
    now = timezone.now()
    context = {
        "replication": replication,
        "source": replication.source,
        "timeline": replication.stage_timeline(now),
        "days_in_stage": replication.days_in_stage(now),
        "stalled": replication.is_stalled(now),
        "sessions": list(replication.mentoring_sessions.select_related("university")),
        "reports": list(replication.progress_reports.select_related("reported_by")),
        "evaluation": getattr(replication, "evaluation", None),
        "audit": [
            (entry, AUDIT_ACTIONS.get(entry.action, entry.action))
            for entry in AuditEntry.for_object(replication)[:100]
        ],
        "forms": _forms_for(request.user, replication, bound),
        # Its owner completes the adapted innovation in the workspace; others get what they may open.
        "adapted_links": adapted_innovation_links(request.user, replication.result_innovation),
        "now": now,
    }
    return render(request, "replication/detail.html", context, status=status)


@login_required
@require_safe
def detail(request, pk):
    replication = rules.get_replication_request_for_user(request.user, pk, _request_queryset())
    return _render_detail(request, replication)


def _decide(user, replication, data):
    if data["decision"] == DecisionForm.APPROVE:
        replication.approve(by=user, reason=data["reason"])
    else:
        replication.reject(by=user, reason=data["reason"])


def _agree(user, replication, data):
    if data["answer"] == AgreementForm.AGREE:
        replication.confirm_agreement(by=user, note=data["note"])
    else:
        replication.decline_agreement(by=user, reason=data["note"])


def _today(replication):
    return {"held_on": timezone.localdate(), "reported_on": timezone.localdate()}


def _possible(action):
    return lambda replication: replication.allows(action)


def _hub_of(replication):
    return {"hub": replication.hub}


# The steps of a request, keyed by the name of their form on the page and of their URL.
STEPS = {
    "decide": Step(
        form=DecisionForm,
        allowed=rules.can_facilitate_replication,
        applies=_possible("approve"),
        perform=_decide,
        success=_lazy("Decision recorded."),
    ),
    "withdraw": Step(
        form=WithdrawForm,
        allowed=rules.can_act_as_replicator,
        applies=_possible("withdraw"),
        perform=lambda user, r, data: r.withdraw(by=user, reason=data["reason"]),
        success=_lazy("The request was withdrawn."),
    ),
    "agreement": Step(
        form=AgreementForm,
        allowed=rules.can_answer_for_origin,
        applies=_possible("agree"),
        perform=_agree,
        success=_lazy("The origin agency's answer was recorded."),
    ),
    "mentoring": Step(
        form=MentoringSessionForm,
        allowed=rules.can_facilitate_replication,
        applies=_possible("mentoring"),
        form_kwargs=_hub_of,
        initial=_today,
        perform=lambda user, r, data: r.record_mentoring(by=user, **data),
        success=_lazy("Mentoring session recorded."),
    ),
    "progress": Step(
        form=ProgressReportForm,
        allowed=rules.can_act_as_replicator,
        applies=_possible("progress"),
        initial=_today,
        perform=lambda user, r, data: r.report_progress(by=user, **data),
        success=_lazy("Progress report filed."),
    ),
    "implement": Step(
        form=ImplementForm,
        allowed=rules.can_act_as_replicator,
        applies=_possible("implemented"),
        perform=lambda user, r, data: services.declare_implemented(request=r, by=user),
        success=_lazy(
            "Recorded as implemented. Your agency's own innovation was created as a draft: complete it "
            "and send it for review."
        ),
    ),
    "evaluate": Step(
        form=EvaluationForm,
        allowed=rules.can_evaluate_replication,
        applies=_possible("evaluate"),
        perform=lambda user, r, data: r.evaluate(by=user, **data),
        success=_lazy("Evaluation recorded; the request is closed."),
    ),
}


@login_required
@require_POST
def step(request, pk, name):
    """One step on a request (``STEPS``): visible (404) → allowed (403) → valid (400) → legal (409)."""
    replication = rules.get_replication_request_for_user(request.user, pk, _request_queryset())

    def invalid(form, error):
        messages.error(request, _("Please correct the errors below."))
        return _render_detail(request, replication, bound={name: form}, status=400)

    return post_step(
        request, replication, STEPS[name], invalid=invalid, back_url=replication.get_absolute_url()
    )


# --- Public pages --------------------------------------------------------------------------------


def _public_queryset():
    return ReplicationRequest.objects.public().select_related(
        "source", "source__agency", "requesting_agency", "requesting_agency__province", "hub", "evaluation"
    )


def _cursor(request):
    """The keyset cursor (``?sebelum=<id>``): the list goes on below this id. Garbage is ignored."""
    try:
        value = int(request.GET.get("sebelum", ""))
    except ValueError:
        return None
    return value if value > 0 else None


def _keyset_page(queryset, request, size):
    cursor = _cursor(request)
    if cursor:
        queryset = queryset.filter(pk__lt=cursor)
    rows = list(queryset.order_by("-id")[: size + 1])
    has_more = len(rows) > size
    rows = rows[:size]
    next_query = None
    if has_more:
        query = request.GET.copy()
        query["sebelum"] = rows[-1].pk
        next_query = query.urlencode()
    return rows, next_query, cursor


@require_safe
def public_list(request):
    filterset = PublicReplicationFilter(request.GET or None, queryset=_public_queryset())
    rows, next_query, cursor = _keyset_page(filterset.qs, request, PUBLIC_PAGE_SIZE)
    first_query = request.GET.copy()
    first_query.pop("sebelum", None)
    return render(
        request,
        "replication/public_list.html",
        {
            "filter": filterset,
            "replications": rows,
            "next_query": next_query,
            "first_query": first_query.urlencode() if cursor else None,
            "data_query": first_query.urlencode(),
        },
    )


@require_safe
def public_detail(request, pk):
    replication = rules.get_public_replication(
        pk,
        _public_queryset()
        .select_related("result_innovation")
        .annotate(session_count=Count("mentoring_sessions")),
    )
    return render(
        request,
        "replication/public_detail.html",
        {
            "replication": replication,
            "source": replication.source,
            "timeline": replication.stage_timeline(),
            "evaluation": getattr(replication, "evaluation", None),
        },
    )


# --- Open data -----------------------------------------------------------------------------------


@require_safe
@limited("export", method=ALL_METHODS)
def export_json(request):
    """Every public replication as one JSON document (the API's records, streamed in chunks); the
    paged, syncable form is /api/replikasi/."""
    filterset = PublicReplicationFilter(request.GET or None, queryset=data_queryset().filter(PUBLIC))
    if filterset.is_bound and not filterset.is_valid():
        return JsonResponse({"errors": filterset.errors.get_json_data()}, status=400)

    def chunks():
        yield '{"license": "CC BY 4.0", "results": [\n'
        first = True
        for replication in filterset.qs.order_by("-id").iterator(chunk_size=500):
            data = ReplicationSerializer(replication, context={"request": request}).data
            yield ("" if first else ",\n") + json.dumps(data, ensure_ascii=False, cls=DjangoJSONEncoder)
            first = False
        yield "\n]}\n"

    response = StreamingHttpResponse(chunks(), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="jipp-replikasi.json"'
    return response


@require_safe
def api_detail(request, pk):
    """The old address of one replication's data: moved to the API."""
    return redirect(reverse("api:replication_detail", kwargs={"pk": pk}), permanent=True)


CSV_COLUMNS = [
    "id",
    "status",
    "source_name",
    "source_slug",
    "origin_agency",
    "sector",
    "replicating_agency",
    "province",
    "hub",
    "requested",
    "approved",
    "agreed",
    "mentoring_started",
    "implemented",
    "evaluated",
    "outcome",
    "score",
]


def _export_rows(request):
    filterset = PublicReplicationFilter(request.GET or None, queryset=ReplicationRequest.objects.public())
    return (
        filterset.qs.order_by("-id")
        .values_list(
            "id",
            "status",
            "source__name",
            "source__slug",
            "source__agency__name",
            "source__sector",
            "requesting_agency__name",
            "requesting_agency__province__name",
            "hub__slug",
            "created_at",
            "decided_at",
            "agreed_at",
            "mentoring_started_at",
            "implemented_at",
            "evaluated_at",
            "evaluation__outcome",
            "evaluation__score",
        )
        .iterator(chunk_size=2000)
    )


@require_safe
@limited("export", method=ALL_METHODS)
def export_csv(request):
    """All public replications (filters apply), streamed in chunks: memory stays flat at any size."""
    return streaming_csv(CSV_COLUMNS, _export_rows(request), "jipp-replikasi.csv")


@require_safe
@limited("export", method=ALL_METHODS)
def export_xlsx(request):
    """The CSV's columns and cells as a spreadsheet."""
    return streaming_xlsx(CSV_COLUMNS, _export_rows(request), "jipp-replikasi.xlsx", title="replikasi")
