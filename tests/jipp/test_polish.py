"""Polish after the walk through every path (issue 10): histories in words, a 403 page that fits the
person, localized dates in removal titles, capitalised labels, labels without colons, people named
by their full names, and a hint that a table scrolls."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from hubs.models import HubEvent
from jipp.accounts.models import AccessRequest
from jipp.models import AuditEntry
from tests.workflow.helpers import make_access_request, make_innovation

pytestmark = pytest.mark.django_db


def _client(language, user=None):
    client = Client()
    client.cookies["django_language"] = language
    if user is not None:
        client.force_login(user)
    return client


def _history(html):
    match = re.search(r'<ol class="history">(.*?)</ol>', html, re.S)
    assert match, "no history on the page"
    return match.group(1)


# --- 1. Histories name states in words --------------------------------------------------------------


def test_record_history_names_states_in_words_and_hides_unchanged_states(world):
    innovation = make_innovation(world.pekanbaru, status="published", by=world.staff_pekanbaru)
    record = AuditEntry.record
    record(innovation, actor=world.staff_pekanbaru, action="create", to_state="draft")
    record(innovation, actor=world.staff_pekanbaru, action="submit", from_state="draft", to_state="submitted")
    record(
        innovation,
        actor=world.staff_pekanbaru,
        action="start_edit",
        from_state="published",
        to_state="published",
    )
    record(
        innovation,
        actor=world.staff_pekanbaru,
        action="submit_edit",
        from_state="edit:draft",
        to_state="edit:submitted",
    )
    url = reverse("innovations:workspace_innovation", kwargs={"pk": innovation.pk})

    english = _history(_client("en", world.staff_pekanbaru).get(url).content.decode())
    assert "(→ Draft)" in english
    assert "(Draft → Submitted)" in english
    assert "(proposed edit: draft → proposed edit: submitted)" in english
    assert "Published → Published" not in english and "(published" not in english

    indonesian = _history(_client("id", world.staff_pekanbaru).get(url).content.decode())
    for code in ("edit:draft", "edit:submitted", "— →", "draft", "submitted", "published →"):
        assert code not in indonesian


def test_access_request_history_names_the_status(world):
    access_request = make_access_request(world.outsider, world.pekanbaru)
    AuditEntry.record(access_request, actor=world.outsider, action="request_access", to_state="pending")
    url = reverse("access_request_detail", kwargs={"pk": access_request.pk})
    html = _history(_client("en", world.officer_riau).get(url).content.decode())
    assert "(→ Waiting for a decision)" in html and "pending" not in html


# --- 2. The 403 page fits the person ----------------------------------------------------------------


def _forbidden(client):
    response = client.get(reverse("hub_manage", kwargs={"slug": "riau"}))
    assert response.status_code == 403
    return response.content.decode()


def test_403_for_staff_does_not_offer_to_ask_for_access(world):
    html = _forbidden(_client("en", world.staff_pekanbaru))
    assert reverse("register") not in html
    assert "Your role does not include this page" in html
    assert reverse("innovations:workspace") in html and reverse("innovations:list") in html


def test_403_for_an_applicant_shows_their_pending_request(world):
    make_access_request(world.outsider, world.siak)
    html = _forbidden(_client("en", world.outsider))
    assert 'id="access-request-status"' in html and world.siak.name in html
    assert "waiting for a decision" in html
    assert reverse("register") not in html  # the request is already on its way
    assert reverse("innovations:workspace") in html


def test_403_for_a_person_without_a_request_offers_to_ask(world):
    html = _forbidden(_client("en", world.outsider))
    assert reverse("register") in html and 'id="access-request-status"' not in html


def test_403_for_a_declined_applicant_says_so_and_offers_to_ask_again(world):
    make_access_request(world.outsider, world.siak, status=AccessRequest.Status.DECLINED)
    html = _forbidden(_client("en", world.outsider))
    assert "was declined" in html and reverse("register") in html


def test_403_says_who_may_open_the_page_when_the_view_tells(world, rf):
    from jipp.ops.errors import permission_denied

    request = rf.get("/hub/riau/kelola/")
    request.user = world.staff_pekanbaru
    response = permission_denied(request, PermissionDenied("Only the hub's officers manage this page."))
    html = response.content.decode()
    assert "Only the hub&#x27;s officers manage this page." in html
    assert reverse("register") not in html


# --- 3. Removal titles show localized dates ---------------------------------------------------------


def test_event_removal_title_shows_a_localized_date(world):
    event = HubEvent.objects.create(
        hub=world.hub_riau, title="Acara batal", held_on=datetime.date(2026, 3, 5), place="Siak"
    )
    url = reverse("hub_item_remove", kwargs={"slug": "riau", "kind": "event", "pk": event.pk})
    html = _client("id", world.officer_riau).get(url).content.decode()
    assert "2026-03-05" not in html
    title = re.search(r"<h1>(.*?)</h1>", html).group(1)
    assert "5 Maret 2026" in title and "Acara batal" in title


# --- 4. "SDG goals" starts with a capital in Indonesian -----------------------------------------------


def test_sdg_label_is_capitalised_on_the_form_and_the_public_page(world):
    innovation = make_innovation(world.pekanbaru, status="published", sdgs=[3])
    client = _client("id", world.staff_pekanbaru)
    form = client.get(
        reverse("innovations:innovation_edit", kwargs={"pk": innovation.pk, "section": "classification"})
    ).content.decode()
    public = client.get(innovation.get_absolute_url()).content.decode()
    for html in (form, public):
        assert "Tujuan TPB/SDGs" in html
        assert "tujuan TPB/SDGs" not in html


# --- 5. Hub forms label without a colon -------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["hub_manage", "hub_team_add", "hub_event_add", "hub_document_add", "hub_university_add"]
)
def test_hub_forms_have_no_colon_after_labels(world, name):
    html = _client("id", world.officer_riau).get(reverse(name, kwargs={"slug": "riau"})).content.decode()
    assert "</label>" in html
    assert not re.search(r":\s*</label>", html)


def test_hub_designation_and_status_forms_have_no_colon_after_labels(world):
    client = _client("id", world.ministry)
    for url in (reverse("hub_designate"), reverse("monitoring_hub", kwargs={"slug": "riau"})):
        html = client.get(url).content.decode()
        assert "</label>" in html and not re.search(r":\s*</label>", html)


# --- 6. Officers see people by their full names ----------------------------------------------------


def test_decided_access_requests_show_the_full_name(world):
    world.outsider.first_name, world.outsider.last_name = "Rina", "Wati"
    world.outsider.save()
    access_request = make_access_request(world.outsider, world.siak, status=AccessRequest.Status.DECLINED)
    html = _client("en", world.officer_riau).get(reverse("access_request_list")).content.decode()
    decided = html.split("Recently decided", 1)[1]
    assert "Rina Wati" in decided
    assert reverse("access_request_detail", kwargs={"pk": access_request.pk}) in decided
    detail = _client("en", world.officer_riau).get(
        reverse("access_request_detail", kwargs={"pk": access_request.pk})
    )
    breadcrumb = re.search(r'<li aria-current="page">(.*?)</li>', detail.content.decode()).group(1)
    assert breadcrumb == "Rina Wati"


# --- 7. Tables that scroll show it -----------------------------------------------------------------


def test_scrolling_tables_have_a_css_only_scroll_shadow():
    css = (Path(settings.BASE_DIR) / "static" / "css" / "site.css").read_text()
    rules = re.findall(r"\.table-wrap[^{]*\{([^}]*)\}", css)
    assert any("local" in rule and "gradient" in rule for rule in rules)
    assert any("overflow-x: auto" in rule or "overflow-x:auto" in rule for rule in rules)
