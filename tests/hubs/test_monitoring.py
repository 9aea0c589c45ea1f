"""Monitoring and evaluation: what waits, how long, what stalled, what is due; the monthly report."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from hubs.models import HubEvent
from jipp.models import Agency, Province
from replication.models import Evaluation, MentoringSession, ReplicationRequest
from tests.hubs.conftest import make_innovation
from tests.hubs.tables import csv_rows, html_table
from tests.hubs.test_statistics import make_request

NOW = timezone.now()


@pytest.fixture
def monitoring_world(coverage_world):
    w = coverage_world
    source = w.items.denpasar_1
    # Stalled: open, no activity for 45 days. Fresh: open, activity today. Closed old ones don't stall.
    w.stalled = make_request(w, source, w.siak, hub=w.hub_riau, status="approved", decided_after=3)
    ReplicationRequest.objects.filter(pk=w.stalled.pk).update(
        last_activity_at=NOW - datetime.timedelta(days=45)
    )
    w.fresh = make_request(w, w.items.denpasar_2, w.siak, hub=w.hub_riau)
    ReplicationRequest.objects.filter(pk=w.fresh.pk).update(last_activity_at=NOW)
    w.closed = make_request(w, source, w.pekanbaru, hub=w.hub_riau, status="rejected", decided_after=1)
    ReplicationRequest.objects.filter(pk=w.closed.pk).update(
        last_activity_at=NOW - datetime.timedelta(days=90)
    )
    w.evaluated = make_request(
        w, source, w.dinkes, hub=w.hub_riau, status="evaluated", decided_after=5, implemented_after=20
    )
    w.bali_stalled = make_request(
        w, w.items.pekanbaru_published, w.denpasar, hub=w.hub_bali, status="agreed", decided_after=2
    )
    ReplicationRequest.objects.filter(pk=w.bali_stalled.pk).update(
        last_activity_at=NOW - datetime.timedelta(days=60)
    )

    today = timezone.localdate()
    this_month = today.replace(day=1)
    two_months_ago = (this_month - datetime.timedelta(days=40)).replace(day=1)
    for held_on in (this_month, this_month, two_months_ago):
        MentoringSession.objects.create(
            request=w.evaluated,
            held_on=held_on,
            mentors="Tim Hub",
            university=w.unri,
            topics="Rencana ATM",
            recorded_by=w.officer_riau,
        )
    Evaluation.objects.create(
        request=w.evaluated, outcome="successful", score=80, lessons="Baik", evaluated_by=w.officer_riau
    )
    # Re-confirmation: one confirmed 400 days ago (due), one 100 days ago (not), one never confirmed and
    # published 400 days ago (due); the Bali one is not Riau's business.
    w.stale = make_innovation(w.pekanbaru, last_confirmed_on=today - datetime.timedelta(days=400))
    w.recent = make_innovation(w.pekanbaru, last_confirmed_on=today - datetime.timedelta(days=100))
    w.never = make_innovation(w.siak, published_at=NOW - datetime.timedelta(days=400))
    make_innovation(w.denpasar, last_confirmed_on=today - datetime.timedelta(days=500))
    w.this_month, w.two_months_ago = this_month, two_months_ago
    return w


def test_officer_sees_only_their_hub_and_the_ministry_every_hub(monitoring_world, client):
    w = monitoring_world
    client.force_login(w.officer_riau)
    rows = html_table(client.get(reverse("monitoring")).content, "hubs")
    assert [row[0] for row in rows[1:]] == ["Hub JIPP Riau"]
    # Riau: 1 submission waiting, 1 request waiting for a decision, 2 open, 1 stalled, 2 due, and
    # 75.0 % coverage (Siak now has a published innovation too).
    assert rows[1][2:] == ["1", "1", "2", "1", "2", "75.0"]
    client.force_login(w.ministry)
    rows = html_table(client.get(reverse("monitoring")).content, "hubs")
    assert [row[0] for row in rows[1:-1]] == ["Hub JIPP Bali", "Hub JIPP Riau"]
    assert rows[1][5] == "1"  # Bali's stalled agreement
    assert "0;" in rows[-1][0]  # every province of this world has an active hub


def test_the_ministry_also_sees_the_provinces_without_an_active_hub(monitoring_world, client):
    """Their submissions and requests are the ministry's own to handle: one row for all of them."""
    w = monitoring_world
    papua = Province.objects.create(code="91", name="Papua", slug="papua")
    jayapura = Agency.objects.create(
        name="Disdukcapil Kota Jayapura", slug="disdukcapil-jayapura", level="province", province=papua
    )
    make_innovation(jayapura, status="submitted")
    make_innovation(jayapura, last_confirmed_on=timezone.localdate() - datetime.timedelta(days=400))
    waiting = make_request(w, w.items.denpasar_1, jayapura, hub=None)  # for the ministry to decide
    ReplicationRequest.objects.filter(pk=waiting.pk).update(last_activity_at=NOW)
    old = make_request(w, w.items.denpasar_2, jayapura, hub=None, status="approved", decided_after=1)
    ReplicationRequest.objects.filter(pk=old.pk).update(last_activity_at=NOW - datetime.timedelta(days=40))
    w.hub_bali.status = "inactive"  # an inactive hub's province counts as one without a hub
    w.hub_bali.save()

    client.force_login(w.ministry)
    rows = html_table(client.get(reverse("monitoring")).content, "hubs")
    last = rows[-1]
    assert last[0].startswith("Provinces without an active hub (2;") or last[0].startswith(
        "Provinsi tanpa hub aktif (2;"
    )
    # 1 submission waiting (Papua), 1 request to decide, 2 open, 1 stalled, 2 due (Papua's and the
    # Bali one confirmed 500 days ago), no coverage figure.
    assert last[2:7] == ["1", "1", "2", "1", "2"]
    client.force_login(w.officer_riau)
    rows = html_table(client.get(reverse("monitoring")).content, "hubs")
    assert [row[0] for row in rows[1:]] == ["Hub JIPP Riau"]


def test_staff_and_users_without_a_role_cannot_monitor(monitoring_world, client):
    w = monitoring_world
    for user in (w.staff_pekanbaru, w.outsider):
        client.force_login(user)
        assert client.get(reverse("monitoring")).status_code == 403
    client.force_login(w.officer_bali)
    assert client.get(reverse("monitoring_hub", kwargs={"slug": "riau"})).status_code == 403


def test_hub_monitoring_lists_what_waits_stalls_and_is_due(monitoring_world, client):
    w = monitoring_world
    client.force_login(w.officer_riau)
    response = client.get(reverse("monitoring_hub", kwargs={"slug": "riau"}))
    assert response.status_code == 200
    content = response.content

    submissions = html_table(content, "submissions")
    assert [row[0] for row in submissions[1:]] == [str(w.items.siak_submitted)]
    assert submissions[1][3] == "3"  # whole days waiting, never "3.0" (issue 10, #14)
    # A waiting submission links to where it is reviewed, not to the public page (issue 10, #14).
    review = reverse("innovations:workspace_innovation", kwargs={"pk": w.items.siak_submitted.pk})
    assert f'href="{review}"' in content.decode()
    assert client.get(review).status_code == 200

    stalled = html_table(content, "stalled")
    assert len(stalled) == 2
    assert stalled[1][0] == "DPMPTSP Kabupaten Siak" and stalled[1][4] == "45"

    stages = {row[0]: row[1:] for row in html_table(content, "stages")[1:]}
    assert stages["Approved"][0] == "1" and stages["Interest submitted"][0] == "1"
    assert stages["Evaluated"][0] == "1" and stages["Rejected"][0] == "1"
    steps = dict(html_table(content, "steps")[1:])
    assert steps["Request → decision"] == "3"  # decisions after 3, 1 and 5 days
    assert steps["Mentoring → implemented"] == "–"

    mentoring = html_table(content, "mentoring")[1:]
    assert len(mentoring) == 12
    by_month = dict(mentoring)
    assert by_month[w.this_month.strftime("%Y-%m")] == "2"
    assert by_month[w.two_months_ago.strftime("%Y-%m")] == "1"

    evaluations = {row[0]: row[1:] for row in html_table(content, "evaluations")[1:]}
    assert evaluations["Successful"] == ["1", "80.0"]

    due = [row[0] for row in html_table(content, "reconfirmation")[1:]]
    assert set(due) == {str(w.stale), str(w.never)}

    assert response.context["counts"] == {"submissions": 1, "stalled": 1, "reconfirmation": 2}
    # No access requests in this world: the section says so.
    assert response.context["access_requests"] == {"count": 0, "rows": []}
    assert "No access requests are waiting." in content.decode()


def test_hub_monitoring_lists_waiting_access_requests_of_its_province_oldest_first(monitoring_world, client):
    from datetime import timedelta

    from django.utils import timezone

    from jipp.accounts.models import AccessRequest
    from tests.conftest import make_user

    w = monitoring_world
    old = AccessRequest.objects.create(user=make_user("applicant_old"), agency=w.siak, position="Analis")
    AccessRequest.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=4))
    AccessRequest.objects.create(user=make_user("applicant_new"), agency=w.pekanbaru, position="Staf")
    AccessRequest.objects.create(user=make_user("applicant_bali"), agency=w.denpasar, position="Staf")
    AccessRequest.objects.create(
        user=make_user("applicant_done"), agency=w.siak, position="Staf", status="approved"
    )
    client.force_login(w.officer_riau)
    response = client.get(reverse("monitoring_hub", kwargs={"slug": "riau"}))
    rows = html_table(response.content, "access-requests")[1:]
    assert [row[0] for row in rows] == ["applicant_old", "applicant_new"]
    assert rows[0][3] == "4"
    assert response.context["access_requests"]["count"] == 2


def test_monitoring_page_query_count_is_constant(monitoring_world, client, django_assert_max_num_queries):
    w = monitoring_world
    client.force_login(w.ministry)
    url = reverse("monitoring_hub", kwargs={"slug": "riau"})
    client.get(url)
    for _ in range(3):
        make_innovation(w.pekanbaru, status="submitted")
        make_request(w, w.items.bapenda_published, w.siak, hub=w.hub_riau, status="withdrawn")
    with django_assert_max_num_queries(16):
        client.get(url)


def test_monthly_report_counts_the_month_and_its_csv_equals_the_table(monitoring_world, client):
    w = monitoring_world
    HubEvent.objects.create(hub=w.hub_riau, title="Sosialisasi", held_on=w.this_month, place="Pekanbaru")
    HubEvent.objects.create(hub=w.hub_riau, title="Lama", held_on=w.two_months_ago, place="Siak")
    client.force_login(w.officer_riau)
    url = reverse(
        "monitoring_report", kwargs={"slug": "riau", "year": w.this_month.year, "month": w.this_month.month}
    )
    page = client.get(url)
    assert page.status_code == 200
    figures = dict(html_table(page.content, "report")[1:])
    assert figures["Mentoring sessions held"] == "2"
    assert figures["Events held"] == "1"
    assert figures["Evaluations recorded"] == "1"
    assert figures["Average evaluation score"] == "80.0"
    assert figures["Submissions waiting now"] == "1"
    events = html_table(page.content, "events")
    assert [row[1] for row in events[1:]] == ["Sosialisasi"]
    for table in ("report", "mentoring", "events"):
        download = client.get(url, {"csv": table})
        assert download["Content-Type"].startswith("text/csv")
        assert csv_rows(download) == html_table(page.content, table)


def test_monitoring_csv_downloads_equal_their_tables(monitoring_world, client):
    w = monitoring_world
    client.force_login(w.ministry)
    url = reverse("monitoring_hub", kwargs={"slug": "riau"})
    page = client.get(url)
    for table in ("submissions", "stages", "steps", "stalled", "mentoring", "evaluations", "reconfirmation"):
        assert csv_rows(client.get(url, {"csv": table})) == html_table(page.content, table)
    index = reverse("monitoring")
    assert csv_rows(client.get(index, {"csv": "hubs"})) == html_table(client.get(index).content, "hubs")
