"""Hub pages, hub management, statistics, coverage and monitoring.

Hub management (``/hub/<slug>/kelola/…``) is for the hub's own officers (and administrators): the
Riau officer manages Riau; the Bali officer, agency staff and the ministry get 403; anonymous users are
sent to sign in. Designation and status are for the ministry (and administrators). Monitoring is for
officers (their own hub) and the ministry.
"""

import datetime

from django.core.files.base import ContentFile

from hubs.models import HubDocument, HubEvent, HubTeamMember
from tests.authz import Case, everyone, signed_in

RIAU = {"slug": "riau"}

# Only the Riau hub's officer and administrators manage the Riau hub.
EDITOR_GET = {**signed_in(403), "hub_officer": 200, "admin": 200}
EDITOR_POST_REDIRECT = {**signed_in(403), "hub_officer": 302, "admin": 302}
EDITOR_POST_INVALID = {**signed_in(403), "hub_officer": 400, "admin": 400}
NOT_ALLOWED = everyone(405)
# Signed-in pages check the sign-in first (one decorator order everywhere): a visitor is sent to sign in.
NOT_ALLOWED_SIGNED_IN = {**everyone(405), "anonymous": 302}
MINISTRY_GET = {**signed_in(403), "ministry": 200, "admin": 200}
MINISTRY_POST = {**signed_in(403), "ministry": 302, "admin": 302}
MONITOR_RIAU = {**signed_in(403), "hub_officer": 200, "ministry": 200, "admin": 200}
MONITOR_ANY = {**signed_in(403), "hub_officer": 200, "other_officer": 200, "ministry": 200, "admin": 200}


def _member(w):
    w.member = HubTeamMember.objects.create(hub=w.hub_riau, name="Siti Aminah", role="Ketua")
    return {"slug": "riau", "pk": w.member.pk}


def _event(w):
    w.event = HubEvent.objects.create(
        hub=w.hub_riau, title="Sosialisasi", held_on=datetime.date(2026, 3, 1), place="Pekanbaru"
    )
    return {"slug": "riau", "pk": w.event.pk}


def _remove(kind):
    def kwargs(w):
        if kind == "team":
            pk = _member(w)["pk"]
        elif kind == "event":
            pk = _event(w)["pk"]
        else:
            pk = HubDocument.objects.create(hub=w.hub_riau, title="Pergub", link="https://example.id/p").pk
        return {"slug": "riau", "kind": kind, "pk": pk}

    return kwargs


def _document(w):
    w.document = HubDocument.objects.create(hub=w.hub_riau, title="Pergub", link="https://example.id/p")
    return {"slug": "riau", "pk": w.document.pk}


DOCUMENT_DATA = {
    "kind": "regulation",
    "title": "Pergub 12/2022",
    "number": "12",
    "link": "https://example.id/q",
}


def _pdf_document(w):
    document = HubDocument(hub=w.hub_riau, title="SK Tim", content_type="application/pdf", size=20)
    document.file.save("sk.pdf", ContentFile(b"%PDF-1.4\n1 0 obj\n%%EOF\n"), save=True)
    return {"slug": "riau", "pk": document.pk}


def _university(w):
    return {"slug": "riau", "pk": w.unri.pk}


EVENT_DATA = {
    "kind": "workshop",
    "title": "Lokakarya",
    "held_on": "2026-04-02",
    "place": "Siak",
    "summary": "",
}
TEAM_DATA = {"name": "Budi", "role": "Anggota", "organisation": "", "order": "1", "is_published": "on"}

CASES = [
    # Public hub pages
    # hub_list and hub_detail: see tests/authz/core.py
    Case("hub_document_file", "get", everyone(200), kwargs=_pdf_document),
    Case("hub_document_file", "post", NOT_ALLOWED, kwargs=_pdf_document),
    # Management by the hub's own officers
    Case("hub_manage", "get", EDITOR_GET, kwargs=lambda w: RIAU),
    Case(
        "hub_manage", "post", EDITOR_POST_REDIRECT, kwargs=lambda w: RIAU, data=lambda w: {"description": "x"}
    ),
    Case("hub_team_add", "get", EDITOR_GET, kwargs=lambda w: RIAU),
    Case("hub_team_add", "post", EDITOR_POST_REDIRECT, kwargs=lambda w: RIAU, data=lambda w: TEAM_DATA),
    Case("hub_team_edit", "get", EDITOR_GET, kwargs=_member),
    Case("hub_team_edit", "post", EDITOR_POST_INVALID, kwargs=_member, data=lambda w: {"name": ""}),
    Case("hub_event_add", "get", EDITOR_GET, kwargs=lambda w: RIAU),
    Case("hub_event_add", "post", EDITOR_POST_REDIRECT, kwargs=lambda w: RIAU, data=lambda w: EVENT_DATA),
    Case("hub_event_edit", "get", EDITOR_GET, kwargs=_event),
    Case("hub_event_edit", "post", EDITOR_POST_REDIRECT, kwargs=_event, data=lambda w: EVENT_DATA),
    Case("hub_document_add", "get", EDITOR_GET, kwargs=lambda w: RIAU),
    Case(
        "hub_document_add",
        "post",
        EDITOR_POST_REDIRECT,
        kwargs=lambda w: RIAU,
        data=lambda w: {"kind": "regulation", "title": "Pergub 12/2022", "link": "https://jdih.riau.go.id/"},
    ),
    Case("hub_document_edit", "get", EDITOR_GET, kwargs=_document),
    Case("hub_document_edit", "post", EDITOR_POST_REDIRECT, kwargs=_document, data=lambda w: DOCUMENT_DATA),
    Case(
        "hub_document_edit",
        "post",
        EDITOR_POST_INVALID,
        kwargs=_document,
        data=lambda w: {"title": ""},
        id="hub_document_edit[post invalid]",
    ),  # fmt: skip
    Case("hub_university_add", "get", EDITOR_GET, kwargs=lambda w: RIAU),
    Case(
        "hub_university_add",
        "post",
        EDITOR_POST_REDIRECT,
        kwargs=lambda w: RIAU,
        data=lambda w: {"name": "Universitas Islam Riau"},
    ),
    # Removals: GET is the confirmation page (what will be removed, and the POST button).
    Case("hub_university_remove", "get", EDITOR_GET, kwargs=_university),
    Case("hub_university_remove", "post", EDITOR_POST_REDIRECT, kwargs=_university),
    Case("hub_item_remove", "get", EDITOR_GET, kwargs=_remove("team"), id="hub_item_remove[get]"),
    Case("hub_item_remove", "get", EDITOR_GET, kwargs=_remove("event"), id="hub_item_remove[get event]"),
    Case("hub_item_remove", "get", EDITOR_GET, kwargs=_remove("document"), id="hub_item_remove[get doc]"),
    Case("hub_item_remove", "post", EDITOR_POST_REDIRECT, kwargs=_remove("team"), id="hub_item_remove[team]"),
    Case(
        "hub_item_remove", "post", EDITOR_POST_REDIRECT, kwargs=_remove("event"), id="hub_item_remove[event]"
    ),
    Case(
        "hub_item_remove", "post", EDITOR_POST_REDIRECT, kwargs=_remove("document"), id="hub_item_remove[doc]"
    ),
    # Statistics and coverage: public
    Case("statistics", "get", everyone(200)),
    Case("statistics", "post", NOT_ALLOWED),
    Case("statistics", "get", everyone(200), query="peta=coverage", id="statistics[map coverage]"),
    Case("statistics", "get", everyone(200), query="peta=%00garbage", id="statistics[garbage map]"),
    Case("statistics", "get", everyone(200), query="csv=provinces", id="statistics[csv]"),
    Case("statistics", "get", everyone(400), query="csv=nope", id="statistics[csv unknown]"),
    Case("statistics", "get", everyone(200), query="xlsx=sectors", id="statistics[xlsx]"),
    Case("coverage", "get", everyone(200)),
    Case("coverage", "post", NOT_ALLOWED),
    Case("coverage_province", "get", everyone(200), kwargs=lambda w: RIAU),
    Case("coverage_province", "post", NOT_ALLOWED, kwargs=lambda w: RIAU),
    Case(
        "coverage_regency",
        "get",
        everyone(200),
        kwargs=lambda w: {"province_slug": "riau", "slug": w.pekanbaru_city.slug},
    ),
    Case(
        "coverage_regency",
        "post",
        NOT_ALLOWED,
        kwargs=lambda w: {"province_slug": "riau", "slug": w.pekanbaru_city.slug},
    ),
    Case(
        "coverage_regency",
        "get",
        everyone(404),
        kwargs=lambda w: {"province_slug": "bali", "slug": w.pekanbaru_city.slug},
        id="coverage_regency[wrong province]",
    ),
    # Ministry: designation and status
    Case("hub_designate", "get", MINISTRY_GET),
    Case("hub_designate", "post", {**signed_in(403), "ministry": 400, "admin": 400}, data=lambda w: {}),
    Case("hub_status", "get", NOT_ALLOWED_SIGNED_IN, kwargs=lambda w: RIAU),
    Case("hub_status", "post", MINISTRY_POST, kwargs=lambda w: RIAU, data=lambda w: {"status": "pilot"}),
    # Monitoring
    Case("monitoring", "get", MONITOR_ANY),
    Case("monitoring", "post", NOT_ALLOWED_SIGNED_IN),
    Case("monitoring_hub", "get", MONITOR_RIAU, kwargs=lambda w: RIAU),
    Case("monitoring_hub", "post", NOT_ALLOWED_SIGNED_IN, kwargs=lambda w: RIAU),
    Case("monitoring_report", "get", MONITOR_RIAU, kwargs=lambda w: {**RIAU, "year": 2026, "month": 3}),
    Case(
        "monitoring_report",
        "post",
        NOT_ALLOWED_SIGNED_IN,
        kwargs=lambda w: {**RIAU, "year": 2026, "month": 3},
    ),
    Case(
        "monitoring_report",
        "get",
        {**MONITOR_RIAU, "hub_officer": 404, "ministry": 404, "admin": 404},
        kwargs=lambda w: {**RIAU, "year": 2026, "month": 13},
        id="monitoring_report[month 13]",
    ),
]
