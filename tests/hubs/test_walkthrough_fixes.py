"""Defects a walk through the hub, statistics and monitoring pages found (issue 10): removals without a
confirmation step, hub documents that could not be edited, monthly reports with no way to other months,
days shown as "6.0", links inside the tile map's ``role=img``, and tables wider than a phone."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from hubs.models import HubDocument, HubEvent, HubTeamMember
from hubs.monitoring import recent_months
from hubs.statistics import cell_text, days_text, figure_text
from jipp.models import AuditEntry

pytestmark = pytest.mark.django_db


# --- "Hapus" asks first ------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["team", "event", "document"])
def test_removing_a_hub_item_shows_what_goes_first_and_removes_only_on_post(world, client, kind):
    if kind == "team":
        item = HubTeamMember.objects.create(hub=world.hub_riau, name="Budi Santoso", role="Anggota")
        name = item.name
    elif kind == "event":
        item = HubEvent.objects.create(
            hub=world.hub_riau, title="Lokakarya Replikasi", held_on=datetime.date(2026, 3, 1), place="Siak"
        )
        name = item.title
    else:
        item = HubDocument.objects.create(hub=world.hub_riau, title="Pergub 12/2022", link="https://x.id/p")
        name = item.title
    url = reverse("hub_item_remove", kwargs={"slug": "riau", "kind": kind, "pk": item.pk})
    client.force_login(world.officer_riau)
    manage = client.get(reverse("hub_manage", kwargs={"slug": "riau"})).content.decode()
    assert f'href="{url}"' in manage  # a link to the confirmation page, not a one-click POST
    page = client.get(url)
    assert page.status_code == 200
    content = page.content.decode()
    assert name in content
    assert re.search(rf'<form method="post" action="{re.escape(url)}"', content)
    item.refresh_from_db()
    assert not item.is_removed  # looking changes nothing
    assert not AuditEntry.for_object(item).exists()
    assert client.post(url).status_code == 302
    item.refresh_from_db()
    assert item.is_removed
    assert AuditEntry.for_object(item).get().action.endswith("_removed")


def test_removing_a_partner_university_asks_first(world, client):
    url = reverse("hub_university_remove", kwargs={"slug": "riau", "pk": world.unri.pk})
    client.force_login(world.officer_riau)
    page = client.get(url)
    assert page.status_code == 200 and world.unri.name in page.content.decode()
    assert list(world.hub_riau.universities.all()) == [world.unri]
    assert client.post(url).status_code == 302
    assert not world.hub_riau.universities.exists()
    assert AuditEntry.for_object(world.hub_riau).filter(action="university_removed").count() == 1


def test_confirmation_page_is_only_for_the_hubs_own_officers(world, client):
    member = HubTeamMember.objects.create(hub=world.hub_riau, name="Budi", role="Anggota")
    url = reverse("hub_item_remove", kwargs={"slug": "riau", "kind": "team", "pk": member.pk})
    client.force_login(world.officer_bali)
    assert client.get(url).status_code == 403
    client.force_login(world.officer_riau)
    assert client.get(url.replace("/riau/", "/bali/")).status_code == 403  # not Riau's officer there
    other = reverse("hub_item_remove", kwargs={"slug": "riau", "kind": "nothing", "pk": member.pk})
    assert client.get(other).status_code == 404


# --- Hub documents can be edited ----------------------------------------------------------------------


def test_officer_edits_a_hub_document_and_the_change_is_audited(world, client):
    document = HubDocument.objects.create(hub=world.hub_riau, title="Pergub 12/2021", link="https://x.id/p")
    url = reverse("hub_document_edit", kwargs={"slug": "riau", "pk": document.pk})
    client.force_login(world.officer_riau)
    assert f'href="{url}"' in client.get(reverse("hub_manage", kwargs={"slug": "riau"})).content.decode()
    page = client.get(url)
    assert page.status_code == 200 and 'value="Pergub 12/2021"' in page.content.decode()
    data = {"kind": "regulation", "title": "Pergub 12/2022", "number": "12", "link": "https://x.id/q"}
    assert client.post(url, data).status_code == 302
    document.refresh_from_db()
    assert (document.title, document.number, document.link) == ("Pergub 12/2022", "12", "https://x.id/q")
    entry = AuditEntry.for_object(document).get()
    assert entry.action == "hubdocument_changed" and "title" in entry.comment
    assert entry.actor == world.officer_riau
    # Neither a file nor a link: refused, nothing changed.
    assert client.post(url, {**data, "link": ""}).status_code == 400
    document.refresh_from_db()
    assert document.link == "https://x.id/q"


def test_a_document_with_a_file_keeps_it_when_only_the_title_changes(world, client):
    from django.core.files.base import ContentFile

    document = HubDocument(hub=world.hub_riau, title="SK Tim", content_type="application/pdf", size=20)
    document.file.save("sk.pdf", ContentFile(b"%PDF-1.4\n1 0 obj\n%%EOF\n"), save=True)
    url = reverse("hub_document_edit", kwargs={"slug": "riau", "pk": document.pk})
    client.force_login(world.officer_riau)
    assert client.post(url, {"kind": "decree", "title": "SK Tim Pelaksana", "link": ""}).status_code == 302
    document.refresh_from_db()
    assert document.title == "SK Tim Pelaksana" and document.file and document.kind == "decree"


@pytest.mark.parametrize("user", ["officer_bali", "staff_pekanbaru", "ministry"])
def test_only_the_hubs_officers_edit_its_documents(world, client, user):
    document = HubDocument.objects.create(hub=world.hub_riau, title="Pergub", link="https://x.id/p")
    url = reverse("hub_document_edit", kwargs={"slug": "riau", "pk": document.pk})
    client.force_login(getattr(world, user))
    assert (
        client.post(url, {"kind": "regulation", "title": "Palsu", "link": "https://x.id/z"}).status_code
        == 403
    )
    document.refresh_from_db()
    assert document.title == "Pergub" and not AuditEntry.for_object(document).exists()


# --- Monthly reports: every month reachable -------------------------------------------------------------


def test_monthly_report_links_the_previous_and_next_month_and_lists_a_year(world, client):
    client.force_login(world.officer_riau)
    today = timezone.localdate()
    hub_page = client.get(reverse("monitoring_hub", kwargs={"slug": "riau"})).content.decode()
    months = recent_months(today, 12)
    assert len(months) == 12 and months[0] == today.replace(day=1)
    for month in months:
        assert (
            reverse("monitoring_report", kwargs={"slug": "riau", "year": month.year, "month": month.month})
            in hub_page
        )

    march = client.get(reverse("monitoring_report", kwargs={"slug": "riau", "year": 2025, "month": 3}))
    content = march.content.decode()
    assert re.search(r'class="month-previous"', content)
    assert reverse("monitoring_report", kwargs={"slug": "riau", "year": 2025, "month": 2}) in content
    assert reverse("monitoring_report", kwargs={"slug": "riau", "year": 2025, "month": 4}) in content
    # January goes back to December of the year before.
    january = client.get(reverse("monitoring_report", kwargs={"slug": "riau", "year": 2025, "month": 1}))
    assert (
        reverse("monitoring_report", kwargs={"slug": "riau", "year": 2024, "month": 12})
        in january.content.decode()
    )
    # This month has no "next": the future has no report yet.
    current = client.get(
        reverse("monitoring_report", kwargs={"slug": "riau", "year": today.year, "month": today.month})
    ).content.decode()
    assert 'class="month-next"' not in current and 'class="month-previous"' in current


# --- Days as people read them ---------------------------------------------------------------------------


def test_days_are_whole_or_one_localized_decimal():
    assert days_text(None) is None
    assert days_text(6.0) == 6
    assert days_text(12.44) == 12
    assert days_text(2.46) == 2.5  # a value: the page localizes it, the CSV keeps "2.5"
    with translation.override("en"):
        assert figure_text(days_text(2.46)) == "2.5"
    with translation.override("id"):
        assert figure_text(days_text(2.46)) == "2,5"
        assert cell_text(days_text(2.46)) == "2.5"


# --- Tile map and tables on phones --------------------------------------------------------------------


def test_tile_map_is_an_image_without_links_inside_and_the_table_links_each_province(world, client):
    content = client.get(reverse("statistics")).content.decode()
    svg = re.search(r'<svg class="tile-map" role="img".*?</svg>', content, re.S).group(0)
    assert "<a " not in svg and "href" not in svg  # axe: nested-interactive
    table = re.search(r'<table class="data-table" id="table-provinces">.*?</table>', content, re.S).group(0)
    assert 'href="/provinsi/riau/"' in table and 'href="/provinsi/bali/"' in table
    # On phones the table comes first (CSS order): map and table share one container.
    assert re.search(
        r'<div class="map-and-table">.*?class="tile-map-figure".*?<div class="map-table">', content, re.S
    )


def test_hub_management_tables_scroll_inside_a_labelled_focusable_region(world, client):
    HubTeamMember.objects.create(hub=world.hub_riau, name="Budi Santoso", role="Anggota")
    client.force_login(world.officer_riau)
    content = client.get(reverse("hub_manage", kwargs={"slug": "riau"})).content.decode()
    for table in re.finditer(r"<table", content):
        before = content[: table.start()]
        wrapper = before[before.rfind("<div") :]
        assert 'class="table-wrap" role="region"' in wrapper and 'tabindex="0"' in wrapper
        assert "aria-label" in wrapper
