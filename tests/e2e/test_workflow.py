"""In a real browser: staff create an innovation with evidence and submit it; the hub officer returns it
with a comment; staff fix and resubmit; the officer publishes; the public can see it."""

from pathlib import Path

from innovations.models import Innovation
from tests.conftest import PASSWORD
from tests.workflow.helpers import png_bytes


def sign_in(page, username):
    page.goto("/akun/masuk/")
    page.get_by_label("User name or email").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/ruang-kerja/")


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def test_submit_return_resubmit_publish(page, e2e_world, live_server, tmp_path):
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    photo = Path(tmp_path) / "foto-layanan.png"
    photo.write_bytes(png_bytes((40, 30)))

    # Staff: create, fill the sections, attach evidence, submit.
    sign_in(page, "staff_pekanbaru")
    page.get_by_role("link", name="New innovation").click()
    page.get_by_label("Name", exact=True).fill("Akta Kilat Kelurahan")
    page.get_by_label("Acronym").fill("AKILAT")
    page.get_by_label("Summary").fill("Warga mengurus akta kelahiran di kelurahan.")
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url("**/ubah/proposal/")
    page.get_by_label("Background and goals").fill("Antrean panjang di kantor dinas.")
    page.get_by_label("Implementation").fill("Petugas kelurahan memindai berkas.")
    page.get_by_label("Significance: results and impact").fill("Dari 14 hari menjadi 3 hari.")
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url("**/ubah/classification/")
    page.get_by_label("Form", exact=True).select_option("public_service")
    page.get_by_label("Type", exact=True).select_option("digital")
    page.get_by_label("Sector").select_option("population")
    page.get_by_label("Stage").select_option("implemented")
    page.get_by_label("Initiator").select_option("agency")
    page.get_by_label("Started on").fill("2022-03-01")
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url("**/ruang-kerja/inovasi/*/")
    page.get_by_label("Title").fill("Foto layanan")
    page.get_by_label("File").set_input_files(str(photo))
    page.get_by_role("button", name="Upload").click()
    page.get_by_text("File added.").wait_for()
    page.get_by_role("button", name="Submit for review").click()
    page.get_by_text("Submitted to the hub for review.").wait_for()
    innovation = Innovation.objects.get(name="Akta Kilat Kelurahan")
    assert innovation.status == "submitted"
    evidence = innovation.evidence.get()
    sign_out(page)

    # Officer: return with a comment.
    sign_in(page, "officer_riau")
    page.get_by_role("link", name="Akta Kilat Kelurahan").click()
    page.get_by_label("Comments for the agency").fill("Tambahkan jumlah warga yang terlayani.")
    page.get_by_role("button", name="Return with comments").click()
    page.get_by_text("Returned to the agency with your comments.").wait_for()
    sign_out(page)

    # Staff: read the comment, fix, resubmit.
    sign_in(page, "staff_pekanbaru")
    page.get_by_role("link", name="Akta Kilat Kelurahan").click()
    page.get_by_text("Tambahkan jumlah warga yang terlayani.").first.wait_for()
    page.get_by_role("link", name="Edit", exact=True).click()
    page.get_by_role("link", name="Proposal").click()
    page.get_by_label("Significance: results and impact").fill(
        "Dari 14 hari menjadi 3 hari; 12.000 warga terlayani."
    )
    page.get_by_role("button", name="Save draft").click()
    page.get_by_role("button", name="Submit for review").click()
    page.get_by_text("Submitted to the hub for review.").wait_for()
    sign_out(page)

    # Officer: publish.
    sign_in(page, "officer_riau")
    page.get_by_role("link", name="Akta Kilat Kelurahan").click()
    page.get_by_role("button", name="Publish").click()
    page.get_by_text("Published.").first.wait_for()
    sign_out(page)

    innovation.refresh_from_db()
    assert innovation.status == "published"
    assert "12.000 warga" in innovation.significance

    # The public finds it in search and opens it; the evidence is public now that it is published.
    page.goto("/")
    page.get_by_label("Search innovations").fill("AKILAT")
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_url("**/inovasi/?**")
    page.get_by_role("link", name="Akta Kilat Kelurahan").first.click()
    page.wait_for_url(f"**/inovasi/{innovation.slug}/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Akta Kilat Kelurahan")
    assert "12.000 warga" in page.content()
    response = page.request.get(f"/bukti/{evidence.pk}/")
    assert response.status == 200 and response.headers["content-type"] == "image/png"
