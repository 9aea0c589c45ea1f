"""The portal's datasets described once, for people (the open-data page, /data/) and for harvesters
(the DCAT catalogue in JSON-LD, /data/catalog.jsonld, DCAT-AP style, as CKAN's DCAT harvester reads it).

Datasets: innovations, replications, agencies, and each national statistics table. Every dataset has
CSV, JSON and XLSX downloads (the same columns in CSV and XLSX) and, where it has one, its API list.
The top layer describes them because it may read every app; the downloads stay with their apps.
"""

import functools
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Max
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe
from rest_framework.views import APIView

from hubs import api as hubs_api
from innovations import api as innovations_api
from innovations.models import Innovation
from innovations.views import AGENCY_FIELDS, EXPORT_FIELDS
from jipp import api
from jipp.models import Agency
from replication import api as replication_api
from replication.models import ReplicationRequest
from replication.views import CSV_COLUMNS as REPLICATION_CSV_COLUMNS

LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"
LICENSE_NAME = "CC BY 4.0"
CSV, JSON, XLSX = (
    "text/csv",
    "application/json",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)
FORMAT_NAMES = {CSV: "CSV", JSON: "JSON", XLSX: "XLSX"}
# EU file-type vocabulary, which DCAT-AP asks for in dct:format.
FILE_TYPES = {
    CSV: "http://publications.europa.eu/resource/authority/file-type/CSV",
    JSON: "http://publications.europa.eu/resource/authority/file-type/JSON",
    XLSX: "http://publications.europa.eu/resource/authority/file-type/XLSX",
}
CATALOG_CONTENT_TYPE = "application/ld+json"
CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "dcat:accessURL": {"@type": "@id"},
    "dcat:downloadURL": {"@type": "@id"},
    "dcat:landingPage": {"@type": "@id"},
    "dct:license": {"@type": "@id"},
    "dct:format": {"@type": "@id"},
    "foaf:homepage": {"@type": "@id"},
    "vcard:hasURL": {"@type": "@id"},
    "vcard:hasEmail": {"@type": "@id"},
    "dct:modified": {"@type": "xsd:dateTime"},
}


@dataclass
class Distribution:
    media_type: str
    url: str  # absolute
    title: str = ""

    @property
    def label(self):
        return self.title or FORMAT_NAMES[self.media_type]


@dataclass
class Dataset:
    key: str
    title: str
    description: str
    keywords: list
    landing_page: str
    modified: object
    distributions: list = field(default_factory=list)
    fields: list = field(default_factory=list)  # (name, description) from the API schema or the CSV
    api_list: str = ""
    sync: bool = True  # modified_since and tombstones on its API list


@functools.cache
def _schema():
    """The OpenAPI schema, generated once per process (it depends on code only)."""
    from drf_spectacular.generators import SchemaGenerator

    with translation.override(None):
        return SchemaGenerator().get_schema(request=None, public=True)


def schema_fields(component):
    """(name, description, type) of each property of an API component, from the live schema."""
    properties = _schema()["components"]["schemas"].get(component, {}).get("properties", {})
    result = []
    for name, spec in properties.items():
        kind = spec.get("type") or ("object" if "allOf" in spec or "$ref" in spec else "")
        if spec.get("enum"):
            kind = " | ".join(str(value) for value in spec["enum"] if value not in ("", None))
        if spec.get("nullable"):
            kind = f"{kind}, null" if kind else "null"
        result.append((name, spec.get("description", ""), kind))
    return result


def _absolute(request, name, **kwargs):
    return request.build_absolute_uri(reverse(name, kwargs=kwargs or None))


def datasets(request):
    """Every dataset of the portal, in a constant number of queries (a few MAX() on indexed columns and
    the cached statistics)."""
    innovations_modified = Innovation.objects.filter(
        innovations_api.PUBLIC | innovations_api.WITHDRAWN
    ).aggregate(latest=Max("updated_at"))["latest"]
    replications_modified = ReplicationRequest.objects.filter(
        replication_api.PUBLIC | replication_api.WITHDRAWN
    ).aggregate(latest=Max("last_activity_at"))["latest"]
    agencies_modified = Agency.objects.aggregate(latest=Max("updated_at"))["latest"]
    result = [
        Dataset(
            key="innovations",
            title=_("Public-service innovations"),
            description=_(
                "Every published innovation of the JIPP network: name, agency, region, sector, stage, form, "
                "type, initiator, start date, SDG goals, how often it was replicated and what it was "
                "adapted from, with its KIPP proposal sections in the API."
            ),
            keywords=[_("public service"), _("innovation"), "KIPP", "JIPP"],
            landing_page=_absolute(request, "innovations:list"),
            modified=innovations_modified,
            distributions=[
                Distribution(CSV, _absolute(request, "innovations:export_csv")),
                Distribution(JSON, _absolute(request, "innovations:export_json")),
                Distribution(XLSX, _absolute(request, "innovations:export_xlsx")),
                Distribution(JSON, _absolute(request, "api:innovation_list"), _("API (paged, syncable)")),
            ],
            fields=schema_fields("InnovationDetail"),
            api_list=_absolute(request, "api:innovation_list"),
        ),
        Dataset(
            key="replications",
            title=_("Replications of innovations"),
            description=_(
                "Approved replications and every later stage: which agency adapts which innovation, its "
                "adaptation plan (observe, take over, modify), stage dates, mentoring sessions held and "
                "the evaluation's outcome."
            ),
            keywords=[_("replication"), _("mentoring"), "ATM", "JIPP"],
            landing_page=_absolute(request, "replication:public_list"),
            modified=replications_modified,
            distributions=[
                Distribution(CSV, _absolute(request, "replication:export_csv")),
                Distribution(JSON, _absolute(request, "replication:export_json")),
                Distribution(XLSX, _absolute(request, "replication:export_xlsx")),
                Distribution(JSON, _absolute(request, "api:replication_list"), _("API (paged, syncable)")),
            ],
            fields=schema_fields("Replication"),
            api_list=_absolute(request, "api:replication_list"),
        ),
        Dataset(
            key="agencies",
            title=_("Agencies"),
            description=_(
                "Agencies (instansi) of the network with their government level, province, regency or "
                "city and website."
            ),
            keywords=[_("agency"), _("government"), "JIPP"],
            landing_page=_absolute(request, "innovations:list"),
            modified=agencies_modified,
            distributions=[
                Distribution(CSV, _absolute(request, "innovations:agencies_csv")),
                Distribution(JSON, _absolute(request, "innovations:agencies_json")),
                Distribution(XLSX, _absolute(request, "innovations:agencies_xlsx")),
                Distribution(JSON, _absolute(request, "api:agency_list"), _("API (paged, syncable)")),
            ],
            fields=[(name, "", "") for name in AGENCY_FIELDS],
            api_list=_absolute(request, "api:agency_list"),
        ),
    ]
    for summary, table in hubs_api.open_tables(request):
        result.append(
            Dataset(
                key=f"statistics-{table.name}",
                title=_("Statistics: %(title)s") % {"title": summary["title"]},
                description=_("The table “%(title)s” of the portal's statistics, as shown on its page.")
                % {"title": summary["title"]},
                keywords=[_("statistics"), "JIPP"],
                landing_page=summary["page"],
                modified=summary["modified"],
                distributions=[
                    Distribution(CSV, summary["csv"]),
                    Distribution(JSON, summary["url"]),
                    Distribution(XLSX, summary["xlsx"]),
                ],
                fields=[(str(column), "", "") for column in table.columns],
                sync=False,
            )
        )
    return result


# --- The DCAT catalogue ------------------------------------------------------------------------------


def _text(value):
    return {"@value": str(value), "@language": translation.get_language() or settings.LANGUAGE_CODE}


def _date(value):
    value = value or timezone.now()
    return value.isoformat()


def _publisher(request):
    return {
        "@id": request.build_absolute_uri("/") + "#publisher",
        "@type": "foaf:Agent",
        "foaf:name": settings.JIPP_PUBLISHER_NAME,
        "foaf:homepage": request.build_absolute_uri("/"),
    }


def _contact(request):
    # An organisation's desk, never a person: the open data carries no personal data.
    return {
        "@type": "vcard:Organization",
        "vcard:fn": settings.JIPP_PUBLISHER_NAME,
        "vcard:hasEmail": f"mailto:{settings.JIPP_OPEN_DATA_EMAIL}",
        "vcard:hasURL": _absolute(request, "open_data"),
    }


def catalogue(request):
    catalog_url = _absolute(request, "data_catalog")
    publisher = _publisher(request)
    contact = _contact(request)
    entries = datasets(request)
    modified = max((d.modified for d in entries if d.modified), default=None)
    return {
        "@context": CONTEXT,
        "@id": catalog_url,
        "@type": "dcat:Catalog",
        "dct:title": _text(_("JIPP open data")),
        "dct:description": _text(
            _("Datasets of the JIPP portal, Indonesia's Public Service Innovation Network.")
        ),
        "dct:publisher": publisher,
        "dct:license": LICENSE_URL,
        "dct:language": {"@id": "http://publications.europa.eu/resource/authority/language/IND"},
        "dct:modified": _date(modified),
        "foaf:homepage": _absolute(request, "open_data"),
        "dcat:dataset": [
            {
                "@id": f"{catalog_url}#{dataset.key}",
                "@type": "dcat:Dataset",
                "dct:identifier": dataset.key,
                "dct:title": _text(dataset.title),
                "dct:description": _text(dataset.description),
                "dcat:keyword": [_text(word) for word in dataset.keywords],
                "dct:publisher": {"@id": publisher["@id"]},
                "dcat:contactPoint": contact,
                "dct:license": LICENSE_URL,
                "dct:modified": _date(dataset.modified),
                "dcat:landingPage": dataset.landing_page,
                "dcat:distribution": [
                    {
                        "@id": f"{catalog_url}#{dataset.key}-{index}",
                        "@type": "dcat:Distribution",
                        "dct:title": _text(
                            distribution.title or f"{dataset.title} ({FORMAT_NAMES[distribution.media_type]})"
                        ),
                        "dcat:accessURL": distribution.url,
                        "dcat:downloadURL": distribution.url,
                        "dcat:mediaType": distribution.media_type,
                        "dct:format": FILE_TYPES[distribution.media_type],
                        "dct:license": LICENSE_URL,
                        "dct:modified": _date(dataset.modified),
                    }
                    for index, distribution in enumerate(dataset.distributions, start=1)
                ],
            }
            for dataset in entries
        ],
    }


class CatalogueView(APIView):
    """The catalogue as JSON-LD (``application/ld+json``), with ETag and 304s like the API. Not an
    operation of the API's schema: it is described by DCAT, not OpenAPI."""

    http_method_names = ["get", "head"]
    schema = None

    def get(self, request):
        response = api.conditional(request, catalogue(request))
        if response.status_code == 200:
            response["Content-Type"] = CATALOG_CONTENT_TYPE
        return response


data_catalog = CatalogueView.as_view()


# --- The open-data page ------------------------------------------------------------------------------

SYNC_STEPS = [
    gettext_lazy(
        "Read the list once, following next until it is null; keep the newest modified time you saw."
    ),
    gettext_lazy(
        "Later, ask for modified_since a few minutes before that time (records are keyed by slug or id, so "
        "reading one twice does no harm) and follow next again."
    ),
    gettext_lazy('Remove the records that come back with "withdrawn": true (archived or declined since).'),
    gettext_lazy(
        "Send the ETag you received as If-None-Match (or Last-Modified as If-Modified-Since): an unchanged "
        "page answers 304 with no body."
    ),
]


@require_safe
def open_data(request):
    return render(
        request,
        "hubs/open_data.html",
        {
            "datasets": datasets(request),
            "license_url": LICENSE_URL,
            "license_name": LICENSE_NAME,
            "format_names": FORMAT_NAMES,
            "sync_steps": SYNC_STEPS,
            "contact_email": settings.JIPP_OPEN_DATA_EMAIL,
            "export_fields": EXPORT_FIELDS,
            "replication_columns": REPLICATION_CSV_COLUMNS,
            "per_page": api.PER_PAGE_CHOICES,
        },
    )
