"""Every replication e-mail read the way its recipient reads it (issue 10, defect 6): each link is
absolute and opens (200) for the person it was sent to, and the text says what happened, to which
innovation and agencies, and what to do next."""

import datetime
import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from jipp.models import Hub
from replication import notifications, services
from replication.models import ReplicationRequest
from replication.rules import STALLED_AFTER
from tests.replication.factories import make_innovation, make_request

S = ReplicationRequest.Status
URL = re.compile(r"\b[a-z][a-z0-9+.-]*://\S+", re.IGNORECASE)
SITE = "https://jipp.example.id"
EXTERNAL_CONTACT = "dewi@example.id"  # the request's contact person, who has no account


def _step(capture, mailoutbox, action):
    """Take one step; read every mail it sent at once, while the request is still in that stage:
    (message, the pages its links opened for its recipient) for each."""
    mailoutbox.clear()
    with capture(execute=True):
        action()
    return [(message, _check(message)) for message in mailoutbox]


def _open_as_recipient(address, url):
    """GET ``url`` signed in as the account of ``address`` (anonymous when it has none)."""
    client = Client()
    user = get_user_model().objects.filter(email__iexact=address, is_active=True).first()
    if user is not None:
        client.force_login(user)
    parts = urlsplit(url)
    return client.get(parts.path + (f"?{parts.query}" if parts.query else ""))


def _check(message):
    """Every link absolute, on this site, and open to the recipient; no relative link; no template
    syntax left over. Returns the pages the message itself links to, by URL (the footer's links to
    the inbox, the settings and the unsubscribe page are opened too, but not returned)."""
    (address,) = message.to
    body = message.body
    assert "{{" not in body and "{%" not in body and "\n\n\n" not in body, body
    relative = [word for word in body.split() if word.startswith("/")]
    assert relative == [], body
    urls = URL.findall(body)
    own, separator, footer = body.partition("\n-- \n")
    assert separator and "/pemberitahuan/berhenti/" in footer, body
    own_links = set(URL.findall(own))
    assert own_links, f"no link in the mail to {address}:\n{body}"
    pages = {}
    for url in urls:
        assert url.startswith(SITE + "/"), url
        response = _open_as_recipient(address, url)
        assert response.status_code == 200, (address, url, response.status_code)
        if url in own_links:
            pages[url] = response.content.decode()
    assert "List-Unsubscribe" in message.extra_headers
    return pages


@pytest.fixture
def site(settings):
    settings.JIPP_SITE_URL = SITE
    return settings


@pytest.fixture
def english(settings):
    # The text is checked in the source language, so the test does not wait for the catalog.
    settings.LANGUAGE_CODE = "en"
    return settings


def _run_every_kind(world, capture, mailoutbox):
    """Every kind of replication e-mail, each taken by the person who takes that step in life."""
    source = make_innovation(world.denpasar)
    sent = {}

    made = []
    sent["created"] = _step(
        capture, mailoutbox, lambda: made.append(make_request(source, world.pekanbaru, world.staff_pekanbaru))
    )
    (main,) = made
    day = datetime.date(2026, 4, 1)
    sent["approved"] = _step(
        capture, mailoutbox, lambda: main.approve(by=world.officer_riau, reason="Cocok.")
    )
    sent["agreed"] = _step(
        capture, mailoutbox, lambda: main.confirm_agreement(by=world.staff_denpasar, note="Siap berbagi.")
    )
    sent["mentoring"] = _step(
        capture,
        mailoutbox,
        lambda: main.record_mentoring(
            by=world.officer_riau, held_on=day, mentors="Tim Hub", topics="SOP", follow_ups="Uji coba"
        ),
    )
    sent["progress"] = _step(
        capture,
        mailoutbox,
        lambda: main.report_progress(
            by=world.staff_pekanbaru, reported_on=day, progress="Dua desa", obstacles="Sinyal"
        ),
    )
    sent["implemented"] = _step(
        capture, mailoutbox, lambda: services.declare_implemented(request=main, by=world.staff_pekanbaru)
    )
    sent["evaluated"] = _step(
        capture,
        mailoutbox,
        lambda: main.evaluate(
            by=world.officer_riau, outcome="successful", score=88, lessons="Libatkan desa."
        ),
    )

    rejected = make_request(
        make_innovation(world.denpasar, name="Klinik Keliling"), world.siak, world.staff_siak
    )
    sent["rejected"] = _step(
        capture, mailoutbox, lambda: rejected.reject(by=world.officer_riau, reason="Anggaran belum ada.")
    )
    withdrawn = make_request(
        make_innovation(world.denpasar, name="Sekolah Pintar"), world.siak, world.staff_siak
    )
    sent["withdrawn"] = _step(
        capture, mailoutbox, lambda: withdrawn.withdraw(by=world.staff_siak, reason="Prioritas berubah.")
    )
    declined = make_request(
        make_innovation(world.denpasar, name="Pasar Daring"), world.siak, world.staff_siak
    )
    declined.approve(by=world.officer_riau)
    sent["declined"] = _step(
        capture,
        mailoutbox,
        lambda: declined.decline_agreement(by=world.staff_denpasar, reason="Sistem sedang diganti."),
    )
    # The daily job: an approved request nobody has touched for a month is flagged to every party.
    quiet = make_request(
        make_innovation(world.denpasar, name="Posyandu Digital"), world.siak, world.staff_siak
    )
    quiet.approve(by=world.officer_riau)
    later = timezone.now() + STALLED_AFTER + datetime.timedelta(days=1)
    sent["stalled"] = _step(capture, mailoutbox, lambda: services.flag_stalled_requests(now=later))
    assert {m.to[0] for m, _pages in sent["stalled"]} >= {
        "officer_riau@example.id",
        "staff_siak@example.id",
        "staff_denpasar@example.id",
    }
    return main, sent


def _mail_to(sent, event, address):
    (found,) = [(message, pages) for message, pages in sent[event] if message.to == [address]]
    return found


def test_every_kind_of_replication_email_links_absolutely_to_pages_its_recipient_may_open(
    world, site, mailoutbox, django_capture_on_commit_callbacks
):
    # _step has opened every link of every mail as its recipient (200), right when it was sent.
    main, sent = _run_every_kind(world, django_capture_on_commit_callbacks, mailoutbox)
    assert set(sent) == set(notifications.EVENTS)
    for event, mails in sent.items():
        assert mails, f"nobody was told of {event}"
        assert all(pages for _message, pages in mails)


def test_each_party_is_sent_to_the_page_where_it_acts(
    world, site, mailoutbox, django_capture_on_commit_callbacks
):
    main, sent = _run_every_kind(world, django_capture_on_commit_callbacks, mailoutbox)
    request_url = SITE + main.get_absolute_url()

    # The officer decides, the origin agency answers, the officer evaluates, the requester reports:
    # each link opens the request page with that person's form on it.
    for event, address, form in (
        ("created", "officer_riau@example.id", "putuskan/"),
        ("approved", "staff_denpasar@example.id", "kesepakatan/"),
        ("agreed", "officer_riau@example.id", "pendampingan/"),
        ("mentoring", "staff_pekanbaru@example.id", "laporan/"),
        ("implemented", "officer_riau@example.id", "evaluasi/"),
    ):
        _message, pages = _mail_to(sent, event, address)
        assert request_url in pages, (event, address)
        assert f'action="{main.get_absolute_url()}{form}"' in pages[request_url], (event, form)

    # After the evaluation the requesting staff are sent to complete their adapted draft in the
    # workspace, not to its "not public" preview.
    main.refresh_from_db()
    draft_url = f"{SITE}/ruang-kerja/inovasi/{main.result_innovation_id}/"
    message, pages = _mail_to(sent, "evaluated", "staff_pekanbaru@example.id")
    assert draft_url in pages
    assert main.result_innovation.get_absolute_url() not in message.body
    # The origin agency is not given the draft it may not open.
    message, pages = _mail_to(sent, "evaluated", "staff_denpasar@example.id")
    assert list(pages) == [request_url]

    # The contact person without an account gets public pages only: the innovation's page while the
    # request may still end hidden (approved, then possibly declined; rejected)…
    message, pages = _mail_to(sent, "approved", EXTERNAL_CONTACT)
    assert list(pages) == [SITE + main.source.get_absolute_url()]
    message, pages = _mail_to(sent, "rejected", EXTERNAL_CONTACT)
    (url,) = pages
    assert "/ruang-kerja/" not in url and "/inovasi/klinik-keliling" in url
    # …and the replication's public page from the agreement on, when it stays public.
    for event in ("agreed", "mentoring", "evaluated"):
        message, pages = _mail_to(sent, event, EXTERNAL_CONTACT)
        assert list(pages) == [SITE + main.get_public_url()], event


def test_emails_say_what_happened_to_which_innovation_and_what_to_do(
    world, site, english, mailoutbox, django_capture_on_commit_callbacks
):
    main, sent = _run_every_kind(world, django_capture_on_commit_callbacks, mailoutbox)
    names = {"Layanan Akta Online": "Disdukcapil Kota Pekanbaru"} | dict.fromkeys(
        ("Klinik Keliling", "Sekolah Pintar", "Pasar Daring", "Posyandu Digital"), "DPMPTSP Kabupaten Siak"
    )
    for event, mails in sent.items():
        for message, _pages in mails:
            (name,) = [name for name in names if f"“{name}”" in message.subject]
            assert f"“{name}”" in message.body, (event, message.body)
            assert names[name] in message.body, (event, message.body)  # the replicating agency
            assert "Disdukcapil Kota Denpasar" in message.body  # the origin agency
            assert "\n" not in message.subject and len(message.subject) < 120
            # Every mail says what comes next or what to do, or that nothing is left to do.
            assert re.search(r"What to do:|Next:|is closed", message.body), (event, message.body)

    officer, _pages = _mail_to(sent, "created", "officer_riau@example.id")
    assert officer.subject == "To decide: Disdukcapil Kota Pekanbaru asks to replicate “Layanan Akta Online”"
    assert "Disdukcapil Kota Pekanbaru (Riau) asks to replicate “Layanan Akta Online”" in officer.body
    assert "approve or reject" in officer.body
    origin, _pages = _mail_to(sent, "approved", "staff_denpasar@example.id")
    assert "Hub JIPP Riau approved" in origin.body and "Cocok." in origin.body
    assert "confirm that Disdukcapil Kota Denpasar will share" in origin.body
    requester, _pages = _mail_to(sent, "rejected", "staff_siak@example.id")
    assert "Anggaran belum ada." in requester.body
    mentored, _pages = _mail_to(sent, "mentoring", "staff_pekanbaru@example.id")
    assert "1 April 2026" in mentored.body and "Tim Hub" in mentored.body and "Uji coba" in mentored.body
    evaluated, _pages = _mail_to(sent, "evaluated", "staff_pekanbaru@example.id")
    assert "Successful, score 88/100" in evaluated.body
    assert "complete your agency's own innovation" in evaluated.body


def test_emails_are_written_in_the_interface_default_language(world, settings):
    # Accounts keep no language: everyone is written to in the interface default, Indonesian.
    assert settings.LANGUAGE_CODE == "id"
    assert notifications.language_of(world.staff_pekanbaru) == "id"
    assert notifications.language_of(None) == "id"


def test_without_an_active_hub_the_ministry_is_told_and_sent_to_the_request(
    world, site, mailoutbox, django_capture_on_commit_callbacks
):
    Hub.objects.filter(pk=world.hub_riau.pk).update(status=Hub.Status.INACTIVE)
    source = make_innovation(world.denpasar)
    requests = []
    ((message, pages),) = _step(
        django_capture_on_commit_callbacks,
        mailoutbox,
        lambda: requests.append(make_request(source, world.pekanbaru, world.staff_pekanbaru)),
    )
    (req,) = requests
    assert req.hub_id is None
    assert message.to == ["ministry@example.id"]
    assert f'action="{req.get_absolute_url()}putuskan/"' in pages[SITE + req.get_absolute_url()]
