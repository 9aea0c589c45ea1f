"""Replication URLs. The request under test: Disdukcapil Kota Pekanbaru (owner_staff, Riau) asks to
replicate an innovation of Disdukcapil Kota Denpasar (other_staff, Bali — the origin agency). The Riau
hub (hub_officer) facilitates; the Bali officer (other_officer) is no party and sees nothing (404)."""

from replication.models import ReplicationRequest
from tests.authz import Case, everyone, signed_in
from tests.replication.factories import PLAN, advance, make_innovation, make_request

S = ReplicationRequest.Status


def _request_at(status):
    def kwargs(w):
        source = make_innovation(w.denpasar, name="Sumber Replikasi")
        request = make_request(source, w.pekanbaru, w.staff_pekanbaru)
        advance(request, status, officer=w.officer_riau, requester=w.staff_pekanbaru, origin=w.staff_denpasar)
        return {"pk": request.pk}

    return kwargs


def _source_of_owner(w):
    return {"slug": make_innovation(w.pekanbaru, name="Inovasi Pemilik").slug}


DATE = "2026-04-02"
PARTY_GET = {
    "anonymous": 302,
    "owner_staff": 200,
    "other_staff": 200,
    "hub_officer": 200,
    "other_officer": 404,
    "ministry": 200,
    "admin": 200,
}


def _action(name, status, allowed, data):
    """POST: allowed roles are redirected to the request page; other parties 403; non-parties 404."""
    expect = {
        "anonymous": 302,
        "owner_staff": 403,
        "other_staff": 403,
        "hub_officer": 403,
        "other_officer": 404,
        "ministry": 403,
        "admin": 302,
    }
    expect.update(dict.fromkeys(allowed, 302))
    # A wrong method is refused before the request is looked up: 405 for everyone signed in.
    get_expect = signed_in(405)
    return [
        Case(f"replication:{name}", "post", expect, kwargs=_request_at(status), data=lambda w: data),
        Case(f"replication:{name}", "get", get_expect, kwargs=_request_at(status)),
    ]


CASES = [
    # Public pages and open data: approved-or-later only.
    Case("replication:public_list", "get", everyone(200)),
    Case("replication:public_list", "post", everyone(405)),
    Case(
        "replication:public_list",
        "get",
        everyone(200),
        query="province=riau&stage=x&year=abc&sebelum=zz",
        id="public_list[garbage]",
    ),
    Case("replication:public_detail", "get", everyone(200), kwargs=_request_at(S.APPROVED)),
    Case(
        "replication:public_detail",
        "get",
        everyone(404),
        kwargs=_request_at(S.INTEREST),
        id="public_detail[interest]",
    ),
    Case("replication:public_detail", "post", everyone(405), kwargs=_request_at(S.APPROVED)),
    Case("replication:export_json", "get", everyone(200)),
    Case("replication:export_json", "get", everyone(400), query="year=abc", id="export_json[garbage]"),
    Case("replication:export_json", "post", everyone(405)),
    Case("replication:export_xlsx", "get", everyone(200)),
    Case("replication:export_xlsx", "post", everyone(405)),
    # The old address of one replication's data: a permanent redirect to the API.
    Case("replication:api_detail", "get", everyone(301), kwargs=_request_at(S.MENTORING)),
    Case("replication:api_detail", "post", everyone(405), kwargs=_request_at(S.MENTORING)),
    Case("api:replication_list", "get", everyone(200)),
    Case("api:replication_list", "get", everyone(400), query="year=abc", id="api replication_list[garbage]"),
    Case("api:replication_list", "post", everyone(405)),
    Case("api:replication_detail", "get", everyone(200), kwargs=_request_at(S.MENTORING)),
    Case(
        "api:replication_detail",
        "get",
        everyone(404),
        kwargs=_request_at(S.INTEREST),
        id="api replication_detail[interest]",
    ),
    Case("api:replication_detail", "post", everyone(405), kwargs=_request_at(S.MENTORING)),
    Case("replication:export_csv", "get", everyone(200)),
    Case("replication:export_csv", "post", everyone(405)),
    # Asking to replicate: staff of another agency only.
    Case(
        "replication:request_create",
        "get",
        {**signed_in(403), "other_staff": 200},
        kwargs=_source_of_owner,
    ),
    Case(
        "replication:request_create",
        "post",
        {**signed_in(403), "other_staff": 302},
        kwargs=_source_of_owner,
        data=lambda w: {"requesting_agency": w.denpasar.pk, **PLAN},
    ),
    # Workspace.
    Case("replication:workspace", "get", signed_in(302)),
    Case("replication:workspace", "post", signed_in(405)),
    Case("replication:my_requests", "get", {**signed_in(403), "owner_staff": 200, "other_staff": 200}),
    Case("replication:my_requests", "post", signed_in(405)),
    Case("replication:incoming", "get", {**signed_in(403), "owner_staff": 200, "other_staff": 200}),
    Case("replication:incoming", "post", signed_in(405)),
    Case(
        "replication:queue",
        "get",
        {**signed_in(403), "hub_officer": 200, "other_officer": 200, "ministry": 200, "admin": 200},
    ),
    Case("replication:queue", "post", signed_in(405)),
    Case("replication:detail", "get", PARTY_GET, kwargs=_request_at(S.INTEREST)),
    Case(
        "replication:detail",
        "post",
        signed_in(405),
        kwargs=_request_at(S.INTEREST),
    ),
    *_action("decide", S.INTEREST, ["hub_officer"], {"decision": "approve", "reason": "Ya"}),
    *_action("withdraw", S.INTEREST, ["owner_staff"], {"reason": ""}),
    *_action("agreement", S.APPROVED, ["other_staff", "hub_officer"], {"answer": "agree", "note": ""}),
    *_action(
        "mentoring",
        S.AGREED,
        ["hub_officer"],
        {"held_on": DATE, "mentors": "Tim Hub", "topics": "SOP", "notes": "", "follow_ups": ""},
    ),
    *_action("progress", S.AGREED, ["owner_staff"], {"reported_on": DATE, "progress": "Berjalan"}),
    *_action("implement", S.MENTORING, ["owner_staff"], {"confirm": "on"}),
    *_action(
        "evaluate",
        S.IMPLEMENTED,
        ["hub_officer", "ministry"],
        {"outcome": "successful", "score": "80", "lessons": "Libatkan desa"},
    ),
]
