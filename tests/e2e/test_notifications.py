"""Issue 13 in the browser, at 360 px and 1280 px: an officer's decision reaches the staff member's
inbox and email; the staff member follows a sector and receives the digest of what is new there.
Screenshots: var/screenshots/notifications-<width>-*.png."""

import datetime

from django.core import mail
from django.utils import timezone

from following.digest import send_followed_digests
from tests.innovations.conftest import make_innovation


def _submitted(agency, submitter, name, sector):
    innovation = make_innovation(agency, status="submitted", name=name, sector=sector)
    innovation.submitted_by = submitter
    innovation.submitted_at = timezone.now()
    innovation.save(update_fields=["submitted_by", "submitted_at"])
    return innovation


def _publish_as_officer(officer, innovation):
    officer.goto(f"/ruang-kerja/inovasi/{innovation.pk}/")
    officer.locator("form[action$='/terbitkan/'] button[type=submit]").first.click()
    officer.wait_for_load_state()
    innovation.refresh_from_db()
    assert innovation.status == "published"


def test_journey_notifications(journey, e2e_world):
    w, j = e2e_world, journey
    record = _submitted(w.pekanbaru, w.staff_pekanbaru, "Antrean Daring Disdukcapil", "population")
    staff, officer = j.new_page(), j.new_page()
    j.sign_in(staff, w.staff_pekanbaru.username)
    j.sign_in(officer, w.officer_riau.username)

    # The officer publishes; the staff member sees it in the menu, the inbox and the email.
    sent = len(mail.outbox)
    _publish_as_officer(officer, record)
    staff.goto("/ruang-kerja/")
    badge = staff.locator("nav.main-nav a[href='/ruang-kerja/kotak-masuk/'] .badge")
    j.expect(badge.count() == 1 and badge.inner_text().startswith("1"), f"{j} the menu shows 1 unread")
    j.check(staff, "workspace-unread")
    staff.locator("nav.main-nav a[href='/ruang-kerja/kotak-masuk/']").click()
    staff.wait_for_url("**/ruang-kerja/kotak-masuk/")
    j.check(staff, "inbox")
    entry = staff.locator("ol.inbox li.inbox-unread").first
    assert "Antrean Daring Disdukcapil" in entry.inner_text()
    entry.locator("a").first.click()
    staff.wait_for_load_state()
    j.check(staff, "inbox-entry")
    staff.locator("main a.button").click()  # "Open what it is about"
    staff.wait_for_url(f"**/ruang-kerja/inovasi/{record.pk}/")
    staff.goto("/ruang-kerja/kotak-masuk/")
    staff.locator("form[action$='/dibaca/'] button").first.click()
    staff.wait_for_load_state()
    j.expect(staff.locator("ol.inbox li.inbox-unread").count() == 0, f"{j} marked as read")
    to_staff = j.mails_to(w.staff_pekanbaru.email, sent)
    assert len(to_staff) == 1 and "Antrean Daring Disdukcapil" in to_staff[0].subject
    assert to_staff[0].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    j.read_mail(staff, to_staff[0], "mail-published")

    # The staff member follows the health sector from the innovation list.
    staff.goto("/inovasi/?sector=health")
    j.check(staff, "sector-list")
    staff.locator("main a[href='/ikuti/sector/health/']").click()
    staff.wait_for_url("**/ikuti/sector/health/")
    j.check(staff, "follow-page")
    staff.locator("main form button[type=submit]").click()
    staff.wait_for_url("**/ikuti/sector/health/")
    j.check(staff, "following")
    assert w.staff_pekanbaru.follows.filter(sector="health").exists()

    # Something new in the sector: the officer of Bali publishes a health innovation of Denpasar.
    health = _submitted(w.denpasar, w.staff_denpasar, "Posyandu Keliling Denpasar", "health")
    bali = j.new_page()
    j.sign_in(bali, w.officer_bali.username)
    _publish_as_officer(bali, health)

    # The daily digest job runs (a controlled clock: the next morning).
    sent = len(mail.outbox)
    (digest,) = send_followed_digests(now=timezone.now() + datetime.timedelta(hours=20))
    to_staff = j.mails_to(w.staff_pekanbaru.email, sent)
    assert len(to_staff) == 1 and "Posyandu Keliling Denpasar" in to_staff[0].body
    staff.goto("/ruang-kerja/kotak-masuk/")
    j.check(staff, "inbox-digest")
    staff.locator(f"a[href='/ruang-kerja/kotak-masuk/{digest.pk}/']").click()
    staff.wait_for_load_state()
    j.check(staff, "digest-entry")
    assert "Posyandu Keliling Denpasar" in staff.locator("main").inner_text()
    j.read_mail(staff, to_staff[0], "mail-digest")
    j.finish()
