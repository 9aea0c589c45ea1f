"""The read-only JSON API under /api/ (namespace ``api``), the composition root of its endpoints: the
core's regions and agencies here, each app's with one line ``path("", include("<app>.api_urls"))``.
The OpenAPI schema at /api/schema/ covers them all; /api/ lists them."""

from django.urls import include, path, reverse
from drf_spectacular.utils import extend_schema, inline_serializer
from drf_spectacular.views import SpectacularAPIView
from rest_framework import serializers

from jipp import api

app_name = "api"
# Path parameters are plain strings (``str``): any value reaches the view, so a key that names
# nothing is the API's JSON 404 (documented), never the site's HTML page.

# (key, list URL name, what it holds): the index at /api/.
ENDPOINTS = [
    ("innovations", "api:innovation_list", "Published public-service innovations."),
    ("replications", "api:replication_list", "Public replications: stage, plan, mentoring, outcome."),
    ("agencies", "api:agency_list", "Agencies (instansi)."),
    ("provinces", "api:province_list", "The 38 provinces."),
    ("regencies", "api:regency_list", "The 514 regencies and cities."),
    ("hubs", "api:hub_list", "JIPP hubs with their team, documents and events."),
    ("statistics", "api:statistics_list", "The statistics tables."),
]


class Root(api.ReadOnlyEndpoint):
    @extend_schema(
        operation_id="api_root",
        description="What this API holds: one list per kind of record, the schema and the DCAT catalogue.",
        parameters=api.CONDITIONAL_HEADERS,
        responses={
            200: inline_serializer(
                "ApiRoot",
                {
                    "endpoints": serializers.DictField(child=serializers.URLField()),
                    "descriptions": serializers.DictField(child=serializers.CharField()),
                    "schema": serializers.URLField(),
                    "catalog": serializers.URLField(),
                    "documentation": serializers.URLField(),
                    "license": serializers.URLField(),
                },
            ),
            304: api.NOT_MODIFIED,
            429: api.THROTTLED,
        },
    )
    def get(self, request):
        absolute = request.build_absolute_uri
        data = {
            "endpoints": {key: absolute(reverse(name)) for key, name, _text in ENDPOINTS},
            "descriptions": {key: text for key, _name, text in ENDPOINTS},
            "schema": absolute(reverse("api:schema")),
            "catalog": absolute(reverse("data_catalog")),
            "documentation": absolute(reverse("open_data")),
            "license": "https://creativecommons.org/licenses/by/4.0/",
        }
        return api.conditional(request, data)


urlpatterns = [
    path("", Root.as_view(), name="root"),
    path("provinsi/", api.ProvinceList.as_view(), name="province_list"),
    path("provinsi/<str:code>/", api.ProvinceDetail.as_view(), name="province_detail"),
    path("kabupaten-kota/", api.RegencyList.as_view(), name="regency_list"),
    path("kabupaten-kota/<str:code>/", api.RegencyDetail.as_view(), name="regency_detail"),
    path("instansi/", api.AgencyList.as_view(), name="agency_list"),
    path("instansi/<str:slug>/", api.AgencyDetail.as_view(), name="agency_detail"),
    path("", include("innovations.api_urls")),
    path("", include("replication.api_urls")),
    path("", include("hubs.api_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
]
