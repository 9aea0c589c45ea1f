"""Read-only JSON API over published innovations (Django REST framework, schema by drf-spectacular).

The list takes the facets of /inovasi/ (innovations.filters.InnovationFilter) and ``q`` (websearch
syntax, matching only: ranking needs a bounded candidate set, so the API never ranks), and pages by
keyset in one of ``KEYSETS`` (jipp.api: modified_since, cursor, per_page, ETag). Anonymous and
read-only: only published records, whoever asks, and tombstones for records withdrawn from
publication (archived) when ``modified_since`` is given. No personal data: the contact person, their
email and phone stay off the API and the exports (the agency and its website are the contact).
"""

from django.db.models import Q
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from innovations import search
from innovations.filters import InnovationFilter
from innovations.models import Award, Innovation
from innovations.views import clean_params
from jipp import api

# The sorts the API pages in; each has an index starting with its columns (innovations.models).
KEYSETS = {
    "modified": api.MODIFIED_ORDER,
    "newest": api.Keyset(("published_at", "id"), descending=True),
    "replicated": api.Keyset(("replication_count", "published_at", "id"), descending=True),
    "az": api.Keyset(("name", "id")),
}
PUBLIC = Q(status=Innovation.Status.PUBLISHED)
# Published once, not now (archived): a tombstone for harvesters.
WITHDRAWN = ~Q(status=Innovation.Status.PUBLISHED) & Q(published_at__isnull=False)
# Fields of the record that are personal data: never in the API or the exports.
PERSONAL_FIELDS = ("contact_name", "contact_email", "contact_phone")


class AwardSerializer(serializers.ModelSerializer):
    class Meta:
        model = Award
        fields = ["program", "rank", "year", "title"]


class InnovationListSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    agency = serializers.CharField(source="agency.name")
    agency_slug = serializers.CharField(source="agency.slug")
    province = serializers.CharField(source="province.name")
    province_code = serializers.CharField(source="province.code")
    regency = serializers.CharField(
        source="regency.name", allow_null=True, help_text="Null above regency level."
    )
    type = serializers.ChoiceField(source="kind", choices=Innovation._meta.get_field("kind").choices)
    modified = serializers.DateTimeField(source="updated_at")
    withdrawn = api.LiveFlag()

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
            "province_code",
            "regency",
            "sector",
            "stage",
            "form",
            "type",
            "started_on",
            "replication_count",
            "last_confirmed_on",
            "published_at",
            "modified",
            "withdrawn",
        ]

    def get_url(self, obj) -> str:
        return self.context["request"].build_absolute_uri(obj.get_absolute_url())


class InnovationDetailSerializer(InnovationListSerializer):
    awards = AwardSerializer(many=True, read_only=True)
    replicated_from = serializers.SlugRelatedField(
        slug_field="slug",
        read_only=True,
        allow_null=True,
        help_text="Slug of the innovation this one was adapted from; null for an original.",
    )

    class Meta(InnovationListSerializer.Meta):
        fields = [
            *InnovationListSerializer.Meta.fields,
            # The editable fields not in the list view, from the model's one list, less the personal
            # data (a contact person's name, email and phone).
            *(
                name
                for name in Innovation.EDITABLE_FIELDS
                if name not in InnovationListSerializer.Meta.fields and name not in ("kind", *PERSONAL_FIELDS)
            ),
            "awards",
            "replicated_from",
        ]


class InnovationTombstoneSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    withdrawn = api.WithdrawnFlag()
    modified = serializers.DateTimeField(source="updated_at", help_text="When it was withdrawn.")


class CleanFilterBackend(DjangoFilterBackend):
    """django-filter on the query string without NUL characters (PostgreSQL refuses them); an invalid
    value is a 400 naming the parameter (DjangoFilterBackend's ValidationError)."""

    def get_filterset_kwargs(self, request, queryset, view):
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        kwargs["data"] = clean_params(request.query_params)
        kwargs["searching"] = search.web_query(kwargs["data"].get("q", "")) is not None
        return kwargs


LIST_PARAMETERS = [
    OpenApiParameter(
        "q", OpenApiTypes.STR, description="Search words (websearch syntax: quotes, OR, -word)."
    ),
    OpenApiParameter(
        api.SORT,
        OpenApiTypes.STR,
        enum=list(KEYSETS),
        default="modified",
        description="modified: by modified time then id (for syncing); newest: by publication date; "
        "replicated: most adapted first; az: by name.",
    ),
]


class InnovationList(api.ReadOnlyEndpoint):
    serializer_class = InnovationListSerializer
    filter_backends = [CleanFilterBackend]
    filterset_class = InnovationFilter

    def get_queryset(self):
        return Innovation.objects.all()

    @api.list_schema(
        "innovation_list",
        InnovationListSerializer,
        extra_parameters=LIST_PARAMETERS,
        tombstone=InnovationTombstoneSerializer,
        description="Published public-service innovations, with the facets of the innovation list.",
    )
    def get(self, request):
        sort = api.choice_param(request, api.SORT, list(KEYSETS), "modified")
        modified_since = api.modified_since_param(request)
        queryset = api.public_or_withdrawn(self.get_queryset(), PUBLIC, WITHDRAWN, modified_since)
        if sort != "modified":
            queryset = queryset.filter(PUBLIC)  # other orders are for browsing, not for syncing
        queryset = self.filter_queryset(queryset).search(clean_params(request.query_params).get("q", ""))
        queryset = api.since(queryset, modified_since)
        rows = search.list_queryset(queryset).only(
            *search.LIST_FIELDS, "status", "updated_at", "province__code"
        )
        page = api.keyset_page(request, rows, keyset=KEYSETS[sort], sort=sort)
        results = [
            (
                InnovationListSerializer
                if row.status == Innovation.Status.PUBLISHED
                else InnovationTombstoneSerializer
            )(row, context=self.get_serializer_context()).data
            for row in page.rows
        ]
        return api.conditional(
            request, {"next": page.next_url, "results": results}, last_modified=page.last_modified
        )


class InnovationDetail(api.ReadOnlyEndpoint):
    serializer_class = InnovationDetailSerializer

    @api.detail_schema("innovation_detail", InnovationDetailSerializer)
    def get(self, request, slug):
        innovation = self.get_object_or_404(
            Innovation.objects.published()
            .select_related("agency", "province", "regency", "replicated_from")
            .prefetch_related("awards"),
            slug=slug,
        )
        data = self.get_serializer(innovation).data
        return api.conditional(request, data, last_modified=innovation.updated_at)
