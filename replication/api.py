"""Public replications in the read-only API (/api/replikasi/): approved requests and every later stage,
with their adaptation plan (ATM), stage dates, mentoring count and evaluation outcome.

Paged by (modified, id) with modified_since, cursor and ETag (jipp.api); ``modified`` is the request's
``last_activity_at``, which every step moves (a mentoring session, a report, an evaluation). A
replication the origin agency declined after approval leaves the public set: with modified_since it
comes back as a tombstone. Who asked, their contact and the mentors' names are never in it.
"""

from django.db.models import Count, Q
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import serializers

from innovations.models import Innovation
from jipp import api
from replication.filters import PublicReplicationFilter
from replication.models import Evaluation, ReplicationRequest

PUBLIC = Q(status__in=ReplicationRequest.PUBLIC_STATUSES)
# Approved, then declined by the origin agency: public once, not now.
WITHDRAWN = Q(status=ReplicationRequest.Status.DECLINED)
PUBLIC_STATUSES = ReplicationRequest.PUBLIC_STATUSES
ORDER = api.Keyset(("last_activity_at", "id"))


class SourceSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    acronym = serializers.CharField()
    agency = serializers.CharField(source="agency.name")
    sector = serializers.ChoiceField(choices=Innovation._meta.get_field("sector").choices)


class ReplicatingAgencySerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    province = serializers.CharField(source="province.name")
    province_code = serializers.CharField(source="province.code")


class PlanSerializer(serializers.Serializer):
    """The adaptation plan in the ATM form (amati, tiru, modifikasi)."""

    observed = serializers.CharField()
    adopted = serializers.CharField()
    modified = serializers.CharField()
    local_need = serializers.CharField()


class DatesSerializer(serializers.Serializer):
    requested = serializers.DateTimeField(source="created_at")
    approved = serializers.DateTimeField(source="decided_at", allow_null=True)
    agreed = serializers.DateTimeField(source="agreed_at", allow_null=True)
    mentoring_started = serializers.DateTimeField(source="mentoring_started_at", allow_null=True)
    implemented = serializers.DateTimeField(source="implemented_at", allow_null=True)
    evaluated = serializers.DateTimeField(source="evaluated_at", allow_null=True)


class EvaluationSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Evaluation.Outcome.choices)
    score = serializers.IntegerField(min_value=0, max_value=100)
    lessons = serializers.CharField()


class ReplicationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.SerializerMethodField()
    stage = serializers.ChoiceField(source="status", choices=ReplicationRequest.Status.choices)
    source = SourceSerializer()
    replicating_agency = ReplicatingAgencySerializer(source="requesting_agency")
    hub = serializers.SlugField(source="hub.slug", allow_null=True)
    plan = PlanSerializer(source="*")
    dates = DatesSerializer(source="*")
    mentoring_sessions = serializers.IntegerField(source="session_count")
    evaluation = serializers.SerializerMethodField()
    adapted_innovation = serializers.SerializerMethodField(
        help_text="Slug of the replicator's own innovation, once it is published; else null."
    )
    modified = serializers.DateTimeField(source="last_activity_at")
    withdrawn = api.LiveFlag()

    def get_url(self, obj) -> str:
        return self.context["request"].build_absolute_uri(obj.get_public_url())

    def get_evaluation(self, obj) -> EvaluationSerializer(allow_null=True):
        evaluation = getattr(obj, "evaluation", None)
        return EvaluationSerializer(evaluation).data if evaluation else None

    def get_adapted_innovation(self, obj) -> str | None:
        result = obj.result_innovation
        return result.slug if result and result.status == Innovation.Status.PUBLISHED else None


class ReplicationTombstoneSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    withdrawn = api.WithdrawnFlag()
    modified = serializers.DateTimeField(source="last_activity_at", help_text="When it was withdrawn.")


def data_queryset():
    return ReplicationRequest.objects.select_related(
        "source",
        "source__agency",
        "requesting_agency",
        "requesting_agency__province",
        "hub",
        "evaluation",
        "result_innovation",
    ).annotate(session_count=Count("mentoring_sessions"))


class ReplicationList(api.ReadOnlyEndpoint):
    serializer_class = ReplicationSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = PublicReplicationFilter

    def get_queryset(self):
        return data_queryset()

    @api.list_schema(
        "replication_list",
        ReplicationSerializer,
        tombstone=ReplicationTombstoneSerializer,
        description="Public replications: one agency adapting another's innovation, with mentoring.",
    )
    def get(self, request):
        modified_since = api.modified_since_param(request)
        queryset = api.public_or_withdrawn(self.get_queryset(), PUBLIC, WITHDRAWN, modified_since)
        queryset = api.since(self.filter_queryset(queryset), modified_since, field="last_activity_at")
        page = api.keyset_page(
            request, queryset, keyset=ORDER, sort="modified", modified_field="last_activity_at"
        )
        context = self.get_serializer_context()
        results = [
            (ReplicationSerializer if row.status in PUBLIC_STATUSES else ReplicationTombstoneSerializer)(
                row, context=context
            ).data
            for row in page.rows
        ]
        return api.conditional(
            request, {"next": page.next_url, "results": results}, last_modified=page.last_modified
        )


class ReplicationDetail(api.ReadOnlyEndpoint):
    serializer_class = ReplicationSerializer

    @api.detail_schema("replication_detail", ReplicationSerializer)
    def get(self, request, pk):
        if not pk.isdecimal() or len(pk) > 18:
            raise api.NotFound("No public record with this key.")
        replication = self.get_object_or_404(data_queryset().filter(PUBLIC), pk=int(pk))
        data = self.get_serializer(replication).data
        return api.conditional(request, data, last_modified=replication.last_activity_at)
