"""What every endpoint of the read-only API under /api/ shares (Django REST framework, schema by
drf-spectacular): one way of paging, one way of syncing, one shape of error.

- **Keyset paging.** A list is read in a fixed order (by default ``modified`` then ``id``, ascending)
  and ``next`` carries an opaque ``cursor``: the sort values of the last row. The next page starts
  strictly after that row, so a page costs one index range scan however deep it is (no OFFSET, no
  COUNT) and rows added or changed meanwhile are neither skipped nor repeated within a sort.
- **Incremental sync.** ``modified_since`` (ISO 8601) keeps the records changed at or after that time,
  plus *tombstones* ``{"id"|"slug": …, "withdrawn": true, "modified": …}`` for records that left the
  public set (an innovation archived, a replication declined): a harvester removes those.
- **Conditional requests.** Every 200 carries ``ETag`` (a hash of the body) and, where the rows have a
  modified time, ``Last-Modified``; ``If-None-Match`` / ``If-Modified-Since`` that still match get a
  304 with no body.
- **Strict parameters.** A value outside a parameter's documented enum or format is a 400 whose body
  names the parameter (``{"sort": ["…"]}``), never a silent default and never a 500.
"""

import base64
import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from jipp.models import Agency, Province, Regency

PER_PAGE_CHOICES = (10, 20, 50, 100)
DEFAULT_PER_PAGE = 50
CURSOR, MODIFIED_SINCE, PER_PAGE, SORT = "cursor", "modified_since", "per_page", "sort"
MAX_CURSOR_LENGTH = 1000
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


# --- Parameters --------------------------------------------------------------------------------------


def param(request, name) -> str:
    """One query parameter without NUL characters (PostgreSQL refuses them), or "" when absent."""
    return request.query_params.get(name, "").replace("\x00", "")


def choice_param(request, name, choices, default):
    """The value of an enum parameter; a value outside ``choices`` is a 400 naming the parameter."""
    raw = param(request, name)
    if raw == "" and name not in request.query_params:
        return default
    for choice in choices:
        if raw == str(choice):
            return choice
    raise ValidationError({name: [f"Must be one of: {', '.join(str(c) for c in choices)}."]})


def modified_since_param(request) -> datetime | None:
    raw = param(request, MODIFIED_SINCE).strip()
    if not raw and MODIFIED_SINCE not in request.query_params:
        return None
    try:
        value = parse_datetime(raw.replace(" ", "+"))  # a "+" left unescaped in a URL arrives as a space
    except ValueError:
        value = None
    if value is None:
        raise ValidationError(
            {MODIFIED_SINCE: ["An ISO 8601 date-time is expected, e.g. 2026-01-31T00:00:00Z."]}
        )
    try:
        if timezone.is_naive(value):
            value = timezone.make_aware(value, timezone.get_current_timezone())
        value = value.astimezone(UTC)
    except (OverflowError, ValueError):
        value = EPOCH if value.year < EPOCH.year else None
    # Every record is newer than 1970: an earlier time means "everything" (and stays in the range
    # PostgreSQL and Python share).
    return EPOCH if value is None or value < EPOCH else value


COMMON_PARAMETERS = [
    OpenApiParameter(
        MODIFIED_SINCE,
        OpenApiTypes.DATETIME,
        description=(
            "Only records changed at or after this time (ISO 8601), plus tombstones "
            '(`{"withdrawn": true}`) for records withdrawn from the public set since then.'
        ),
    ),
    OpenApiParameter(
        CURSOR,
        OpenApiTypes.STR,
        description="Opaque position from the `next` link of the previous page; do not build it yourself.",
    ),
    OpenApiParameter(PER_PAGE, OpenApiTypes.INT, enum=list(PER_PAGE_CHOICES), default=DEFAULT_PER_PAGE),
    OpenApiParameter(
        "If-None-Match",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        description="The ETag of a response you hold: 304 when it is still current.",
    ),
    OpenApiParameter(
        "If-Modified-Since",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        description="The Last-Modified of a response you hold (HTTP date): 304 when nothing changed.",
    ),
]
CONDITIONAL_HEADERS = COMMON_PARAMETERS[-2:]
RESPONSE_HEADERS = [
    OpenApiParameter(
        "ETag",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        response=[200, 304],
        description="Hash of the body.",
    ),
    OpenApiParameter(
        "Last-Modified",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        response=[200, 304],
        description="Latest modified time of the records in the body (HTTP date), where they have one.",
    ),
]

ERROR = inline_serializer(
    "ParameterErrors",
    {"detail": serializers.CharField(required=False)},
)
NOT_MODIFIED = OpenApiResponse(
    description="Not modified: the ETag or Last-Modified you sent is still current."
)
BAD_REQUEST = OpenApiResponse(
    response=OpenApiTypes.OBJECT,
    description="A parameter has a value outside its enum or format; the body maps each such parameter "
    'to its messages, e.g. `{"sort": ["Must be one of: …"]}`.',
)
NOT_FOUND = OpenApiResponse(response=ERROR, description="No public record with this key.")
THROTTLED = OpenApiResponse(
    response=ERROR, description="Too many requests from your address; wait the seconds in Retry-After."
)


def list_schema(operation_id, item, *, extra_parameters=(), description="", tombstone=None):
    """The schema of a keyset-paged list: its parameters, the page envelope and every status."""
    items = item(many=True) if tombstone is None else _with_tombstones(item, tombstone)
    page = inline_serializer(
        f"{item.__name__.removesuffix('Serializer')}Page",
        {
            "next": serializers.URLField(
                allow_null=True, help_text="The next page (keyset cursor); null on the last page."
            ),
            "results": items,
        },
    )
    return extend_schema(
        operation_id=operation_id,
        description=description
        + "\n\nPaging: keyset; follow `next` until it is null. Order: stable while the set changes.",
        parameters=[*extra_parameters, *COMMON_PARAMETERS, *RESPONSE_HEADERS],
        responses={200: page, 304: NOT_MODIFIED, 400: BAD_REQUEST, 429: THROTTLED},
    )


def detail_schema(operation_id, serializer, *, description=""):
    return extend_schema(
        operation_id=operation_id,
        description=description,
        parameters=[*CONDITIONAL_HEADERS, *RESPONSE_HEADERS],
        responses={200: serializer, 304: NOT_MODIFIED, 404: NOT_FOUND, 429: THROTTLED},
    )


def _with_tombstones(item, tombstone):
    from drf_spectacular.utils import PolymorphicProxySerializer

    return PolymorphicProxySerializer(
        component_name=f"{item.__name__.removesuffix('Serializer')}OrTombstone",
        serializers=[item, tombstone],
        resource_type_field_name=None,
        many=True,
    )


class LiveFlag(serializers.Field):
    """``"withdrawn": false`` on a live record (the schema says it is always false there)."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value):
        return False


class WithdrawnFlag(LiveFlag):
    def to_representation(self, value):
        return True


def _constant_boolean(value):
    from drf_spectacular.extensions import OpenApiSerializerFieldExtension

    class Extension(OpenApiSerializerFieldExtension):
        target_class = WithdrawnFlag if value else LiveFlag

        def map_serializer_field(self, auto_schema, direction):
            return {"type": "boolean", "enum": [value]}

    return Extension


_constant_boolean(False)
_constant_boolean(True)


# --- Keyset paging -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Keyset:
    """An order the list can be paged in: model field names, all ascending or all descending, the
    last one unique (``id``), with an index that starts with them."""

    fields: tuple
    descending: bool = False

    def order_by(self):
        return [f"-{name}" if self.descending else name for name in self.fields]

    def after(self, queryset, values):
        """Rows strictly after ``values`` in this order: one row-value comparison, which PostgreSQL
        answers as a range of the index on these columns."""
        model = queryset.model
        table = model._meta.db_table
        columns = ", ".join(f'"{table}"."{model._meta.get_field(name).column}"' for name in self.fields)
        marks = ", ".join(["%s"] * len(values))
        operator = "<" if self.descending else ">"
        return queryset.extra(  # noqa: S610 - column names come from the model, values are parameters
            where=[f"({columns}) {operator} ({marks})"], params=list(values)
        )


MODIFIED_ORDER = Keyset(("updated_at", "id"))


def _encode(sort, values) -> str:
    payload = json.dumps([sort, [v.isoformat() if hasattr(v, "isoformat") else v for v in values]])
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def _decode(queryset, sort, keyset, raw):
    try:
        if len(raw) > MAX_CURSOR_LENGTH:
            raise ValueError
        data = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
        cursor_sort, raw_values = data
        if cursor_sort != sort or len(raw_values) != len(keyset.fields):
            raise ValueError
        values = []
        for name, raw_value in zip(keyset.fields, raw_values, strict=True):
            field = queryset.model._meta.get_field(name)
            if raw_value is None or isinstance(raw_value, list | dict | bool):
                raise ValueError
            value = field.to_python(raw_value)
            if isinstance(value, datetime) and timezone.is_naive(value):
                raise ValueError
            # What PostgreSQL would refuse (a forged cursor): out-of-range integers, NUL, huge text.
            limit = 2**63 if field.get_internal_type() in ("BigAutoField", "BigIntegerField") else 2**31
            if isinstance(value, int) and not -limit <= value < limit:
                raise ValueError
            if isinstance(value, str) and ("\x00" in value or len(value) > MAX_CURSOR_LENGTH):
                raise ValueError
            values.append(value)
        return values
    except Exception:  # bad base64, JSON, shape, or a value the field refuses: all the same 400
        raise ValidationError({CURSOR: ["Not a cursor of this list: follow the `next` link."]}) from None


@dataclass
class Page:
    rows: list
    next_url: str | None
    last_modified: datetime | None


def keyset_page(request, queryset, *, keyset=MODIFIED_ORDER, sort="modified", modified_field="updated_at"):
    """One page of ``queryset`` in ``keyset`` order, after the request's cursor: per_page + 1 rows are
    read to know whether a next page exists (one query)."""
    per_page = choice_param(request, PER_PAGE, PER_PAGE_CHOICES, DEFAULT_PER_PAGE)
    raw_cursor = param(request, CURSOR)
    if raw_cursor:
        queryset = keyset.after(queryset, _decode(queryset, sort, keyset, raw_cursor))
    rows = list(queryset.order_by(*keyset.order_by())[: per_page + 1])
    next_url = None
    if len(rows) > per_page:
        rows = rows[:per_page]
        last = rows[-1]
        query = request.query_params.copy()
        query[CURSOR] = _encode(sort, [getattr(last, name) for name in keyset.fields])
        next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
    modified = [getattr(row, modified_field) for row in rows if getattr(row, modified_field, None)]
    return Page(rows, next_url, max(modified) if modified else None)


def list_page(request, items, *, key, sort="name"):
    """The same paging over a short list held in memory (the statistics tables), ordered by ``key``."""
    per_page = choice_param(request, PER_PAGE, PER_PAGE_CHOICES, DEFAULT_PER_PAGE)
    items = sorted(items, key=lambda item: item[key])
    raw_cursor = param(request, CURSOR)
    if raw_cursor:
        try:
            data = json.loads(base64.urlsafe_b64decode(raw_cursor + "=" * (-len(raw_cursor) % 4)))
            if len(raw_cursor) > MAX_CURSOR_LENGTH or data[0] != sort or not isinstance(data[1][0], str):
                raise ValueError
        except Exception:
            raise ValidationError({CURSOR: ["Not a cursor of this list: follow the `next` link."]}) from None
        items = [item for item in items if item[key] > data[1][0]]
    rows, next_url = items[:per_page], None
    if len(items) > per_page:
        query = request.query_params.copy()
        query[CURSOR] = _encode(sort, [rows[-1][key]])
        next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
    modified = [row["modified"] for row in rows if row.get("modified")]
    return Page(rows, next_url, max(modified) if modified else None)


def since(queryset, modified_since, *, field="updated_at"):
    return queryset if modified_since is None else queryset.filter(**{f"{field}__gte": modified_since})


def public_or_withdrawn(queryset, public_q: Q, withdrawn_q: Q, modified_since):
    """Without ``modified_since`` the public records; with it, also those withdrawn (tombstones)."""
    return queryset.filter(public_q | withdrawn_q if modified_since is not None else public_q)


# --- Conditional responses ---------------------------------------------------------------------------


def conditional(request, data, *, last_modified=None, status=200):
    """A JSON response with ETag (hash of the rendered body) and Last-Modified, or a 304 when the
    request's validators still match."""
    response = Response(data, status=status)
    response.accepted_renderer = request.accepted_renderer
    response.accepted_media_type = request.accepted_media_type
    response.renderer_context = {"request": request, "response": response}
    response.render()
    etag = '"' + hashlib.blake2b(response.content, digest_size=16).hexdigest() + '"'
    response["ETag"] = etag
    timestamp = None
    if last_modified is not None:
        timestamp = int(last_modified.timestamp())
        response["Last-Modified"] = http_date(timestamp)
    not_modified = get_conditional_response(request, etag=etag, last_modified=timestamp, response=response)
    if not_modified is not response:
        for header in ("ETag", "Last-Modified"):
            if header in response:
                not_modified[header] = response[header]
    return not_modified


class ReadOnlyEndpoint(generics.GenericAPIView):
    """GET (and HEAD) only: anything else is a 405 with Allow."""

    http_method_names = ["get", "head"]
    pagination_class = None

    def get_object_or_404(self, queryset, **lookup):
        obj = queryset.filter(**lookup).first()
        if obj is None:
            raise NotFound("No public record with this key.")
        return obj


# --- Regions and agencies (the shared core) --------------------------------------------------------


class ProvinceSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    modified = serializers.DateTimeField(source="updated_at")

    class Meta:
        model = Province
        fields = ["code", "slug", "name", "url", "modified"]

    def get_url(self, obj) -> str:
        return self.context["request"].build_absolute_uri(obj.get_absolute_url())


class RegencySerializer(serializers.ModelSerializer):
    province = serializers.CharField(source="province.code", help_text="Code of the province.")
    modified = serializers.DateTimeField(source="updated_at")

    class Meta:
        model = Regency
        fields = ["code", "slug", "name", "kind", "province", "modified"]


class AgencySerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    province = serializers.CharField(source="province.code", help_text="Code of the province.")
    regency = serializers.CharField(
        source="regency.code", allow_null=True, help_text="Code of the regency or city; null above it."
    )
    modified = serializers.DateTimeField(source="updated_at")

    class Meta:
        model = Agency
        fields = ["slug", "name", "level", "province", "regency", "website", "url", "modified"]

    def get_url(self, obj) -> str:
        return self.context["request"].build_absolute_uri(obj.get_absolute_url())


class ModifiedList(ReadOnlyEndpoint):
    """A list of records that are never withdrawn, paged by (modified, id)."""

    def get(self, request, *args, **kwargs):
        modified_since = modified_since_param(request)
        queryset = since(self.filter_list(request, self.get_queryset()), modified_since)
        page = keyset_page(request, queryset)
        data = {"next": page.next_url, "results": self.get_serializer(page.rows, many=True).data}
        return conditional(request, data, last_modified=page.last_modified)

    def filter_list(self, request, queryset):
        return queryset


class ProvinceList(ModifiedList):
    serializer_class = ProvinceSerializer
    queryset = Province.objects.all()

    @list_schema("province_list", ProvinceSerializer, description="The 38 provinces (Kemendagri codes).")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ProvinceDetail(ReadOnlyEndpoint):
    serializer_class = ProvinceSerializer

    @detail_schema("province_detail", ProvinceSerializer)
    def get(self, request, code):
        province = self.get_object_or_404(Province.objects.all(), code=code)
        data = self.get_serializer(province).data
        return conditional(request, data, last_modified=province.updated_at)


PROVINCE_CODE = r"^[0-9]{2}$"
PROVINCE_FILTER = OpenApiParameter(
    "province",
    OpenApiTypes.STR,
    pattern=PROVINCE_CODE,
    description="Only those of the province with this two-digit code (Kemendagri), e.g. 14 for Riau.",
)


def province_filter(request, queryset, field="province__code"):
    """A well-formed code narrows the list (to nothing for a code no province has); anything else is
    a 400 naming the parameter."""
    code = param(request, "province")
    if "province" not in request.query_params:
        return queryset
    if not re.fullmatch(PROVINCE_CODE, code):
        raise ValidationError({"province": ["A two-digit province code is expected, e.g. 14."]})
    return queryset.filter(**{field: code})


class RegencyList(ModifiedList):
    serializer_class = RegencySerializer
    queryset = Regency.objects.select_related("province")

    @list_schema(
        "regency_list",
        RegencySerializer,
        extra_parameters=[
            PROVINCE_FILTER,
            OpenApiParameter("kind", OpenApiTypes.STR, enum=Regency.Kind.values),
        ],
        description="The 514 regencies (kabupaten) and cities (kota).",
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def filter_list(self, request, queryset):
        queryset = province_filter(request, queryset)
        kind = choice_param(request, "kind", Regency.Kind.values, None)
        return queryset.filter(kind=kind) if kind else queryset


class RegencyDetail(ReadOnlyEndpoint):
    serializer_class = RegencySerializer

    @detail_schema("regency_detail", RegencySerializer)
    def get(self, request, code):
        regency = self.get_object_or_404(Regency.objects.select_related("province"), code=code)
        return conditional(request, self.get_serializer(regency).data, last_modified=regency.updated_at)


class AgencyList(ModifiedList):
    serializer_class = AgencySerializer
    queryset = Agency.objects.select_related("province", "regency")

    @list_schema(
        "agency_list",
        AgencySerializer,
        extra_parameters=[
            PROVINCE_FILTER,
            OpenApiParameter("level", OpenApiTypes.STR, enum=Agency.Level.values),
        ],
        description="Agencies (instansi) of the network: ministries, provinces, regencies and cities.",
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def filter_list(self, request, queryset):
        queryset = province_filter(request, queryset)
        level = choice_param(request, "level", Agency.Level.values, None)
        return queryset.filter(level=level) if level else queryset


class AgencyDetail(ReadOnlyEndpoint):
    serializer_class = AgencySerializer

    @detail_schema("agency_detail", AgencySerializer)
    def get(self, request, slug):
        agency = self.get_object_or_404(Agency.objects.select_related("province", "regency"), slug=slug)
        return conditional(request, self.get_serializer(agency).data, last_modified=agency.updated_at)
