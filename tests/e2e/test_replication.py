"""The whole life of a replication in a real browser, with three people: the requesting staff
(Pekanbaru, Riau), the Riau hub officer and the origin agency's staff (Denpasar, Bali).

Each person signs in through the real sign-in page in their own browser context.
"""

import re

import pytest
from django.urls import reverse

from innovations.models import Innovation
from replication.models import ReplicationRequest
from tests.e2e.conftest import sign_in_with_form
from tests.replication.factories import PLAN, make_innovation


def _browser_for(browser, live_server, user):
    context = browser.new_context(base_url=live_server.url, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(15000)
    if user is not None:
        sign_in_with_form(page, user.username)
    return context, page


@pytest.fixture
def people(browser, live_server, e2e_world):
    contexts = {}
    pages = {}
    for name, user in (
        ("requester", e2e_world.staff_pekanbaru),
        ("officer", e2e_world.officer_riau),
        ("origin", e2e_world.staff_denpasar),
        ("public", None),
    ):
        contexts[name], pages[name] = _browser_for(browser, live_server, user)
    yield pages
    for context in contexts.values():
        context.close()


def _submit(page, action):
    page.locator(f"form[action$='/{action}/'] button[type=submit]").click()
    page.wait_for_load_state()


def _link_in_mail(mailoutbox, address):
    """The one link of the latest mail to ``address``."""
    (message,) = [m for m in mailoutbox if m.to == [address]][-1:]
    (url,) = re.findall(r"https?://\S+", message.body)[:1]
    return url


def test_replication_from_interest_to_evaluation_with_three_people(
    people, e2e_world, live_server, settings, mailoutbox
):
    world = e2e_world
    settings.JIPP_SITE_URL = live_server.url  # emails link to the site they were sent from
    source = make_innovation(world.denpasar, name="Jemput Bola Adminduk", acronym="JEMPOL")
    requester, officer, origin, public = (
        people["requester"],
        people["officer"],
        people["origin"],
        people["public"],
    )

    # 1. Interest: the requesting staff fill in the ATM plan.
    requester.goto(f"/replikasi/ajukan/{source.slug}/")
    for field in ("observed", "adopted", "modified", "local_need", "resources", "timeline"):
        requester.locator(f"[name={field}]").fill(PLAN[field])
    requester.locator("[name=contact_name]").fill(PLAN["contact_name"])
    requester.locator("[name=contact_email]").fill(PLAN["contact_email"])
    requester.locator("form.stack-form button[type=submit]").click()
    requester.wait_for_url("**/replikasi/ruang-kerja/*/")
    request = ReplicationRequest.objects.get()
    assert request.status == "interest"
    assert PLAN["modified"] in requester.locator("section[aria-labelledby=plan-title]").inner_text()

    # Not public yet.
    assert public.goto(f"/replikasi/{request.pk}/").status == 404

    # The officer was emailed: its link opens the request with the decision form.
    url = _link_in_mail(mailoutbox, world.officer_riau.email)
    assert url == live_server.url + request.get_absolute_url()
    assert officer.goto(url).status == 200
    assert officer.locator("form[action$='/putuskan/']").count() == 1

    # 2. Decision: the Riau officer finds it in the queue, with its waiting time, and approves.
    officer.goto("/replikasi/ruang-kerja/antrean/")
    officer.locator(f"#to-decide a[href='{request.get_absolute_url()}']").click()
    officer.wait_for_url(f"**{request.get_absolute_url()}")
    officer.locator("input[name=decision][value=approve]").check()
    officer.locator("form[action$='/putuskan/'] [name=reason]").fill("Sesuai kebutuhan Pekanbaru.")
    _submit(officer, "putuskan")
    request.refresh_from_db()
    assert request.status == "approved"

    # 3. Agreement: the origin agency was emailed a link to the request; it also sees the request
    # among incoming requests, and agrees.
    assert origin.goto(_link_in_mail(mailoutbox, world.staff_denpasar.email)).status == 200
    assert origin.locator("form[action$='/kesepakatan/']").count() == 1
    origin.goto("/replikasi/ruang-kerja/masuk/")
    origin.locator(f"a[href='{request.get_absolute_url()}']").first.click()
    origin.wait_for_url(f"**{request.get_absolute_url()}")
    origin.locator("input[name=answer][value=agree]").check()
    origin.locator("form[action$='/kesepakatan/'] [name=note]").fill("Kami berbagi SOP dan aplikasi.")
    _submit(origin, "kesepakatan")
    request.refresh_from_db()
    assert request.status == "agreed"

    # 4. Mentoring: the officer records a session; the requester files a progress report.
    officer.goto(request.get_absolute_url())
    form = officer.locator("form[action$='/pendampingan/']")
    form.locator("[name=held_on]").fill("2026-04-02")
    form.locator("[name=mentors]").fill("Tim Hub Riau")
    form.locator("[name=university]").select_option(label="Universitas Riau")
    form.locator("[name=topics]").fill("Penyusunan SOP jemput bola")
    _submit(officer, "pendampingan")
    request.refresh_from_db()
    assert request.status == "mentoring"
    assert (
        "Penyusunan SOP jemput bola"
        in officer.locator("section[aria-labelledby=sessions-title]").inner_text()
    )

    requester.goto(request.get_absolute_url())
    form = requester.locator("form[action$='/laporan/']")
    form.locator("[name=reported_on]").fill("2026-05-01")
    form.locator("[name=progress]").fill("Uji coba di tiga kecamatan.")
    _submit(requester, "laporan")
    assert (
        "Uji coba di tiga kecamatan."
        in requester.locator("section[aria-labelledby=reports-title]").inner_text()
    )

    # 5. Implemented: the requester declares it running; a draft innovation is created.
    requester.locator("form[action$='/diterapkan/'] [name=confirm]").check()
    _submit(requester, "diterapkan")
    request.refresh_from_db()
    assert request.status == "implemented"

    # 6. Evaluated: the officer records the monitoring and evaluation; the request closes.
    officer.goto(request.get_absolute_url())
    form = officer.locator("form[action$='/evaluasi/']")
    form.locator("[name=outcome]").select_option("successful")
    form.locator("[name=score]").fill("88")
    form.locator("[name=lessons]").fill("Libatkan kepala desa sejak awal.")
    _submit(officer, "evaluasi")
    request.refresh_from_db()
    assert request.status == "evaluated"
    assert not officer.locator("form[action$='/evaluasi/']").count()

    # The requester finds the adapted draft, replicated from the source, on the request page.
    draft = request.result_innovation
    assert draft.status == Innovation.Status.DRAFT and draft.replicated_from_id == source.pk
    assert draft.agency_id == world.pekanbaru.pk
    requester.goto(request.get_absolute_url())
    adapted = requester.locator("section[aria-labelledby=adapted-title]")
    assert draft.name in adapted.inner_text()
    assert source.name in adapted.inner_text()

    # The public sees the replication with its outcome and mentoring count.
    response = public.goto(f"/replikasi/{request.pk}/")
    assert response.status == 200
    assert "88/100" in public.content()
    public.goto("/replikasi/")
    assert public.locator(f"a[href='{request.get_public_url()}']").count() == 1

    # The adapted draft goes through the normal review: the requester follows the request page's link
    # to the draft in the workspace, completes it with its own results (the only required section left
    # empty), submits it, and the hub publishes it.
    adapted.locator("a.button").click()
    requester.wait_for_url(f"**/ruang-kerja/inovasi/{draft.pk}/")
    requester.goto(reverse("innovations:innovation_edit", kwargs={"pk": draft.pk, "section": "proposal"}))
    requester.locator("textarea[name=significance]").fill("Waktu layanan turun dari 10 menjadi 2 hari.")
    requester.locator("main form button[type=submit]:not([name])").click()
    requester.wait_for_url(f"**/ruang-kerja/inovasi/{draft.pk}/")
    _submit(requester, "ajukan")
    draft.refresh_from_db()
    assert draft.status == Innovation.Status.SUBMITTED
    officer.goto(reverse("innovations:workspace_innovation", kwargs={"pk": draft.pk}))
    _submit(officer, "terbitkan")
    draft.refresh_from_db()
    source.refresh_from_db()
    assert draft.status == Innovation.Status.PUBLISHED
    assert source.replication_count == 1

    # Anyone finds the adapted innovation in public search, and its page shows where it came from.
    public.goto("/")
    public.locator("#home-q").fill(draft.name)
    public.locator("form[role=search] button[type=submit]").click()
    public.wait_for_url("**/inovasi/?**")
    public.locator(f"a[href='{draft.get_absolute_url()}']").first.click()
    public.wait_for_url(f"**{draft.get_absolute_url()}")
    lineage = public.locator("section[aria-labelledby=lineage-title]")
    assert source.name in lineage.inner_text()
    # …and the source's page lists the replicating agency.
    public.goto(source.get_absolute_url())
    assert world.pekanbaru.name in public.locator("section[aria-labelledby=lineage-title]").inner_text()
