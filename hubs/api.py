"""Hubs and the statistics tables in the read-only API (/api/hub/, /api/statistik/).

A hub comes with its published team (role and organisation: people's names stay on the hub page, off
the bulk data), its current documents and its events. Its ``modified`` follows them all (a trigger of
hubs/0003 touches the hub when one changes, removals included). Hubs are never withdrawn.

Each statistics table is the ``Table`` its page renders (hubs.statistics): the JSON rows are the CSV's
rows, in the language asked for (Accept-Language). ``modified`` is when the figures were computed (they
are cached a few minutes).
"""

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from hubs import statistics
from hubs.models import HubDocument, HubEvent, HubTeamMember
from jipp import api
from jipp.models import Hub


class TeamMemberSerializer(serializers.ModelSerializer):
    class Meta:
        model = HubTeamMember
        fields = ["role", "organisation", "order"]


class DocumentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="The file, or the external link.")
    issued_on = serializers.DateField(allow_null=True)

    class Meta:
        model = HubDocument
        fields = ["id", "kind", "title", "number", "issued_on", "url"]

    def get_url(self, obj) -> str:
        return self.context["request"].build_absolute_uri(obj.get_absolute_url())


class EventSerializer(serializers.ModelSerializer):
    class Meta:
        model = HubEvent
        fields = ["id", "kind", "title", "held_on", "place", "summary"]


class UniversitySerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()


class HubSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    province = serializers.CharField(source="province.code", help_text="Code of the province.")
    team = TeamMemberSerializer(source="public_team", many=True)
    universities = UniversitySerializer(many=True)
    documents = DocumentSerializer(source="current_documents", many=True)
    events = EventSerializer(source="current_events", many=True)
    modified = serializers.DateTimeField(source="updated_at")

    class Meta:
        model = Hub
        fields = [
            "slug",
            "name",
            "url",
            "province",
            "status",
            "year_designated",
            "description",
            "team",
            "universities",
            "documents",
            "events",
            "modified",
        ]

    def get_url(self, obj) -> str:
        return self.context["request"].build_absolute_uri(obj.get_absolute_url())


def hub_queryset():
    # Five queries whatever the number of hubs: the hubs, then one per prefetched relation.
    return Hub.objects.select_related("province").prefetch_related(
        Prefetch(
            "team",
            HubTeamMember.objects.filter(is_published=True, is_removed=False),
            to_attr="public_team",
        ),
        "universities",
        Prefetch("documents", HubDocument.objects.current(), to_attr="current_documents"),
        Prefetch("events", HubEvent.objects.current(), to_attr="current_events"),
    )


class HubList(api.ModifiedList):
    serializer_class = HubSerializer

    def get_queryset(self):
        return hub_queryset()

    @api.list_schema("hub_list", HubSerializer, description="JIPP hubs with team, documents and events.")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class HubDetail(api.ReadOnlyEndpoint):
    serializer_class = HubSerializer

    @api.detail_schema("hub_detail", HubSerializer)
    def get(self, request, slug):
        hub = self.get_object_or_404(hub_queryset(), slug=slug)
        return api.conditional(request, self.get_serializer(hub).data, last_modified=hub.updated_at)


# --- Statistics tables -------------------------------------------------------------------------------


@extend_schema_field(
    {"oneOf": [{"type": "string"}, {"type": "number"}], "nullable": True, "description": "A cell."}
)
class CellField(serializers.Field):
    def to_representation(self, value):
        return value


class TableSummarySerializer(serializers.Serializer):
    name = serializers.SlugField()
    title = serializers.CharField()
    url = serializers.URLField(help_text="This table in the API.")
    page = serializers.URLField(help_text="The page that shows it.")
    csv = serializers.URLField()
    xlsx = serializers.URLField()
    modified = serializers.DateTimeField(help_text="When the figures were computed.")


class TableSerializer(TableSummarySerializer):
    columns = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(child=serializers.ListField(child=CellField()))


def open_tables(request):
    """``(summary, table)`` of every published statistics table, from one read of the cached figures."""
    figures = statistics.national_figures()
    modified = figures.get("computed_at") or timezone.now()
    result = []
    for table, page_name in statistics.open_tables(figures):
        page = request.build_absolute_uri(reverse(page_name))
        summary = {
            "name": table.name,
            "title": str(table.title),
            "url": request.build_absolute_uri(reverse("api:statistics_detail", kwargs={"name": table.name})),
            "page": page,
            "csv": f"{page}?csv={table.name}",
            "xlsx": f"{page}?xlsx={table.name}",
            "modified": modified,
        }
        result.append((summary, table))
    return result


class StatisticsList(api.ReadOnlyEndpoint):
    serializer_class = TableSummarySerializer

    @api.list_schema(
        "statistics_list",
        TableSummarySerializer,
        description="The statistics tables of /statistik/ (innovations, replications, hubs, coverage).",
    )
    def get(self, request):
        modified_since = api.modified_since_param(request)
        summaries = [summary for summary, _table in open_tables(request)]
        if modified_since is not None:
            summaries = [s for s in summaries if s["modified"] >= modified_since]
        page = api.list_page(request, summaries, key="name")
        data = {"next": page.next_url, "results": TableSummarySerializer(page.rows, many=True).data}
        return api.conditional(request, data, last_modified=page.last_modified)


class StatisticsDetail(api.ReadOnlyEndpoint):
    serializer_class = TableSerializer

    @api.detail_schema("statistics_detail", TableSerializer)
    def get(self, request, name):
        for summary, table in open_tables(request):
            if summary["name"] == name:
                data = {
                    **summary,
                    "columns": [str(column) for column in table.columns],
                    "rows": [[_cell(cell) for cell in row] for row in table.rows],
                }
                return api.conditional(request, TableSerializer(data).data, last_modified=summary["modified"])
        raise api.NotFound("No statistics table has this name.")


def _cell(value):
    if value is None or isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return str(value)
