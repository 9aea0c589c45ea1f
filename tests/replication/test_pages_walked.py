"""Replication pages followed the way their users follow them (issue 10): the adapted innovation's link
leads each person somewhere they can act or read (defect 7), the officer's queue lists each request
under its own stage (defect 14), and no replication page holds a table wider than a phone."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from innovations.models import Innovation
from replication.models import ReplicationRequest
from tests.replication.conftest import go

S = ReplicationRequest.Status
HREF = re.compile(r'href="([^"]+)"')


def _section(page, labelled_by):
    """The HTML of ``<section aria-labelledby=…>`` (sections in these pages do not nest)."""
    start = page.index(f'aria-labelledby="{labelled_by}"')
    return page[start : page.index("</section>", start)]


def _adapted_links(client, req):
    page = client.get(req.get_absolute_url())
    assert page.status_code == 200
    return HREF.findall(_section(page.content.decode(), "adapted-title"))


def _as(user):
    client = Client()
    client.force_login(user)
    return client


# --- Defect 7: after "implemented", the adapted innovation ---------------------------------------


def test_the_requester_is_linked_to_complete_the_adapted_draft_in_the_workspace(world, req):
    go(req, world, S.IMPLEMENTED)
    draft = req.result_innovation
    workspace_url = reverse("innovations:workspace_innovation", kwargs={"pk": draft.pk})
    client = _as(world.staff_pekanbaru)
    links = _adapted_links(client, req)
    # Before the fix the only link was the draft's public preview ("Tidak publik").
    assert draft.get_absolute_url() not in links
    assert workspace_url in links
    page = client.get(workspace_url)
    assert page.status_code == 200
    # The workspace page is where the draft is edited and sent for review.
    assert reverse("innovations:innovation_submit", kwargs={"pk": draft.pk}) in page.content.decode()


@pytest.mark.parametrize("who", ["staff_denpasar", "officer_riau"])
def test_others_get_no_dead_end_while_the_adapted_innovation_is_a_draft(world, req, who):
    go(req, world, S.IMPLEMENTED)
    client = _as(getattr(world, who))
    links = _adapted_links(client, req)
    assert links == []  # neither the draft's preview nor a workspace page they may not open
    section = _section(client.get(req.get_absolute_url()).content.decode(), "adapted-title")
    assert req.result_innovation.name in section


def test_the_ministry_reads_the_adapted_draft_in_the_workspace(world, req):
    go(req, world, S.IMPLEMENTED)
    client = _as(world.ministry)
    (link,) = _adapted_links(client, req)
    assert link == reverse("innovations:workspace_innovation", kwargs={"pk": req.result_innovation_id})
    assert client.get(link).status_code == 200


def test_once_published_everyone_gets_the_public_page_and_the_owner_also_the_workspace(world, req):
    go(req, world, S.EVALUATED)
    adapted = req.result_innovation
    Innovation.objects.filter(pk=adapted.pk).update(status="published", published_at=timezone.now())
    public_url = adapted.get_absolute_url()
    for who in ("staff_denpasar", "officer_riau", "ministry", "staff_pekanbaru"):
        client = _as(getattr(world, who))
        links = _adapted_links(client, req)
        assert public_url in links, who
        for link in links:
            assert client.get(link).status_code == 200, (who, link)
    owner_links = _adapted_links(_as(world.staff_pekanbaru), req)
    assert reverse("innovations:workspace_innovation", kwargs={"pk": adapted.pk}) in owner_links
    assert _adapted_links(_as(world.staff_denpasar), req) == [public_url]


# --- Defect 14: the queue's sections --------------------------------------------------------------

QUEUE_SECTIONS = {
    "to-decide": S.INTEREST,
    "awaiting-agreement": S.APPROVED,
    "agreed": S.AGREED,
    "mentoring": S.MENTORING,
    "to-evaluate": S.IMPLEMENTED,
}


def test_each_queue_section_lists_exactly_the_requests_in_its_stage(world, every_stage, client):
    client.force_login(world.officer_riau)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("replication:queue")).content.decode()
    for key, status in QUEUE_SECTIONS.items():
        section = _section(page, f"{key}-title")
        listed = {url for url in HREF.findall(section) if "/replikasi/ruang-kerja/" in url}
        expected = {req.get_absolute_url() for s, req in every_stage.items() if s == status}
        assert listed == expected, key
        heading = re.search(r"<h2[^>]*>(.*?)<span", section, re.S).group(1)
        with translation.override("en"):
            assert str(S(status).label) in heading, (key, heading)  # the heading names its stage
    # Closed requests are in no section of the queue.
    for status in ReplicationRequest.CLOSED_STATUSES:
        assert every_stage[status].get_absolute_url() not in page, status


def test_agreement_recorded_is_not_listed_as_in_mentoring(world, req, client):
    go(req, world, S.AGREED)
    client.force_login(world.officer_riau)
    page = client.get(reverse("replication:queue")).content.decode()
    assert req.get_absolute_url() not in _section(page, "mentoring-title")
    assert req.get_absolute_url() in _section(page, "agreed-title")


# --- 360 px: no table in the replication pages -----------------------------------------------------


def test_replication_pages_hold_no_table_wider_than_a_phone(world, every_stage):
    """Lists instead of tables: nothing on these pages needs more than a 360 px screen's width."""
    pages = [
        (world.staff_pekanbaru, reverse("replication:my_requests")),
        (world.staff_denpasar, reverse("replication:incoming")),
        (world.officer_riau, reverse("replication:queue")),
        (world.officer_riau, every_stage["evaluated"].get_absolute_url()),
        (world.staff_pekanbaru, every_stage["mentoring"].get_absolute_url()),
        (None, reverse("replication:public_list")),
        (None, every_stage["evaluated"].get_public_url()),
    ]
    for user, url in pages:
        client = _as(user) if user else Client()
        response = client.get(url)
        assert response.status_code == 200, url
        assert "<table" not in response.content.decode(), url
