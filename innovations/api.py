"""Read-only JSON API over published innovations (Django REST framework, schema by drf-spectacular).

The list takes the same filters as /inovasi/ (innovations.filters.InnovationFilter), the same ``q``,
``sort``, ``page`` and ``per_page``, and answers from innovations.search: capped counts, bounded depth.
Anonymous and read-only: only published records, whoever asks.
"""

from django.shortcuts import get_object_or_404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view, inline_serializer
from rest_framework import generics, serializers
from rest_framework.response import Response

from innovations import search
from innovations.filters import InnovationFilter
from innovations.models import Award, Innovation
from innovations.views import clean_params


class AwardSerializer(serializers.ModelSerializer):
    class Meta:
        model = Award
        fields = ["program", "rank", "year", "title"]


class InnovationListSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    agency = serializers.CharField(source="agency.name")
    agency_slug = serializers.CharField(source="agency.slug")
    province = serializers.CharField(source="province.name")
    regency = serializers.SerializerMethodField()
    type = serializers.CharField(source="kind")

    class Meta:
        model = Innovation
        fields = [
            "slug",
            "url",
            "name",
            "acronym",
            "summary",
            "agency",
            "agency_slug",
            "province",
            "regency",
            "sector",
            "stage",
            "form",
            "type",
            "started_on",
            "replication_count",
            "last_confirmed_on",
            "published_at",
        ]

    def get_url(self, obj) -> str:
        request = self.context.get("request")
        path = obj.get_absolute_url()
        return request.build_absolute_uri(path) if request else path

    def get_regency(self, obj) -> str:
        return obj.regency.name if obj.regency_id else ""


class InnovationDetailSerializer(InnovationListSerializer):
    awards = AwardSerializer(many=True, read_only=True)
    replicated_from = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta(InnovationListSerializer.Meta):
        fields = [
            *InnovationListSerializer.Meta.fields,
            # The editable fields not in the list view, from the model's one list, less what stays
            # off the open data (a contact's phone number).
            *(
                name
                for name in Innovation.EDITABLE_FIELDS
                if name not in InnovationListSerializer.Meta.fields and name not in ("kind", "contact_phone")
            ),
            "awards",
            "replicated_from",
        ]


PAGING_PARAMETERS = [
    OpenApiParameter(
        "q", OpenApiTypes.STR, description="Search words (websearch syntax: quotes, OR, -word)."
    ),
    OpenApiParameter("sort", OpenApiTypes.STR, enum=list(search.SORTS)),
    OpenApiParameter(
        "page", OpenApiTypes.INT, description=f"At most {search.MAX_DEPTH} results are reachable."
    ),
    OpenApiParameter("per_page", OpenApiTypes.INT, enum=list(search.PER_PAGE_CHOICES)),
]


class CleanFilterBackend(DjangoFilterBackend):
    """django-filter on the query string without NUL characters (PostgreSQL refuses them)."""

    def get_filterset_kwargs(self, request, queryset, view):
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        kwargs["data"] = clean_params(request.query_params)
        kwargs["searching"] = search.web_query(kwargs["data"].get("q", "")) is not None
        return kwargs


class InnovationList(generics.GenericAPIView):
    queryset = Innovation.objects.published()
    serializer_class = InnovationListSerializer
    filter_backends = [CleanFilterBackend]
    filterset_class = InnovationFilter

    @extend_schema(
        operation_id="innovation_list",
        parameters=PAGING_PARAMETERS,
        responses=inline_serializer(
            "InnovationPage",
            {
                "count": serializers.IntegerField(help_text=f"Capped at {search.COUNT_CAP}."),
                "count_is_capped": serializers.BooleanField(),
                "page": serializers.IntegerField(),
                "per_page": serializers.IntegerField(),
                "last_page": serializers.IntegerField(),
                "next": serializers.URLField(allow_null=True),
                "previous": serializers.URLField(allow_null=True),
                "suggestion": serializers.CharField(),
                "results": InnovationListSerializer(many=True),
            },
        ),
    )
    def get(self, request):
        queryset = self.filter_queryset(self.get_queryset())
        params = clean_params(request.query_params)
        result = search.run(
            queryset,
            params.get("q", ""),
            sort=params.get("sort", ""),
            page=search.parse_int(params.get("page"), 1),
            per_page=search.parse_int(params.get("per_page"), search.DEFAULT_PER_PAGE),
            facets=False,
        )
        return Response(
            {
                "count": result.count,
                "count_is_capped": result.total_is_capped,
                "page": result.page,
                "per_page": result.per_page,
                "last_page": result.last_page,
                "next": self._page_url(request, result.page + 1) if result.has_next else None,
                "previous": self._page_url(request, result.page - 1) if result.has_previous else None,
                "suggestion": result.suggestion,
                "results": self.get_serializer(result.rows, many=True).data,
            }
        )

    def _page_url(self, request, page):
        params = request.query_params.copy()
        params["page"] = page
        return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


@extend_schema_view(get=extend_schema(operation_id="innovation_detail"))
class InnovationDetail(generics.RetrieveAPIView):
    serializer_class = InnovationDetailSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return (
            Innovation.objects.published()
            .select_related("agency", "province", "regency", "replicated_from")
            .prefetch_related("awards")
        )

    def get_object(self):
        return get_object_or_404(self.get_queryset(), slug=self.kwargs["slug"])
