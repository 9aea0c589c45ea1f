"""What the replication app adds to an innovation's public page (registered in ``ReplicationConfig``):
the "Request replication" entry and the record's public replications, furthest stage first."""

from django.urls import reverse

from innovations.models import Innovation
from replication import rules
from replication.models import ReplicationRequest


def innovation_page_context(request, innovation) -> dict:
    replications, more_replications = _replications(innovation)
    return {
        "replications": replications,
        "more_replications": more_replications,
        "replication_request_url": reverse("replication:request_create", args=[innovation.slug]),
        "shows_replication_entry": rules.shows_replication_entry(request.user, innovation),
    }


REPLICATIONS_SHOWN = 50
# Furthest stage first: evaluated, implemented, then those still under way.
_STAGE_ORDER = {status: i for i, status in enumerate(reversed(ReplicationRequest.PUBLIC_STATUSES))}
_NOT_YET_PUBLISHED = (Innovation.Status.DRAFT, Innovation.Status.SUBMITTED, Innovation.Status.RETURNED)


def _replications(innovation):
    """The public replications of ``innovation`` (approved and every later stage; one query), each
    with its public page and, once published, the adapted innovation; and whether there are more."""
    rows = list(
        ReplicationRequest.objects.public()
        .filter(source_id=innovation.pk)
        .select_related("requesting_agency__province", "result_innovation")
        .only(
            "id",
            "status",
            "requesting_agency__name",
            "requesting_agency__province__name",
            "result_innovation__slug",
            "result_innovation__name",
            "result_innovation__acronym",
            "result_innovation__status",
        )
        .order_by("-id")[: REPLICATIONS_SHOWN + 1]
    )
    detail_url = reverse("innovations:detail", kwargs={"slug": "__slug__"})
    shown = []
    for row in rows[:REPLICATIONS_SHOWN]:
        adapted = row.result_innovation
        published = adapted is not None and adapted.status == Innovation.Status.PUBLISHED
        shown.append(
            {
                "url": row.get_public_url(),
                "agency": row.requesting_agency.name,
                "province": row.requesting_agency.province.name,
                "status": row.status,
                "stage": row.get_status_display(),
                "adapted_name": str(adapted) if published else "",
                "adapted_url": detail_url.replace("__slug__", adapted.slug) if published else "",
                # Declared implemented: the adapted record exists and is still on its way to review.
                "adapted_pending": getattr(adapted, "status", None) in _NOT_YET_PUBLISHED,
            }
        )
    shown.sort(key=lambda item: _STAGE_ORDER[item["status"]])  # stable: newest first within a stage
    return shown, len(rows) > REPLICATIONS_SHOWN
