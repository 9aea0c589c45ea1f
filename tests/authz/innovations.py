"""Public innovation pages, open data and the API: GET for everyone (drafts only for those who may
read them), 405 for every other method."""

from datetime import date

from django.utils import timezone

from innovations.models import Innovation
from tests.authz import Case, everyone


def _innovation(world, status, slug):
    innovation = Innovation.objects.create(
        agency=world.pekanbaru,
        name=f"Inovasi {status}",
        slug=slug,
        summary="Ringkasan.",
        form="public_service",
        kind="digital",
        sector="population",
        stage="implemented",
        initiator="agency",
        started_on=date(2020, 1, 1),
        status=status,
        published_at=timezone.now() if status == "published" else None,
    )
    return {"slug": innovation.slug}


def published(world):
    return _innovation(world, "published", "authz-terbit")


def draft(world):
    return _innovation(world, "draft", "authz-draf")


def submitted(world):
    return _innovation(world, "submitted", "authz-diajukan")


# The owning agency's staff see their own drafts; the hub officer of the province sees submitted
# records, not drafts; ministry and admin read everything.
DRAFT = {
    "anonymous": 404,
    "owner_staff": 200,
    "other_staff": 404,
    "hub_officer": 404,
    "other_officer": 404,
    "ministry": 200,
    "admin": 200,
}
SUBMITTED = {**DRAFT, "hub_officer": 200}

PUBLIC_PAGES = [
    "innovations:list",
    "open_data",
    "data_catalog",
    "innovations:export_csv",
    "innovations:export_json",
    "innovations:export_xlsx",
    "innovations:agencies_csv",
    "innovations:agencies_json",
    "innovations:agencies_xlsx",
    "innovations:feed",
    "innovations:sitemap",
    "innovations:robots_txt",
    "api:root",
    "api:innovation_list",
    "api:agency_list",
    "api:province_list",
    "api:regency_list",
    "api:hub_list",
    "api:statistics_list",
    "api:schema",
]

CASES = [
    *(Case(name, "get", everyone(200)) for name in PUBLIC_PAGES),
    *(Case(name, "post", everyone(405)) for name in PUBLIC_PAGES),
    Case("innovations:sitemap_section", "get", everyone(200), kwargs=lambda w: {"section": "innovations"}),
    Case("innovations:sitemap_section", "post", everyone(405), kwargs=lambda w: {"section": "innovations"}),
    Case("innovations:detail", "get", everyone(200), kwargs=published, id="detail[get, published]"),
    Case("innovations:detail", "get", DRAFT, kwargs=draft, id="detail[get, draft]"),
    Case("innovations:detail", "get", SUBMITTED, kwargs=submitted, id="detail[get, submitted]"),
    Case("innovations:detail", "post", everyone(405), kwargs=published),
    Case("api:innovation_detail", "get", everyone(200), kwargs=published, id="api detail[get, published]"),
    # The API is anonymous for everyone: drafts are never in it, whoever asks.
    Case("api:innovation_detail", "get", everyone(404), kwargs=draft, id="api detail[get, draft]"),
    Case("api:innovation_detail", "post", everyone(405), kwargs=published),
    Case("api:innovation_list", "get", everyone(400), query="sort=AAA", id="api innovation_list[bad sort]"),
    Case("api:agency_detail", "get", everyone(200), kwargs=lambda w: {"slug": w.pekanbaru.slug}),
    Case("api:agency_detail", "get", everyone(404), kwargs=lambda w: {"slug": "nope"}, id="api agency[404]"),
    Case("api:agency_detail", "post", everyone(405), kwargs=lambda w: {"slug": w.pekanbaru.slug}),
    Case("api:province_detail", "get", everyone(200), kwargs=lambda w: {"code": "14"}),
    Case("api:province_detail", "post", everyone(405), kwargs=lambda w: {"code": "14"}),
    Case("api:regency_detail", "get", everyone(200), kwargs=lambda w: {"code": "14.71"}),
    Case("api:regency_detail", "post", everyone(405), kwargs=lambda w: {"code": "14.71"}),
    Case("api:hub_detail", "get", everyone(200), kwargs=lambda w: {"slug": w.hub_riau.slug}),
    Case("api:hub_detail", "post", everyone(405), kwargs=lambda w: {"slug": w.hub_riau.slug}),
    Case("api:statistics_detail", "get", everyone(200), kwargs=lambda w: {"name": "sectors"}),
    Case(
        "api:statistics_detail", "get", everyone(404), kwargs=lambda w: {"name": "nope"}, id="api stats[404]"
    ),
    Case("api:statistics_detail", "post", everyone(405), kwargs=lambda w: {"name": "sectors"}),
]
