"""Issue 10 in a real browser, at 360 px and 1280 px: the workspace and hub management fit a phone
(tables scroll inside their own region), the tile map passes axe-core, removals ask first, and "Find"
on the sign-up form works with the personal fields still empty."""

import datetime

from django.core.cache import cache

from hubs.models import HubDocument, HubTeamMember
from tests.workflow.helpers import make_access_request, make_innovation


def test_journey_officer_pages_on_a_phone(journey, e2e_world):
    w = e2e_world
    make_innovation(
        w.pekanbaru,
        status="submitted",
        by=w.staff_pekanbaru,
        name="Layanan Administrasi Kependudukan Keliling Terpadu",
    )
    make_access_request(w.outsider, w.pekanbaru)
    member = HubTeamMember.objects.create(
        hub=w.hub_riau, name="Dr. Siti Aminah Rahmawati, S.Sos., M.Si.", role="Ketua Tim Pelaksana Daerah"
    )
    HubDocument.objects.create(hub=w.hub_riau, title="Peraturan Gubernur Riau", link="https://example.id/p")
    cache.clear()
    j = journey
    page = j.new_page()
    j.sign_in(page, w.officer_riau.username)
    j.check(page, "officer-workspace")

    page.goto("/hub/riau/kelola/")
    j.check(page, "hub-manage")
    page.locator(f"a[href='/hub/riau/kelola/team/{member.pk}/hapus/']").click()
    page.wait_for_url(f"**/hub/riau/kelola/team/{member.pk}/hapus/")
    j.check(page, "confirm-remove")
    member.refresh_from_db()
    assert not member.is_removed  # the confirmation page changed nothing
    page.locator("main form[method=post] button[type=submit]").click()
    page.wait_for_url("**/hub/riau/kelola/")
    member.refresh_from_db()
    assert member.is_removed

    today = datetime.date.today()
    page.goto(f"/pemantauan/hub/riau/laporan/{today.year}/{today.month}/")
    j.check(page, "monthly-report")
    page.locator("a.month-previous").click()
    j.check(page, "monthly-report-previous")

    page.goto("/statistik/")
    j.check(page, "statistics")
    j.finish()


def test_journey_find_your_agency(journey, e2e_world):
    j = journey
    page = j.new_page()
    page.goto("/akun/daftar/")
    j.check(page, "register")
    # "Find" with every personal field still empty: the browser does not stop it.
    page.locator("#agency-query").fill("pekanbaru")
    page.locator("button[name=find_agency]").click()
    page.wait_for_load_state()
    assert page.locator(f"#agency-{e2e_world.pekanbaru.pk}").is_checked()
    j.check(page, "register-found")
    j.finish()
