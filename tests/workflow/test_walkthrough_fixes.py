"""Defects a walk through registration and the workspace found (issue 10): "Find" blocked by the browser's
required fields and passwords lost on the way, registration telling whether an account exists, an
incomplete submission answered with internal field names, removals without a confirmation step, and
workspace tables wider than a phone."""

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from innovations.models import Award
from jipp.accounts.models import AccessRequest
from jipp.models import AuditEntry
from tests.workflow.helpers import make_access_request, make_evidence, make_innovation

from .test_accounts import registration

pytestmark = pytest.mark.django_db
User = get_user_model()
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


# --- 10. Registration: "Find" works, nothing typed is lost ---------------------------------------------


def test_find_skips_the_browsers_required_checks_and_comes_before_the_passwords(world, client):
    content = client.get(reverse("register")).content.decode()
    find = re.search(r"<button[^>]*name=\"find_agency\"[^>]*>", content).group(0)
    assert "formnovalidate" in find
    # The agency is chosen first: whoever fills the form from the top has typed no password yet.
    assert content.index('name="find_agency"') < content.index('name="password1"')
    assert content.index('name="position"') < content.index('name="first_name"')


def test_find_keeps_every_field_and_says_so_when_passwords_must_be_typed_again(world, client):
    response = client.post(
        reverse("register"),
        {**registration(world), "agency": "", "agency_query": "pekanbaru", "find_agency": "1"},
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert (
        'value="rina@example.id"' in content and 'value="Rina"' in content and "Analis Kebijakan" in content
    )
    assert f'id="agency-{world.pekanbaru.pk}"' in content
    assert "sangat-rahasia" not in content  # never echoed into the page
    assert 'id="passwords-cleared"' in content  # ...and the person is told why the fields are empty
    # Searching before typing a password (the page's order) needs no such note.
    fresh = client.post(reverse("register"), {"agency_query": "pekanbaru", "find_agency": "1"})
    assert 'id="passwords-cleared"' not in fresh.content.decode()


# --- 18. Registration never tells whether an account exists -------------------------------------------


def _sign_up(client, world, **extra):
    response = client.post(reverse("register"), registration(world, **extra))
    return response.status_code, response["Location"], client.get(response["Location"]).content


def test_an_existing_email_gets_the_same_answer_and_its_owner_an_email(
    world, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        new = _sign_up(client, world, email="baru@example.id")
    with django_capture_on_commit_callbacks(execute=True):
        taken = _sign_up(client, world, email="Staff_Pekanbaru@example.id")  # any letter case
    assert new[:2] == taken[:2] == (302, reverse("register_sent"))
    assert new[2] == taken[2]  # the same page, word for word
    assert User.objects.filter(email__iexact="staff_pekanbaru@example.id").count() == 1
    assert not AccessRequest.objects.filter(user=world.staff_pekanbaru).exists()
    owner_mail = [m for m in mail.outbox if m.to == ["staff_pekanbaru@example.id"]]
    assert len(owner_mail) == 1
    body = owner_mail[0].body
    assert "http://127.0.0.1:8000" + reverse("password_reset") in body  # absolute
    assert "sangat-rahasia" not in body
    # The existing account's password did not change.
    world.staff_pekanbaru.refresh_from_db()
    assert not world.staff_pekanbaru.check_password("sangat-rahasia-sekali-2026")


def test_no_user_name_is_asked_so_none_can_be_taken(world, client):
    content = client.get(reverse("register")).content.decode()
    assert 'name="username"' not in content
    # Two people whose addresses share the part before the "@" both get accounts, with distinct names.
    assert _sign_up(client, world, email="rina@dinas-a.go.id")[0] == 302
    assert _sign_up(client, world, email="rina@dinas-b.go.id")[0] == 302
    names = list(User.objects.filter(email__startswith="rina@").values_list("username", flat=True))
    assert len(names) == 2 and len({n.lower() for n in names}) == 2
    # A forged user name is ignored, never answered with "taken".
    status, location, _page = _sign_up(client, world, email="lain@example.id", username="staff_pekanbaru")
    assert (status, location) == (302, reverse("register_sent"))


def test_unconfirmed_accounts_cannot_sign_in_and_wait_out_of_the_hubs_queue(world, client):
    _sign_up(client, world, email="baru@example.id")
    person = User.objects.get(email="baru@example.id")
    assert not person.is_active
    response = client.post(
        reverse("sign_in"), {"username": "baru@example.id", "password": "sangat-rahasia-sekali-2026"}
    )
    assert response.status_code == 200  # the same "wrong user name or password" as any failure
    client.force_login(world.officer_riau)
    assert "baru@example.id" not in client.get(reverse("access_request_list")).content.decode()
    queue = client.get(reverse("innovations:workspace")).context["access_queue"]
    assert person not in [item.user for item in queue]


def test_registering_again_before_confirming_resends_the_link(
    world, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _sign_up(client, world, email="baru@example.id")
        _sign_up(client, world, email="baru@example.id")
    assert User.objects.filter(email="baru@example.id").count() == 1
    assert [m.to for m in mail.outbox] == [["baru@example.id"], ["baru@example.id"]]
    link = re.search(r"http://127\.0\.0\.1:8000(/akun/daftar/konfirmasi/\S+/)", mail.outbox[1].body).group(1)
    assert client.post(link).status_code == 302
    assert User.objects.get(email="baru@example.id").is_active


def test_a_forged_or_tampered_confirmation_link_confirms_nothing(world, client):
    from jipp.accounts.views import confirmation_token

    person = User.objects.create_user("baru", "baru@example.id", "x", is_active=False)
    make_access_request(person, world.pekanbaru)
    token = confirmation_token(person)
    assert client.post(reverse("register_confirm", args=[token[:-2] + "xx"])).status_code == 400
    assert client.post(reverse("register_confirm", args=["%00"])).status_code == 400
    person.refresh_from_db()
    assert not person.is_active
    # An account someone disabled after it was used is not reopened by an old link.
    used = User.objects.create_user("lama", "lama@example.id", "x", is_active=False)
    used.last_login = used.date_joined
    used.save()
    assert client.post(reverse("register_confirm", args=[confirmation_token(used)])).status_code == 400


# --- 11. An incomplete submission names each field -------------------------------------------------------


def test_incomplete_submission_names_each_missing_field_by_its_label_with_a_link(world, client):
    innovation = make_innovation(
        world.pekanbaru, by=world.staff_pekanbaru, background="", form="", kind="", sector="", stage=""
    )
    client.force_login(world.staff_pekanbaru)
    url = reverse("innovations:innovation_submit", kwargs={"pk": innovation.pk})
    response = client.post(url, {"version": innovation.version}, **EN)
    assert response.status_code == 400
    content = response.content.decode()
    assert content.count('id="missing-fields"') == 1 and 'role="alert"' in content
    block = re.search(r'<div id="missing-fields".*?</div>', content, re.S).group(0)
    edit = reverse("innovations:innovation_edit", kwargs={"pk": innovation.pk, "section": "classification"})
    for name in ("form", "kind", "sector", "stage"):
        assert f'href="{edit}#id_{name}"' in block
    proposal = reverse("innovations:innovation_edit", kwargs={"pk": innovation.pk, "section": "proposal"})
    assert f'href="{proposal}#id_background"' in block
    assert "Background and goals" in block and ">Type</a>" in block  # labels, not "background", "kind"
    assert "cannot be blank" not in content  # no anonymous "This field cannot be blank." banner
    # Every link opens the page with that field on it.
    page = client.get(edit).content.decode()
    assert 'id="id_form"' in page and 'id="id_kind"' in page
    innovation.refresh_from_db()
    assert innovation.status == "draft"


def test_incomplete_submission_in_indonesian_has_no_english_field_names(world, client):
    innovation = make_innovation(world.pekanbaru, by=world.staff_pekanbaru, form="", kind="")
    client.force_login(world.staff_pekanbaru)
    content = client.get(reverse("innovations:workspace_innovation", kwargs={"pk": innovation.pk})).content
    block = re.search(r'<div id="missing-fields".*?</div>', content.decode(), re.S).group(0)
    assert ">form<" not in block.lower() and ">kind<" not in block.lower()
    assert "#id_kind" in block


# --- 14. Removing evidence or an award asks first ------------------------------------------------------


def test_removing_evidence_shows_what_goes_first_and_removes_only_on_post(world, client):
    innovation = make_innovation(world.pekanbaru, by=world.staff_pekanbaru)
    evidence = make_evidence(innovation)
    url = reverse("innovations:evidence_remove", kwargs={"pk": innovation.pk, "evidence_pk": evidence.pk})
    client.force_login(world.staff_pekanbaru)
    record = client.get(reverse("innovations:workspace_innovation", kwargs={"pk": innovation.pk}))
    assert f'href="{url}"' in record.content.decode()
    page = client.get(url)
    assert page.status_code == 200
    content = page.content.decode()
    assert evidence.title in content and f'action="{url}"' in content
    assert f'name="version" value="{innovation.version}"' in content
    evidence.refresh_from_db()
    assert not evidence.is_removed
    assert client.post(url, {"version": innovation.version}).status_code == 302
    evidence.refresh_from_db()
    assert evidence.is_removed
    assert AuditEntry.for_object(innovation).filter(action="remove_evidence").count() == 1


def test_removing_an_award_asks_first(world, client):
    innovation = make_innovation(world.pekanbaru, by=world.staff_pekanbaru)
    award = Award.objects.create(innovation=innovation, program="kipp", year=2023, rank="top45")
    url = reverse("innovations:award_remove", kwargs={"pk": innovation.pk, "award_key": award.key})
    client.force_login(world.staff_pekanbaru)
    assert client.get(url).status_code == 200
    assert Award.objects.filter(pk=award.pk).exists()
    assert client.post(url, {"version": innovation.version}).status_code == 302
    assert not Award.objects.filter(pk=award.pk).exists()


def test_confirmation_page_of_a_submitted_record_says_it_cannot_change(world, client):
    innovation = make_innovation(world.pekanbaru, status="submitted", by=world.staff_pekanbaru)
    evidence = make_evidence(innovation)
    client.force_login(world.staff_pekanbaru)
    url = reverse("innovations:evidence_remove", kwargs={"pk": innovation.pk, "evidence_pk": evidence.pk})
    assert client.get(url).status_code == 409
    client.force_login(world.staff_denpasar)
    assert client.get(url).status_code == 404


# --- 12. Workspace tables scroll inside a region, never the page ----------------------------------------


def test_workspace_tables_scroll_inside_a_labelled_focusable_region(world, client):
    make_innovation(world.pekanbaru, status="submitted", by=world.staff_pekanbaru)
    make_access_request(world.outsider, world.pekanbaru)
    for user in (world.officer_riau, world.staff_pekanbaru):
        client.force_login(user)
        content = client.get(reverse("innovations:workspace")).content.decode()
        tables = list(re.finditer(r"<table", content))
        assert tables
        for table in tables:
            before = content[: table.start()]
            wrapper = before[before.rfind("<div") :]
            assert 'class="table-wrap" role="region"' in wrapper and 'tabindex="0"' in wrapper
            assert "aria-label" in wrapper


def test_registration_sent_page_links_are_absolute_in_the_email(
    world, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _sign_up(client, world, email="baru@example.id")
    link = re.search(r"\S+/akun/daftar/konfirmasi/\S+/", mail.outbox[0].body).group(0)
    assert urlsplit(link).scheme in ("http", "https") and urlsplit(link).netloc
