"""Browser journey for the agency directory (issue 12): a person whose unit is missing proposes it
with their access request; the Riau officer approves both, then merges two duplicate agencies; the
duplicate's old page leads to the kept one. At 360 px and 1280 px, with axe-core on every page."""


def test_journey_agency_directory(journey, e2e_world):
    from innovations.models import Innovation
    from jipp.accounts.models import AccessRequest
    from jipp.models import Agency, AgencyRedirect, Membership
    from tests.conftest import make_user
    from tests.replication.factories import make_innovation

    w = e2e_world
    government = Agency.objects.create(
        name="Pemerintah Kota Pekanbaru",
        slug="pemerintah-kota-pekanbaru",
        level="regency",
        province=w.riau,
        regency=w.pekanbaru_city,
        is_government=True,
    )
    Agency.objects.filter(pk=w.pekanbaru.pk).update(parent=government)
    duplicate = Agency.objects.create(
        name="Dukcapil Pekanbaru (ganda)",
        slug="dukcapil-pekanbaru-ganda",
        level="regency",
        province=w.riau,
        regency=w.pekanbaru_city,
        parent=government,
    )
    make_innovation(duplicate, name="Akta Kilat Pekanbaru", acronym="AKIP")
    make_user("rina", first_name="Rina", last_name="Marlina")

    j = journey
    person, officer, public = j.new_page(), j.new_page(), j.new_page()

    # The person finds their city's government and proposes the unit that is missing.
    j.sign_in(person, "rina")
    person.goto("/akun/daftar/")
    form = person.locator("main form[method=post]")
    form.locator("#agency-query").fill("Pekanbaru")
    form.locator("button[name=find_agency]").click()
    person.wait_for_load_state()
    j.check(person, "register-found")
    form.locator(f"input[name=agency][value='{government.pk}']").check()
    form.locator("[name=new_unit_name]").fill("UPT Puskesmas Rejosari")
    form.locator("[name=position]").fill("Kepala Tata Usaha")
    form.locator("button[type=submit]:not([name])").last.click()
    person.wait_for_url("**/ruang-kerja/")
    j.check(person, "request-sent")
    request = AccessRequest.objects.get(user__username="rina")
    assert request.agency.status == "proposed"
    # Nobody else finds the proposed unit.
    public.goto("/akun/daftar/?instansi=Rejosari")
    j.expect(
        public.locator("main").inner_text().count("Rejosari") <= 1,  # only the search box echoes it
        f"{j} the proposed unit shows in someone else's picker",
    )

    # The officer decides the request and the unit together, correcting the unit's name.
    j.sign_in(officer, w.officer_riau.username)
    officer.goto("/akun/permintaan-akses/")
    officer.locator(f"main a[href='/akun/permintaan-akses/{request.pk}/']").first.click()
    officer.wait_for_url(f"**/akun/permintaan-akses/{request.pk}/")
    j.check(officer, "request-with-unit")
    officer.locator("main [name=unit_name]").fill("UPT Puskesmas Rejosari Kota Pekanbaru")
    officer.locator("main button[name=decision][value=approve]").click()
    officer.wait_for_url("**/akun/permintaan-akses/")
    unit = Agency.objects.get(pk=request.agency_id)
    assert (unit.status, unit.name) == ("active", "UPT Puskesmas Rejosari Kota Pekanbaru")
    assert Membership.objects.filter(user__username="rina", agency=unit, is_active=True).exists()

    # From the workspace to the directory, the duplicate, and the merge.
    officer.goto("/ruang-kerja/")
    officer.locator("main a[href='/akun/instansi/']").click()
    officer.wait_for_url("**/akun/instansi/")
    j.check(officer, "directory")
    officer.locator("main input[name=q]").fill("ganda")
    officer.locator("main form[role=search] button").click()
    officer.wait_for_load_state()
    officer.locator(f"main a[href='/akun/instansi/{duplicate.pk}/']").click()
    officer.wait_for_url(f"**/akun/instansi/{duplicate.pk}/")
    j.check(officer, "duplicate")
    officer.locator(f"main a[href='/akun/instansi/{duplicate.pk}/gabung/']").click()
    officer.wait_for_url(f"**/akun/instansi/{duplicate.pk}/gabung/")
    officer.locator("main [name=kept]").select_option(str(w.pekanbaru.pk))
    officer.locator("main form button[type=submit]").click()
    officer.wait_for_load_state()
    j.check(officer, "merge-preview")
    j.expect(
        "1" in officer.locator("main ul").first.inner_text(),
        f"{j} merge-preview: the innovation to move is not counted",
    )
    officer.locator("main [name=comment]").fill("Instansi yang sama, dibuat dua kali.")
    officer.locator("main form[method=post] button[type=submit]").click()
    officer.wait_for_url(f"**/akun/instansi/{w.pekanbaru.pk}/")
    j.check(officer, "merged")
    assert Agency.objects.get(pk=duplicate.pk).status == "merged"
    assert Innovation.objects.get(acronym="AKIP").agency_id == w.pekanbaru.pk
    assert AgencyRedirect.objects.filter(old_slug=duplicate.slug, agency=w.pekanbaru).exists()

    # The duplicate's old page leads to the kept agency, which shows the moved innovation.
    public.goto(f"/instansi/{duplicate.slug}/")
    j.expect(
        public.url.endswith(w.pekanbaru.get_absolute_url()),
        f"{j} the old address did not lead to the kept agency ({public.url})",
    )
    j.check(public, "old-address")
    j.expect(
        "Akta Kilat Pekanbaru" in public.locator("main").inner_text(), f"{j} the moved record is missing"
    )
    j.finish()
