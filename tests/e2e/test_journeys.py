"""The browser journeys of issue 10 (section 3): each path walked the way its people walk it, at 360 px and
1280 px wide, following the links the pages show and the emails the portal sends.

On every page: a full-page screenshot (var/screenshots/<journey>-<width>-<step>.png), an overflow check
and axe-core (see tests/e2e/journey.py). Run them alone with ``make test ARGS="tests/e2e"``.
"""

from urllib.parse import parse_qs, urlsplit

from django.core import mail
from django.core.cache import cache

from tests.innovations.conftest import make_innovation as make_published


def _query(url):
    return parse_qs(urlsplit(url).query, keep_blank_values=True)


# --- 1. The public: search, facets, paging, a record, its agency, the hub, statistics, open data ----------
def test_journey_public_search(journey, e2e_world):
    w = e2e_world
    for n in range(23):
        make_published(
            w.pekanbaru if n % 2 else w.siak,
            name=f"Posyandu Digital {n + 1}",
            summary="Posyandu keliling dengan pencatatan digital untuk ibu dan balita.",
            sector="health",
            stage="implemented",
        )
    make_published(w.siak, name="Posyandu Uji Coba Siak", sector="health", stage="trial")
    make_published(w.denpasar, name="Posyandu Ramah Denpasar", sector="health", stage="implemented")
    make_published(w.pekanbaru, name="Izin Usaha Kilat", sector="licensing", summary="Perizinan usaha.")
    cache.clear()
    j = journey
    page = j.new_page()

    page.goto("/")
    j.check(page, "home")
    page.locator("#home-q").fill("posyandu")
    page.locator("#home-q").press("Enter")
    page.wait_for_url("**/inovasi/?*q=posyandu*")
    j.check(page, "search")
    results = page.locator(".result-list > li")
    assert results.count() == 20  # 25 matches, 20 a page
    if j.width < 600:
        # On a phone the results come first, not 1,400 px down below the filters.
        first_result = results.first.bounding_box()["y"]
        facets = page.locator(".facets").bounding_box()["y"]
        j.expect(
            first_result < facets and first_result < 900,
            f"{j} search: results start {first_result:.0f}px down, "
            f"filters at {facets:.0f}px: results must come first on a phone",
        )

    # Two facets: the province Riau and the stage "implemented".
    for facet, value in (("province", "riau"), ("stage", "implemented")):
        box = page.locator(f"#f-{facet}-{value}")
        details = box.locator("xpath=ancestor::details")
        if details.count() and details.get_attribute("open") is None:
            details.locator("summary").click()
        box.check()
    page.locator(".facets button[type=submit]").click()
    page.wait_for_url("**province=riau**")
    query = _query(page.url)
    assert query.get("q") == ["posyandu"] and query.get("stage") == ["implemented"], page.url
    assert page.locator("#search-q").input_value() == "posyandu"
    j.check(page, "two-facets")
    assert results.count() == 20  # 23 in Riau and implemented

    # Page 2 keeps the search and both filters.
    page.locator("a[rel=next]").first.click()
    page.wait_for_load_state()
    query = _query(page.url)
    j.expect(
        not any(key.startswith("?") for key in query),
        f"{j} page-2: the next-page link has a key starting with '?': {page.url}",
    )
    j.expect(
        query.get("page") == ["2"]
        and query.get("q") == ["posyandu"]
        and query.get("province") == ["riau"]
        and query.get("stage") == ["implemented"],
        f"{j} page-2: page 2 dropped the search or the filters: {page.url}",
    )
    j.check(page, "page-2")
    if query.get("page") != ["2"] or query.get("q") != ["posyandu"]:
        # The defect: go on from the page 2 the person meant.
        page.goto("/inovasi/?q=posyandu&province=riau&stage=implemented&page=2")
    j.expect(
        page.locator("#search-q").input_value() == "posyandu",
        f"{j} page-2: the search box lost the words on page 2",
    )
    j.expect(
        results.count() == 3,
        f"{j} page-2: page 2 shows {results.count()} results, not the last 3 of 23",
    )

    # A record, its agency, the agency's province and hub.
    page.locator(".result-list > li h3 a").first.click()
    page.wait_for_url("**/inovasi/inovasi-contoh-*/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Posyandu Digital")
    j.check(page, "record")
    page.locator("main a[href^='/instansi/']").first.click()
    page.wait_for_url("**/instansi/*/")
    j.check(page, "agency")
    hub_links = page.locator("main a[href='/hub/riau/']")
    if not hub_links.count():
        # The agency page names its province; the province page names its hub.
        page.locator("main a[href='/provinsi/riau/']").first.click()
        page.wait_for_url("**/provinsi/riau/")
        j.check(page, "province")
    page.locator("main a[href='/hub/riau/']").first.click()
    page.wait_for_url("**/hub/riau/")
    j.check(page, "hub")

    # Statistics from the main menu: the tile map and the charts; another figure on the map.
    page.locator("nav.main-nav a[href='/statistik/']").click()
    page.wait_for_url("**/statistik/")
    tile_map = page.locator("svg.tile-map")
    assert tile_map.is_visible()
    assert tile_map.bounding_box()["width"] <= j.width
    assert page.locator("svg.bar-chart").count() >= 6
    # Every chart is drawn at the same size, and its labels read at 12 px or more, on a phone too.
    charts = page.eval_on_selector_all(
        "svg.bar-chart",
        """els => els.map(e => {
          const label = e.querySelector('.chart-label');
          const scale = e.getBoundingClientRect().width / e.viewBox.baseVal.width;
          return {width: Math.round(e.getBoundingClientRect().width),
                  font: label ? parseFloat(getComputedStyle(label).fontSize) * scale : 12};
        })""",
    )
    j.expect(len({chart["width"] for chart in charts}) == 1, f"{j} charts of different widths: {charts}")
    j.expect(all(chart["font"] >= 12 for chart in charts), f"{j} chart labels under 12 px: {charts}")
    # The hub table shows its last column, or scrolls to it inside its own labelled region.
    hubs = page.eval_on_selector(
        "#table-hubs",
        """t => {
          const wrap = t.closest('[role=region]');
          const last = t.querySelector('thead th:last-child').getBoundingClientRect();
          return {fits: last.right <= wrap.getBoundingClientRect().right + 1,
                  scrolls: wrap.scrollWidth > wrap.clientWidth && getComputedStyle(wrap).overflowX === 'auto'
                           && wrap.tabIndex === 0};
        }""",
    )
    j.expect(hubs["fits"] or (j.width < 1000 and hubs["scrolls"]), f"{j} hub table cut off: {hubs}")
    j.check(page, "statistics")
    page.locator("select[name=peta]").select_option("coverage")
    page.locator("select[name=peta]").locator("xpath=ancestor::form").locator("button[type=submit]").click()
    page.wait_for_url("**/statistik/?peta=coverage")
    j.check(page, "statistics-coverage")

    # Open data from the main menu; its CSV link downloads every published innovation.
    page.locator("nav.main-nav a[href='/data/']").click()
    page.wait_for_url("**/data/")
    j.check(page, "open-data")
    csv_href = page.locator("main a[href$='.csv']").first.get_attribute("href")
    response = page.request.get(csv_href)
    assert response.status == 200 and "text/csv" in response.headers["content-type"]
    assert response.text().count("\n") >= 27  # a header and 26 published innovations

    # A typo: the portal corrects it, says so, and offers the exact words typed; "Clear all" keeps them.
    page.goto("/inovasi/")
    page.locator("#search-q").fill("posyandy")
    page.locator("#search-q").press("Enter")
    page.wait_for_url("**q=posyandy**")
    j.check(page, "typo")
    # A link that shows the words typed and searches them (not the CSV/JSON export links).
    exact = page.locator("main a[href*='q=posyandy']:has-text('posyandy')")
    j.expect(
        exact.count() >= 1,
        f"{j} typo: results for a corrected typo offer no link to search 'posyandy' exactly",
    )
    clear = page.locator(".facets a[href^='/inovasi/']").last
    j.expect(
        "q=posyandy" in (clear.get_attribute("href") or ""),
        f"{j} typo: 'Clear all' ({clear.get_attribute('href')}) also clears the search words",
    )
    j.finish()


# --- 2. A record's life: create, evidence, submit, return, fix, publish, found, edited, published again ----
def _click_submit(page, action):
    """Press the button of the form posting to .../<action>/ and wait for the page it leads to."""
    page.locator(f"form[action$='/{action}/'] button[type=submit]").first.click()
    page.wait_for_load_state()


def _save(page):
    """The plain "Save draft" button of an edit page."""
    page.locator("main form.stack-form button[type=submit]:not([name])").click()
    page.wait_for_load_state()


def test_journey_record_life(journey, e2e_world, settings, tmp_path):
    from innovations.models import Innovation, InnovationRevision
    from tests.workflow.helpers import pdf_bytes, png_bytes

    w = e2e_world
    # The public page cache on, as deployed: the public must still see each publish at once.
    settings.PUBLIC_PAGE_CACHE_SECONDS = 300
    cache.clear()
    photo = tmp_path / "foto-layanan.png"
    photo.write_bytes(png_bytes((40, 30)))
    decree = tmp_path / "sk-tim-inovasi.pdf"
    decree.write_bytes(pdf_bytes())
    new_photo = tmp_path / "foto-baru.png"
    new_photo.write_bytes(png_bytes((30, 40), color=(30, 120, 60)))
    j = journey
    staff, officer, public = j.new_page(), j.new_page(), j.new_page()
    j.sign_in(staff, w.staff_pekanbaru.username)
    j.check(staff, "staff-workspace")
    # A page the staff may not open answers 403 in the site's layout, saying why and what to do.
    assert staff.goto("/pemantauan/hub/riau/").status == 403
    assert staff.locator("header.site-header").count() == 1 and staff.locator("h1").count() == 1
    assert staff.locator("html").get_attribute("lang") == "id"
    j.check(staff, "forbidden")
    staff.goto("/ruang-kerja/")
    j.sign_in(officer, w.officer_riau.username)
    public.goto("/inovasi/?q=AKILAT")  # nothing yet; the page is now in the cache
    assert public.locator(".result-list > li").count() == 0

    # Staff: a new innovation, named and summarised.
    staff.locator("main a[href='/ruang-kerja/inovasi/baru/']").click()
    staff.wait_for_url("**/ruang-kerja/inovasi/baru/")
    j.check(staff, "create")
    staff.locator("main [name=name]").fill("Akta Kilat Kelurahan")
    staff.locator("main [name=acronym]").fill("AKILAT")
    staff.locator("main [name=summary]").fill("Warga mengurus akta kelahiran di kelurahan.")
    _save(staff)
    staff.wait_for_url("**/ubah/proposal/")
    innovation = Innovation.objects.get(name="Akta Kilat Kelurahan")
    record_url = f"/ruang-kerja/inovasi/{innovation.pk}/"

    # Submitting it now, incomplete, names each missing field by its label and links to its section.
    staff.goto(record_url)
    _click_submit(staff, "ajukan")
    j.check(staff, "submit-incomplete")
    innovation.refresh_from_db()
    assert innovation.status == "draft"
    text = staff.locator("main").inner_text()
    internal = [
        name for name in ("background", "implementation", "significance", "initiator") if name in text
    ]
    j.expect(
        not internal,
        f"{j} submit-incomplete: the page shows internal field names {internal}",
    )
    j.expect(
        text.count("tidak boleh kosong") <= 1,
        f"{j} submit-incomplete: 'tidak boleh kosong' repeated {text.count('tidak boleh kosong')}"
        " times without naming the fields",
    )
    missing = staff.locator("#missing-fields a[href*='/ubah/proposal/']")
    assert missing.count() >= 3, "the missing fields link to their section"

    # Staff follow the first missing field's link and complete the sections.
    missing.first.click()
    staff.wait_for_url("**/ubah/proposal/**")
    j.check(staff, "edit-proposal")
    staff.locator("main [name=background]").fill("Antrean panjang di kantor dinas.")
    staff.locator("main [name=implementation]").fill("Petugas kelurahan memindai berkas.")
    staff.locator("main [name=significance]").fill("Dari 14 hari menjadi 3 hari.")
    staff.locator("main form.stack-form button[name=action]").click()
    staff.wait_for_url("**/ubah/classification/**")
    staff.locator("main [name=form]").select_option("public_service")
    staff.locator("main [name=kind]").select_option("digital")
    staff.locator("main [name=sector]").select_option("population")
    staff.locator("main [name=stage]").select_option("implemented")
    staff.locator("main [name=initiator]").select_option("agency")
    staff.locator("main [name=started_on]").fill("2022-03-01")
    j.check(staff, "edit-classification")
    _save(staff)
    staff.wait_for_url(f"**{record_url}**")

    # Evidence: a photo and a decree (PDF).
    for title, path in (("Foto layanan", photo), ("SK tim inovasi", decree)):
        form = staff.locator("form[action$='/bukti/']")
        form.locator("[name=title]").fill(title)
        form.locator("[name=file]").set_input_files(str(path))
        form.locator("button[type=submit]").click()
        staff.wait_for_load_state()
    assert innovation.evidence.count() == 2
    j.check(staff, "evidence")

    # Submit: the officer is told by email and opens the review page from it.
    sent = len(mail.outbox)
    _click_submit(staff, "ajukan")
    innovation.refresh_from_db()
    assert innovation.status == "submitted"
    j.check(staff, "submitted")
    to_officer = j.mails_to(w.officer_riau.email, sent)
    assert to_officer, "the hub officer is told of the submission"
    j.read_mail(officer, to_officer[-1], "mail-submitted")
    officer.goto(record_url)
    j.check(officer, "review")

    # The officer returns it with a comment; the staff read the email and the comment.
    sent = len(mail.outbox)
    officer.locator("form[action$='/kembalikan/'] [name=comment]").fill(
        "Tambahkan jumlah warga yang terlayani."
    )
    _click_submit(officer, "kembalikan")
    innovation.refresh_from_db()
    assert innovation.status == "returned"
    to_staff = j.mails_to(w.staff_pekanbaru.email, sent)
    assert to_staff and "Tambahkan jumlah warga" in to_staff[-1].body
    j.read_mail(staff, to_staff[-1], "mail-returned")
    staff.goto(record_url)
    assert "Tambahkan jumlah warga yang terlayani." in staff.locator("main").inner_text()
    j.check(staff, "returned")

    # Staff fix the proposal and resubmit.
    staff.locator(f"main a[href='{record_url}ubah/identity/']").first.click()
    staff.wait_for_url("**/ubah/identity/")
    staff.locator(f"nav.sections a[href='{record_url}ubah/proposal/']").click()
    staff.wait_for_url("**/ubah/proposal/")
    staff.locator("main [name=significance]").fill("Dari 14 hari menjadi 3 hari; 12.000 warga terlayani.")
    _save(staff)
    staff.wait_for_url(f"**{record_url}")
    _click_submit(staff, "ajukan")
    innovation.refresh_from_db()
    assert innovation.status == "submitted"

    # The officer finds it among the submissions waiting in the workspace: the link leads to the review.
    sent = len(mail.outbox)
    officer.goto("/ruang-kerja/")
    j.check(officer, "officer-workspace")
    waiting = officer.locator("main a:has-text('Akta Kilat Kelurahan')").first
    j.expect(
        waiting.get_attribute("href") == record_url,
        f"{j} officer-workspace: the waiting submission links {waiting.get_attribute('href')},"
        f" not its review page {record_url}",
    )
    officer.goto(record_url)
    _click_submit(officer, "terbitkan")
    innovation.refresh_from_db()
    assert innovation.status == "published"
    to_staff = j.mails_to(w.staff_pekanbaru.email, sent)
    assert to_staff, "the staff are told it is published"
    j.read_mail(staff, to_staff[-1], "mail-published")

    # The public finds it at once, through the cache, and opens its evidence.
    public.goto("/")
    public.locator("#home-q").fill("AKILAT")
    public.locator("#home-q").press("Enter")
    public.wait_for_url("**/inovasi/?**")
    j.check(public, "public-search")
    public.locator(f"main a[href='{innovation.get_absolute_url()}']").first.click()
    public.wait_for_url(f"**{innovation.get_absolute_url()}")
    assert "12.000 warga" in public.locator("main").inner_text()
    j.check(public, "public-record")
    files = public.locator("main a:has-text('Foto layanan'), main a:has-text('SK tim inovasi')")
    assert files.count() == 2
    for index in range(2):
        href = files.nth(index).get_attribute("href")
        response = public.request.get(href)
        j.expect(
            response.status == 200
            and response.headers.get("content-type") in ("image/png", "application/pdf"),
            f"{j} public-record: evidence link {href} answered {response.status}"
            f" {response.headers.get('content-type')}",
        )

    # Staff propose an edit of the published record, with a new photo; the public keeps the published one.
    staff.goto(record_url)
    staff.locator(f"main a[href='{record_url}ubah/identity/']").first.click()
    staff.wait_for_url("**/ubah/identity/")
    j.check(staff, "propose-edit")
    staff.locator("main [name=summary]").fill(
        "Warga mengurus akta kelahiran di kelurahan, selesai dalam tiga hari."
    )
    _save(staff)
    staff.wait_for_url(f"**{record_url}")
    form = staff.locator("form[action$='/bukti/']")
    form.locator("[name=title]").fill("Foto loket baru")
    form.locator("[name=file]").set_input_files(str(new_photo))
    form.locator("button[type=submit]").click()
    staff.wait_for_load_state()
    sent = len(mail.outbox)
    _click_submit(staff, "ajukan")
    assert InnovationRevision.objects.get(innovation=innovation).status == "submitted"
    j.check(staff, "edit-submitted")
    public.reload()
    assert "selesai dalam tiga hari" not in public.locator("main").inner_text()
    j.expect(
        "Foto loket baru" not in public.locator("main").inner_text(),
        f"{j} public-record: the public page shows the evidence of the pending edit",
    )

    # The officer reviews the proposed changes and publishes them; the public sees the new text at once.
    to_officer = j.mails_to(w.officer_riau.email, sent)
    if j.expect(to_officer, f"{j} edit-submitted: the hub officer got no email of the edit"):
        j.read_mail(officer, to_officer[-1], "mail-edit-submitted")
    officer.goto(record_url)
    j.check(officer, "review-edit")
    _click_submit(officer, "terbitkan")
    innovation.refresh_from_db()
    assert innovation.summary.endswith("selesai dalam tiga hari.")
    public.reload()
    j.expect(
        "selesai dalam tiga hari" in public.locator("main").inner_text(),
        f"{j} public-after-edit: the public still sees the old text after the publish",
    )
    assert "Foto loket baru" in public.locator("main").inner_text()
    j.check(public, "public-after-edit")
    j.finish()


# --- 3. A replication from interest to evaluation, and the source's page showing the adaptation ---------
def test_journey_replication(journey, e2e_world):
    from innovations.models import Innovation
    from replication.models import ReplicationRequest
    from tests.replication.factories import PLAN
    from tests.replication.factories import make_innovation as make_source

    w = e2e_world
    source = make_source(w.denpasar, name="Jemput Bola Adminduk", acronym="JEMPOL")
    j = journey
    requester, officer, origin, public = j.new_page(), j.new_page(), j.new_page(), j.new_page()
    j.sign_in(requester, w.staff_pekanbaru.username)
    j.sign_in(officer, w.officer_riau.username)
    j.sign_in(origin, w.staff_denpasar.username)
    reader = {
        w.staff_pekanbaru.email: requester,
        w.officer_riau.email: officer,
        w.staff_denpasar.email: origin,
        PLAN["contact_email"]: public,  # the plan's contact person has no account
    }

    def read_mails(since, step):
        """Every email sent since ``since``, read by its recipient in their own browser."""
        sent = mail.outbox[since:]
        for message in sent:
            for address in message.to:
                if j.expect(address in reader, f"{j} {step}: unexpected recipient {address}"):
                    j.read_mail(reader[address], message, step)
        return sent

    # 1. Interest: the requesting staff (Pekanbaru, Riau) find the source and fill in the ATM plan.
    requester.goto(source.get_absolute_url())
    j.check(requester, "source")
    requester.locator(f"main a[href='/replikasi/ajukan/{source.slug}/']").click()
    requester.wait_for_url(f"**/replikasi/ajukan/{source.slug}/")
    j.check(requester, "request-form")
    for field in ("observed", "adopted", "modified", "local_need", "resources", "timeline"):
        requester.locator(f"[name={field}]").fill(PLAN[field])
    requester.locator("main [name=contact_name]").fill(PLAN["contact_name"])
    requester.locator("main [name=contact_email]").fill(PLAN["contact_email"])
    sent = len(mail.outbox)
    requester.locator("main form button[type=submit]").last.click()
    requester.wait_for_url("**/replikasi/ruang-kerja/*/")
    request = ReplicationRequest.objects.get()
    assert request.status == "interest"
    workspace_url = request.get_absolute_url()
    j.check(requester, "requested")
    assert public.goto(f"/replikasi/{request.pk}/").status == 404  # not public yet
    read_mails(sent, "mail-created")

    # 2. The Riau officer finds it in the queue and approves it.
    officer.goto("/replikasi/ruang-kerja/antrean/")
    j.check(officer, "queue")
    officer.locator(f"main a[href='{workspace_url}']").first.click()
    officer.wait_for_url(f"**{workspace_url}")
    officer.locator("input[name=decision][value=approve]").check()
    officer.locator("form[action$='/putuskan/'] [name=reason]").fill("Sesuai kebutuhan Pekanbaru.")
    sent = len(mail.outbox)
    _click_submit(officer, "putuskan")
    request.refresh_from_db()
    assert request.status == "approved"
    j.check(officer, "approved")
    read_mails(sent, "mail-approved")

    # 3. The origin agency (Denpasar) finds it among incoming requests and agrees to share.
    origin.goto("/replikasi/ruang-kerja/masuk/")
    j.check(origin, "incoming")
    origin.locator(f"main a[href='{workspace_url}']").first.click()
    origin.wait_for_url(f"**{workspace_url}")
    origin.locator("input[name=answer][value=agree]").check()
    origin.locator("form[action$='/kesepakatan/'] [name=note]").fill("Kami berbagi SOP dan aplikasi.")
    sent = len(mail.outbox)
    _click_submit(origin, "kesepakatan")
    request.refresh_from_db()
    assert request.status == "agreed"
    j.check(origin, "agreed")
    read_mails(sent, "mail-agreed")

    # The officer's queue lists it as agreed, mentoring still to start (not "in mentoring").
    officer.goto("/replikasi/ruang-kerja/antrean/")
    in_mentoring = officer.locator(f"#mentoring a[href='{workspace_url}']").count()
    j.expect(
        officer.locator(f"#agreed a[href='{workspace_url}']").count() == 1 and not in_mentoring,
        f"{j} queue-agreed: an agreed request is not listed under 'agreement recorded' alone",
    )

    # 4. Mentoring: the officer records a session; the requester files a progress report.
    officer.goto(workspace_url)
    form = officer.locator("form[action$='/pendampingan/']")
    form.locator("[name=held_on]").fill("2026-04-02")
    form.locator("[name=mentors]").fill("Tim Hub Riau")
    form.locator("[name=university]").select_option(label="Universitas Riau")
    form.locator("[name=topics]").fill("Penyusunan SOP jemput bola")
    sent = len(mail.outbox)
    _click_submit(officer, "pendampingan")
    request.refresh_from_db()
    assert request.status == "mentoring"
    assert (
        "Penyusunan SOP jemput bola"
        in officer.locator("section[aria-labelledby=sessions-title]").inner_text()
    )
    j.check(officer, "mentoring")
    read_mails(sent, "mail-mentoring")

    requester.goto(workspace_url)
    form = requester.locator("form[action$='/laporan/']")
    form.locator("[name=reported_on]").fill("2026-05-01")
    form.locator("[name=progress]").fill("Uji coba di tiga kecamatan.")
    sent = len(mail.outbox)
    _click_submit(requester, "laporan")
    assert (
        "Uji coba di tiga kecamatan."
        in requester.locator("section[aria-labelledby=reports-title]").inner_text()
    )
    j.check(requester, "progress")
    read_mails(sent, "mail-progress")

    # 5. Implemented: a draft adapted innovation is created for the requesting agency.
    requester.goto(workspace_url)
    requester.locator("form[action$='/diterapkan/'] [name=confirm]").check()
    sent = len(mail.outbox)
    _click_submit(requester, "diterapkan")
    request.refresh_from_db()
    assert request.status == "implemented"
    draft = request.result_innovation
    assert draft.status == Innovation.Status.DRAFT and draft.replicated_from_id == source.pk
    j.check(requester, "implemented")
    read_mails(sent, "mail-implemented")

    # 6. Evaluated: the officer records the monitoring and evaluation.
    officer.goto(workspace_url)
    form = officer.locator("form[action$='/evaluasi/']")
    form.locator("[name=outcome]").select_option("successful")
    form.locator("[name=score]").fill("88")
    form.locator("[name=lessons]").fill("Libatkan kepala desa sejak awal.")
    sent = len(mail.outbox)
    _click_submit(officer, "evaluasi")
    request.refresh_from_db()
    assert request.status == "evaluated"
    j.check(officer, "evaluated")
    read_mails(sent, "mail-evaluated")

    # The public sees the replication, and the source's page shows it, linked.
    assert public.goto(request.get_public_url()).status == 200
    assert "88/100" in public.locator("main").inner_text()
    j.check(public, "public-replication")
    public.goto(source.get_absolute_url())
    j.check(public, "source-after-evaluation")
    lineage = public.locator("section[aria-labelledby=lineage-title]")
    j.expect(
        lineage.locator(f"a[href='{request.get_public_url()}']").count() == 1,
        f"{j} source-after-evaluation: the source's page does not link the evaluated "
        f"replication {request.get_public_url()}: {lineage.inner_text()!r}",
    )

    # The requester follows the adapted-innovation link to where they complete it: their workspace.
    requester.goto(workspace_url)
    adapted = requester.locator("section[aria-labelledby=adapted-title]")
    assert draft.name in adapted.inner_text()
    draft_url = f"/ruang-kerja/inovasi/{draft.pk}/"
    link = adapted.locator(f"a:has-text('{draft.name}')").first
    j.expect(
        link.get_attribute("href") == draft_url,
        f"{j} adapted-link: the adapted innovation links {link.get_attribute('href')}, "
        f"not the workspace page {draft_url} where its owner completes it",
    )
    requester.goto(draft_url)
    j.check(requester, "adapted-draft")

    # The requester completes the draft (its own results) and submits it; the hub publishes it.
    requester.locator(f"main a[href='{draft_url}ubah/proposal/']").first.click()
    requester.wait_for_url("**/ubah/proposal/")
    requester.locator("main [name=significance]").fill("Waktu layanan turun dari 10 menjadi 2 hari.")
    _save(requester)
    requester.wait_for_url(f"**{draft_url}")
    _click_submit(requester, "ajukan")
    draft.refresh_from_db()
    assert draft.status == Innovation.Status.SUBMITTED
    officer.goto(draft_url)
    _click_submit(officer, "terbitkan")
    draft.refresh_from_db()
    source.refresh_from_db()
    assert draft.status == Innovation.Status.PUBLISHED
    assert source.replication_count == 1

    # Anyone finds the adapted innovation; its page shows where it came from, the source's page links it.
    public.goto("/")
    public.locator("#home-q").fill(draft.name)
    public.locator("#home-q").press("Enter")
    public.wait_for_url("**/inovasi/?**")
    public.locator(f"main a[href='{draft.get_absolute_url()}']").first.click()
    public.wait_for_url(f"**{draft.get_absolute_url()}")
    lineage = public.locator("section[aria-labelledby=lineage-title]")
    assert lineage.locator(f"a[href='{source.get_absolute_url()}']").count() >= 1
    j.check(public, "adapted-public")
    public.goto(source.get_absolute_url())
    lineage = public.locator("section[aria-labelledby=lineage-title]")
    assert w.pekanbaru.name in lineage.inner_text()
    j.expect(
        lineage.locator(f"a[href='{draft.get_absolute_url()}']").count() >= 1,
        f"{j} source-final: the source's page does not link the adapted innovation",
    )
    j.check(public, "source-final")
    j.finish()


# --- 4. A hub officer keeps the hub's page and reads monitoring and the monthly report -------------------
def test_journey_hub_officer(journey, e2e_world, tmp_path):
    import datetime

    from django.utils import timezone

    from jipp.accounts.models import AccessRequest
    from tests.conftest import make_user
    from tests.workflow.helpers import pdf_bytes

    w = e2e_world
    for n in range(3):
        make_published(w.pekanbaru, name=f"Layanan Riau {n + 1}", days_ago=40 * n)
    make_published(w.siak, name="Draf Siak", status="submitted")
    applicant = make_user("calon_staf", first_name="Rina", last_name="Wati")
    waiting = AccessRequest.objects.create(user=applicant, agency=w.siak, position="Analis")
    AccessRequest.objects.filter(pk=waiting.pk).update(created_at=timezone.now() - datetime.timedelta(days=6))
    decree = tmp_path / "sk-hub-riau.pdf"
    decree.write_bytes(pdf_bytes())
    j = journey
    officer, public = j.new_page(), j.new_page()
    j.sign_in(officer, w.officer_riau.username)

    # From the menu to the hub's page, and to its management.
    officer.locator("nav.main-nav a[href='/hub/']").click()
    officer.wait_for_url("**/hub/")
    officer.locator("main a[href='/hub/riau/']").first.click()
    officer.wait_for_url("**/hub/riau/")
    officer.locator("main a[href='/hub/riau/kelola/']").click()
    officer.wait_for_url("**/hub/riau/kelola/")
    j.check(officer, "manage")
    manage = "/hub/riau/kelola/"

    def save_item(step):
        j.check(officer, step)
        officer.locator("main form button[type=submit]").first.click()
        officer.wait_for_url(f"**{manage}")

    # The description.
    officer.locator("main [name=description]").fill("Hub JIPP Riau mendampingi instansi se-Provinsi Riau.")
    officer.locator("main form button[type=submit]").first.click()
    officer.wait_for_url(f"**{manage}")

    # The team: add a member, then edit her role.
    officer.locator(f"main a[href='{manage}tim/']").click()
    officer.locator("main [name=name]").fill("Sari Dewi")
    officer.locator("main [name=role]").fill("Koordinator")
    officer.locator("main [name=organisation]").fill("Biro Organisasi Provinsi Riau")
    officer.locator("main [name=is_published]").check()
    save_item("team-add")
    j.check(officer, "team-added")
    officer.locator(f"section[aria-labelledby=team-title] tr a[href^='{manage}tim/']").first.click()
    officer.wait_for_url(f"**{manage}tim/*/")
    officer.locator("main [name=role]").fill("Ketua tim pelaksana")
    save_item("team-edit")

    # A regulation with its PDF, then corrected (its number).
    officer.locator(f"main a[href='{manage}dokumen/']").click()
    officer.locator("main [name=kind]").select_option(index=1)
    officer.locator("main [name=title]").fill("SK Tim Hub JIPP Riau")
    officer.locator("main [name=number]").fill("100/2026")
    officer.locator("main [name=issued_on]").fill("2026-01-15")
    officer.locator("main [name=upload]").set_input_files(str(decree))
    save_item("document-add")
    edit_links = officer.locator(f"section[aria-labelledby=documents-title] li a[href^='{manage}dokumen/']")
    if j.expect(edit_links.count() >= 1, f"{j} document-edit: hub documents cannot be edited"):
        edit_links.first.click()
        officer.wait_for_url(f"**{manage}dokumen/*/")
        officer.locator("main [name=number]").fill("100/KPTS/2026")
        save_item("document-edit")

    # Two events; one corrected, the other removed after a confirmation step.
    for title, place in (("Temu berbagi pengetahuan Siak–Pekanbaru", "Balai Kota"), ("Acara batal", "Siak")):
        officer.locator(f"main a[href='{manage}acara/']").click()
        officer.locator("main [name=kind]").select_option("exchange")
        officer.locator("main [name=title]").fill(title)
        officer.locator("main [name=held_on]").fill("2026-03-05")
        officer.locator("main [name=place]").fill(place)
        officer.locator("main [name=summary]").fill("Siak berbagi pengalaman layanan perizinan daring.")
        save_item("event-add")
    events = officer.locator("section[aria-labelledby=events-title]")
    events.locator("li:has-text('Temu berbagi') a[href*='/acara/']").click()
    officer.wait_for_url(f"**{manage}acara/*/")
    officer.locator("main [name=place]").fill("Balai Kota Pekanbaru")
    save_item("event-edit")
    events.locator("li:has-text('Acara batal') a[href*='/hapus/']").click()
    officer.wait_for_url(f"**{manage}event/*/hapus/")
    j.check(officer, "event-remove-confirm")
    officer.locator("main form[method=post] button[type=submit]").first.click()
    officer.wait_for_url(f"**{manage}")
    assert "Acara batal" not in events.inner_text()

    # A partner university.
    officer.locator(f"main a[href='{manage}universitas/']").click()
    officer.locator("main [name=name]").fill("Universitas Islam Riau")
    officer.locator("main [name=website]").fill("https://uir.ac.id/")
    save_item("university-add")
    j.check(officer, "manage-done")

    # Anyone sees it all on the public page; the decree downloads.
    public.goto("/hub/riau/")
    text = public.locator("main").inner_text()
    for expected in (
        "mendampingi instansi se-Provinsi Riau",
        "Sari Dewi",
        "Ketua tim pelaksana",
        "SK Tim Hub JIPP Riau",
        "Balai Kota Pekanbaru",
        "Universitas Islam Riau",
    ):
        assert expected in text, expected
    assert "Acara batal" not in text
    j.expect(
        "100/KPTS/2026" in text,
        f"{j} public-hub: the corrected document number is not shown",
    )
    j.check(public, "public-hub")
    href = public.locator("main a:has-text('SK Tim Hub JIPP Riau')").first.get_attribute("href")
    response = public.request.get(href)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf", href

    # Monitoring, from the menu: the hub's figures, the waiting access request, the monthly reports.
    officer.locator("nav.main-nav a[href='/pemantauan/']").click()
    officer.wait_for_url("**/pemantauan/")
    j.check(officer, "monitoring")
    officer.goto("/pemantauan/hub/riau/")
    j.check(officer, "monitoring-hub")
    row = officer.locator("#table-access-requests tbody tr").first
    cells = row.locator("td").all_inner_texts()
    j.expect(
        cells[-1].strip() == "6",
        f"{j} monitoring-hub: days waiting shows {cells[-1]!r}, not 6",
    )
    row.locator("a").first.click()
    officer.wait_for_url(f"**/akun/permintaan-akses/{waiting.pk}/")
    j.check(officer, "access-request")

    officer.goto("/pemantauan/hub/riau/")
    officer.locator("ul.month-list a").first.click()
    officer.wait_for_url("**/pemantauan/hub/riau/laporan/*/*/")
    j.check(officer, "monthly-report")
    report_url = officer.url
    previous = officer.locator("main a[rel=prev], main a.month-previous")
    if j.expect(previous.count() >= 1, f"{j} monthly-report: no link to the previous month"):
        previous.first.click()
        officer.wait_for_url("**/laporan/*/*/")
        assert officer.url != report_url
        j.check(officer, "monthly-report-previous")
        following = officer.locator("main a[rel=next], main a.month-next")
        j.expect(following.count() >= 1, f"{j} monthly-report: no link to the next month")
        if following.count():
            following.first.click()
            officer.wait_for_url(report_url)
    j.finish()


# --- 5. A new person asks for access, is approved and starts a first draft --------------------------------
def test_journey_new_person(journey, e2e_world):
    from django.contrib.auth import get_user_model

    from innovations.models import Innovation
    from jipp.accounts.models import AccessRequest
    from tests.conftest import PASSWORD

    w = e2e_world
    email = "rina.wati@example.id"
    j = journey
    person, officer = j.new_page(), j.new_page()
    j.sign_in(officer, w.officer_riau.username)

    # From the home page to the sign-in page, and from there to "ask for access".
    person.goto("/")
    person.locator("header a[href='/akun/masuk/']").click()
    person.wait_for_url("**/akun/masuk/")
    person.locator("main a[href='/akun/daftar/']").click()
    person.wait_for_url("**/akun/daftar/")
    j.check(person, "register")

    form = person.locator("main form[method=post]")
    agency_first = person.evaluate(
        "() => !!(document.querySelector('#agency-query').compareDocumentPosition("
        "document.querySelector('[name=first_name]')) & Node.DOCUMENT_POSITION_FOLLOWING)"
    )

    def fill_person():
        form.locator("[name=first_name]").fill("Rina")
        form.locator("[name=last_name]").fill("Wati")
        form.locator("[name=email]").fill(email)
        if form.locator("[name=username]").count():
            form.locator("[name=username]").fill("rinawati")
        form.locator("[name=password1]").fill(PASSWORD)
        form.locator("[name=password2]").fill(PASSWORD)

    # The person fills the form from the top and finds their agency with "Find".
    if not agency_first:
        fill_person()
    form.locator("#agency-query").fill("Pekanbaru")
    form.locator("button[name=find_agency]").click()
    person.wait_for_load_state()
    found = form.locator(f"input[name=agency][value='{w.pekanbaru.pk}']")
    if not j.expect(
        found.count() == 1,
        f"{j} register: 'Find' did not list the agency (blocked by the required fields?)",
    ):
        fill_person()
        form.locator("button[name=find_agency]").click()
        person.wait_for_load_state()
    j.check(person, "register-found")
    found.check()
    if not agency_first:
        j.expect(
            form.locator("[name=password1]").input_value() and form.locator("[name=password2]").input_value(),
            f"{j} register-found: after 'Find' both password fields are empty",
        )
    form.locator("[name=position]").fill("Analis Kebijakan")
    if form.locator("[name=message]").count():
        form.locator("[name=message]").fill("Saya mengelola inovasi layanan adminduk.")
    if agency_first:
        fill_person()
    sent = len(mail.outbox)
    form.locator("button[type=submit]:not([name])").last.click()
    person.wait_for_load_state()
    j.check(person, "register-sent")
    user = get_user_model().objects.get(email=email)
    access_request = AccessRequest.objects.get(user=user)
    assert access_request.status == "pending" and access_request.agency_id == w.pekanbaru.pk

    # Any email to the person (confirming the address) is read and followed in their browser.
    for message in j.mails_to(email, sent):
        j.read_mail(person, message, "mail-register", signed_in=False)
        if "/konfirmasi/" in person.url:
            j.check(person, "confirm-email")
            person.locator("main form[method=post] button[type=submit]").first.click()
            person.wait_for_load_state()
            j.check(person, "applicant")  # signed in, waiting for the hub: the menu must fit that

    # The hub officer is told, opens the request from the email and approves it.
    to_officer = j.mails_to(w.officer_riau.email, sent)
    assert to_officer, "the hub officer is told of the access request"
    j.read_mail(officer, to_officer[-1], "mail-access-request")
    detail = f"/akun/permintaan-akses/{access_request.pk}/"
    if detail not in officer.url:
        officer.goto(detail)
    j.check(officer, "access-request")
    sent = len(mail.outbox)
    officer.locator("main [name=note]").fill("Selamat bergabung.")
    officer.locator("main button[name=decision][value=approve]").click()
    officer.wait_for_load_state()
    access_request.refresh_from_db()
    assert access_request.status == "approved"
    j.check(officer, "approved")

    # The person reads the decision, signs in and starts a first draft.
    to_person = j.mails_to(email, sent)
    assert to_person, "the person is told of the decision"
    person.context.clear_cookies()  # a new day: the person comes back from the email
    j.read_mail(person, to_person[-1], "mail-decided", signed_in=False)
    if "/akun/masuk/" not in person.url:
        person.goto("/akun/masuk/")
    sign_in = person.locator("main form[method=post]")
    sign_in.locator("input[name=username]").fill(email)
    sign_in.locator("input[name=password]").fill(PASSWORD)
    sign_in.locator("button[type=submit]").click()
    person.wait_for_load_state()
    assert "/akun/masuk/" not in person.url, "the person signs in with their email"
    person.goto("/ruang-kerja/")
    j.check(person, "workspace")
    person.locator("main a[href='/ruang-kerja/inovasi/baru/']").click()
    person.wait_for_url("**/ruang-kerja/inovasi/baru/")
    person.locator("main [name=name]").fill("Layanan Akta Keliling")
    person.locator("main [name=summary]").fill("Petugas mendatangi warga di kelurahan untuk merekam data.")
    _save(person)
    draft = Innovation.objects.get(name="Layanan Akta Keliling")
    assert draft.status == "draft" and draft.agency_id == w.pekanbaru.pk and draft.created_by_id == user.pk
    j.check(person, "first-draft")
    j.finish()
