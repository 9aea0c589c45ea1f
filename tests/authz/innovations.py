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
    "innovations:open_data",
    "innovations:export_csv",
    "innovations:export_json",
    "innovations:feed",
    "innovations:sitemap",
    "innovations:robots_txt",
    "api:innovation_list",
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
]
