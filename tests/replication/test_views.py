import csv
import datetime
import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from innovations.models import Innovation
from jipp.models import AuditEntry
from replication.models import ReplicationRequest
from tests.replication.conftest import go
from tests.replication.factories import PLAN, make_innovation, make_request

S = ReplicationRequest.Status


def detail_url(req, action=None):
    return reverse(f"replication:{action or 'detail'}", kwargs={"pk": req.pk})


# --- Request form -------------------------------------------------------------------------------


def test_request_form_creates_the_request_and_shows_it(world, source, client):
    client.force_login(world.staff_pekanbaru)
    url = reverse("replication:request_create", kwargs={"slug": source.slug})
    assert url == f"/replikasi/ajukan/{source.slug}/"
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="modified"' in page.content.decode()
    response = client.post(url, {"requesting_agency": world.pekanbaru.pk, **PLAN})
    req = ReplicationRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == req.get_absolute_url()
    assert (req.requesting_agency, req.requested_by, req.hub) == (
        world.pekanbaru,
        world.staff_pekanbaru,
        world.hub_riau,
    )
    page = client.get(req.get_absolute_url())
    assert PLAN["modified"] in page.content.decode()


def test_request_form_refuses_a_second_open_request_with_a_link_to_the_first(world, source, req, client):
    client.force_login(world.staff_pekanbaru)
    url = reverse("replication:request_create", kwargs={"slug": source.slug})
    assert req.get_absolute_url() in client.get(url).content.decode()
    response = client.post(url, {"requesting_agency": world.pekanbaru.pk, **PLAN})
    assert response.status_code == 400
    assert f'href="{req.get_absolute_url()}"' in response.content.decode()
    assert ReplicationRequest.objects.count() == 1


def test_request_form_with_missing_plan_rerenders_with_errors(world, source, client):
    client.force_login(world.staff_pekanbaru)
    url = reverse("replication:request_create", kwargs={"slug": source.slug})
    response = client.post(url, {"requesting_agency": world.pekanbaru.pk, "observed": "x"})
    assert response.status_code == 400
    assert 'class="errorlist' in response.content.decode()
    assert not ReplicationRequest.objects.exists()


def test_request_form_refuses_a_forged_agency(world, source, client):
    client.force_login(world.staff_pekanbaru)
    url = reverse("replication:request_create", kwargs={"slug": source.slug})
    response = client.post(url, {"requesting_agency": world.siak.pk, **PLAN})
    assert response.status_code == 400
    assert not ReplicationRequest.objects.exists()


def test_request_form_for_an_unpublished_innovation_is_404(world, client):
    draft = make_innovation(world.denpasar, name="Draft", status="draft")
    client.force_login(world.staff_pekanbaru)
    assert client.get(reverse("replication:request_create", kwargs={"slug": draft.slug})).status_code == 404


# --- Request page and actions -------------------------------------------------------------------


def test_officer_approves_through_the_page(world, req, client):
    client.force_login(world.officer_riau)
    page = client.get(detail_url(req)).content.decode()
    assert detail_url(req, "decide") in page
    response = client.post(detail_url(req, "decide"), {"decision": "approve", "reason": "Cocok"})
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.status == S.APPROVED


def test_rejection_without_reason_rerenders_with_400(world, req, client):
    client.force_login(world.officer_riau)
    response = client.post(detail_url(req, "decide"), {"decision": "reject", "reason": ""})
    assert response.status_code == 400
    req.refresh_from_db()
    assert req.status == S.INTEREST


def test_stale_decision_gets_409_and_changes_nothing(world, req, client):
    req.withdraw(by=world.staff_pekanbaru)
    client.force_login(world.officer_riau)
    response = client.post(detail_url(req, "decide"), {"decision": "approve", "reason": ""})
    assert response.status_code == 409
    req.refresh_from_db()
    assert req.status == S.WITHDRAWN
    assert not AuditEntry.for_object(req).filter(action="approve").exists()


def test_forged_post_from_a_party_without_the_right_is_403(world, req, client):
    client.force_login(world.staff_denpasar)  # origin agency: sees the request, may not decide
    assert client.post(detail_url(req, "decide"), {"decision": "approve"}).status_code == 403
    req.refresh_from_db()
    assert req.status == S.INTEREST


def test_request_page_shows_plan_timeline_sessions_reports_evaluation_and_history(
    world, req, client, django_assert_max_num_queries
):
    go(req, world, S.MENTORING)
    req.report_progress(
        by=world.staff_pekanbaru, reported_on=datetime.date(2026, 5, 1), progress="Setengah jalan"
    )
    go(req, world, S.EVALUATED)
    client.force_login(world.staff_pekanbaru)
    with django_assert_max_num_queries(12):
        page = client.get(detail_url(req)).content.decode()
    for text in (PLAN["observed"], "Alur layanan", "Setengah jalan", "Libatkan desa"):
        assert text in page
    assert req.result_innovation.name in page
    history = page.split('class="replication-history"')[1].split("</ol>")[0]
    assert history.count("<li><time datetime=") == AuditEntry.for_object(req).count()


def test_request_page_query_count_does_not_grow_with_sessions(
    world, req, client, django_assert_max_num_queries
):
    go(req, world, S.MENTORING)
    for day in range(1, 15):
        req.record_mentoring(
            by=world.officer_riau, held_on=datetime.date(2026, 5, day), mentors="Tim", topics=f"T{day}"
        )
    client.force_login(world.officer_riau)
    with django_assert_max_num_queries(13):
        assert client.get(detail_url(req)).status_code == 200


def test_requester_sees_the_draft_created_at_implementation(world, req, client, source):
    go(req, world, S.MENTORING)
    client.force_login(world.staff_pekanbaru)
    response = client.post(detail_url(req, "implement"), {"confirm": "on"})
    assert response.status_code == 302
    req.refresh_from_db()
    draft = req.result_innovation
    assert draft.status == Innovation.Status.DRAFT and draft.replicated_from == source
    page = client.get(detail_url(req)).content.decode()
    assert "Adapted innovation" in page or "Inovasi hasil adaptasi" in page


# --- Workspace ----------------------------------------------------------------------------------


def test_officer_queue_shows_waiting_time_and_stalled_requests(world, source, client, monkeypatch):
    t0 = timezone.now() - datetime.timedelta(days=40)
    old = make_request(source, world.pekanbaru, world.staff_pekanbaru, now=t0)
    fresh = make_request(make_innovation(world.denpasar, name="Lain"), world.siak, world.staff_siak)
    client.force_login(world.officer_riau)
    page = client.get(reverse("replication:queue")).content.decode()
    assert page.count(old.get_absolute_url()) == 2  # under "to decide" and under "stalled"
    assert page.count(fresh.get_absolute_url()) == 1
    assert "40" in page
    client.force_login(world.officer_bali)
    page = client.get(reverse("replication:queue")).content.decode()
    assert old.get_absolute_url() not in page


def test_queue_query_count_is_constant(world, source, client, django_assert_max_num_queries):
    for i in range(6):
        other = make_innovation(world.denpasar, name=f"Inovasi {i}")
        make_request(other, world.pekanbaru, world.staff_pekanbaru)
    client.force_login(world.officer_riau)
    with django_assert_max_num_queries(5):
        assert client.get(reverse("replication:queue")).status_code == 200


def test_my_requests_and_incoming(world, req, client):
    client.force_login(world.staff_pekanbaru)
    assert req.get_absolute_url() in client.get(reverse("replication:my_requests")).content.decode()
    go(req, world, S.APPROVED)
    client.force_login(world.staff_denpasar)
    page = client.get(reverse("replication:incoming")).content.decode()
    assert req.get_absolute_url() in page
    client.force_login(world.staff_siak)
    assert req.get_absolute_url() not in client.get(reverse("replication:incoming")).content.decode()
    assert req.get_absolute_url() not in client.get(reverse("replication:my_requests")).content.decode()


# --- Public pages and data ----------------------------------------------------------------------


def test_public_list_and_pages_show_only_approved_or_later(
    every_stage, client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        page = client.get(reverse("replication:public_list")).content.decode()
    for status, req in every_stage.items():
        shown = req.get_public_url() in page
        assert shown == (status in ReplicationRequest.PUBLIC_STATUSES), status
        expected = 200 if status in ReplicationRequest.PUBLIC_STATUSES else 404
        assert client.get(req.get_public_url()).status_code == expected, status


def test_public_page_shows_plan_stage_mentoring_count_and_outcome(every_stage, client):
    req = every_stage["evaluated"]
    page = client.get(req.get_public_url()).content.decode()
    assert PLAN["modified"] in page and "Libatkan desa" in page
    assert "85/100" in page
    # Contact details stay with the parties.
    assert PLAN["contact_email"] not in page


def test_public_list_filters(every_stage, world, client):
    mentoring = every_stage["mentoring"]
    page = client.get(reverse("replication:public_list"), {"stage": "mentoring"}).content.decode()
    assert mentoring.get_public_url() in page
    assert every_stage["approved"].get_public_url() not in page
    page = client.get(reverse("replication:public_list"), {"hub": "bali"}).content.decode()
    assert mentoring.get_public_url() not in page
    page = client.get(
        reverse("replication:public_list"),
        {"province": "riau", "sector": "population", "year": str(timezone.now().year)},
    ).content.decode()
    assert mentoring.get_public_url() in page
    page = client.get(reverse("replication:public_list"), {"year": "1999"}).content.decode()
    assert mentoring.get_public_url() not in page


def test_public_list_pages_by_keyset_without_counting(world, client, settings, django_assert_max_num_queries):
    from replication import views

    reqs = []
    for i in range(views.PUBLIC_PAGE_SIZE + 3):
        req = make_request(
            make_innovation(world.denpasar, name=f"Inovasi {i}"), world.pekanbaru, world.staff_pekanbaru
        )
        req.approve(by=world.officer_riau)
        reqs.append(req)
    with django_assert_max_num_queries(4) as captured:
        first = client.get(reverse("replication:public_list"))
    assert not any(
        "COUNT(" in q["sql"].upper() or "OFFSET" in q["sql"].upper() for q in captured.captured_queries
    )
    assert first.context["next_query"]
    second = client.get(reverse("replication:public_list") + "?" + first.context["next_query"])
    shown = {r.pk for r in first.context["replications"]} | {r.pk for r in second.context["replications"]}
    assert shown == {r.pk for r in reqs}
    assert len(second.context["replications"]) == 3


def test_json_and_csv_hold_public_replications_only(every_stage, client):
    data = client.get(reverse("api:replication_list")).json()
    ids = {row["id"] for row in data["results"]}
    download = json.loads(b"".join(client.get(reverse("replication:export_json")).streaming_content))
    assert {row["id"] for row in download["results"]} == ids
    assert ids == {r.pk for s, r in every_stage.items() if s in ReplicationRequest.PUBLIC_STATUSES}
    evaluated = next(row for row in data["results"] if row["id"] == every_stage["evaluated"].pk)
    assert evaluated["evaluation"]["score"] == 85 and evaluated["mentoring_sessions"] == 1
    assert "contact_email" not in str(evaluated)
    one = client.get(reverse("api:replication_detail", kwargs={"pk": every_stage["agreed"].pk})).json()
    assert one["stage"] == "agreed"
    old = client.get(reverse("replication:api_detail", kwargs={"pk": every_stage["agreed"].pk}))
    assert old.status_code == 301 and old["Location"] == reverse(
        "api:replication_detail", kwargs={"pk": every_stage["agreed"].pk}
    )
    response = client.get(reverse("replication:export_csv"))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][0] == "id"
    assert {int(row[0]) for row in rows[1:]} == ids


def test_workspace_tabs_follow_the_roles(world, client):
    client.force_login(world.staff_pekanbaru)
    page = client.get(reverse("replication:my_requests")).content.decode()
    assert reverse("replication:incoming") in page and reverse("replication:queue") not in page
    client.force_login(world.officer_riau)
    page = client.get(reverse("replication:queue")).content.decode()
    assert reverse("replication:queue") in page and reverse("replication:my_requests") not in page


def test_workspace_sends_each_role_to_its_page(world, client):
    client.force_login(world.staff_pekanbaru)
    assert client.get(reverse("replication:workspace"))["Location"] == reverse("replication:my_requests")
    client.force_login(world.officer_riau)
    assert client.get(reverse("replication:workspace"))["Location"] == reverse("replication:queue")
    client.force_login(world.outsider)
    assert client.get(reverse("replication:workspace")).status_code == 403


def test_json_list_query_count_is_constant(every_stage, client, django_assert_max_num_queries, monkeypatch):
    with django_assert_max_num_queries(3):
        data = client.get(reverse("api:replication_list"), {"per_page": "10"}).json()
    assert len(data["results"]) <= 10
    # Two per page through the cursor: the keyset never repeats or skips a row.
    from jipp import api

    monkeypatch.setattr(api, "PER_PAGE_CHOICES", (2, *api.PER_PAGE_CHOICES))
    data = client.get(reverse("api:replication_list"), {"per_page": "2"}).json()
    assert len(data["results"]) == 2 and data["next"]
    rest = client.get(data["next"]).json()
    assert len(rest["results"]) == 2
    assert not {r["id"] for r in rest["results"]} & {r["id"] for r in data["results"]}


def test_non_party_gets_404_on_every_action(world, req, client):
    client.force_login(world.outsider)
    for action in (
        "detail",
        "decide",
        "withdraw",
        "agreement",
        "mentoring",
        "progress",
        "implement",
        "evaluate",
    ):
        method = client.get if action == "detail" else client.post
        assert method(detail_url(req, action)).status_code == 404, action


def test_concurrent_duplicate_insert_is_reported_as_the_existing_request(world, source, req, monkeypatch):
    from replication import services

    real = services.open_request_of
    calls = []

    def first_misses(**kwargs):
        calls.append(kwargs)
        return None if len(calls) == 1 else real(**kwargs)  # as if the other request landed just after

    monkeypatch.setattr(services, "open_request_of", first_misses)
    with pytest.raises(services.DuplicateRequest) as raised:
        make_request(source, world.pekanbaru, world.staff_pekanbaru)
    assert raised.value.existing == req
    assert ReplicationRequest.objects.count() == 1


def test_admin_shows_a_request_with_its_life_read_only(world, req, client):
    client.force_login(world.admin)
    page = client.get(reverse("admin:replication_replicationrequest_change", args=[req.pk]))
    assert page.status_code == 200
    assert 'name="status"' not in page.content.decode()
    assert client.get(reverse("admin:replication_replicationrequest_changelist")).status_code == 200
