"""Hub pages: the public page, and editing confined to the hub's own officers, every change audited."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from hubs.models import HubDocument, HubEvent, HubTeamMember
from jipp.models import AuditEntry, Hub, University
from tests.hubs.conftest import make_innovation

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def png_bytes(size=(4, 4)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "green").save(buffer, "PNG")
    return buffer.getvalue()


def test_public_hub_page_shows_team_universities_documents_events_and_figures(coverage_world, client):
    w = coverage_world
    HubTeamMember.objects.create(hub=w.hub_riau, name="Siti Aminah", role="Ketua Tim Pelaksana")
    HubTeamMember.objects.create(hub=w.hub_riau, name="Tersembunyi", role="Anggota", is_published=False)
    HubTeamMember.objects.create(hub=w.hub_riau, name="Dihapus", role="Anggota", is_removed=True)
    HubDocument.objects.create(
        hub=w.hub_riau,
        title="Pergub Riau tentang Hub JIPP",
        number="12 Tahun 2022",
        link="https://jdih.example.id/",
    )
    HubEvent.objects.create(
        hub=w.hub_riau,
        kind="socialisation",
        title="Sosialisasi replikasi inovasi",
        held_on=datetime.date(2026, 2, 10),
        place="Aula Kantor Gubernur",
        summary="Dihadiri 12 kabupaten/kota.",
    )
    response = client.get(reverse("hub_detail", kwargs={"slug": "riau"}))
    content = response.content.decode()
    assert "Siti Aminah" in content and "Ketua Tim Pelaksana" in content
    assert "Tersembunyi" not in content and "Dihapus" not in content
    assert "Universitas Riau" in content
    assert "Pergub Riau tentang Hub JIPP" in content and "12 Tahun 2022" in content
    assert "Sosialisasi replikasi inovasi" in content and "Aula Kantor Gubernur" in content
    assert str(w.items.pekanbaru_published) in content
    assert str(w.items.siak_draft) not in content  # drafts never on a public page
    assert response.context["coverage"] == {"agencies": 4, "covered": 2, "share": 50.0}
    assert response.context["province_figures"] == {"innovations": 2}
    assert not response.context["can_edit"]


def test_hub_page_runs_a_constant_number_of_queries(coverage_world, client, django_assert_max_num_queries):
    w = coverage_world
    client.get(reverse("hub_detail", kwargs={"slug": "riau"}))
    for n in range(5):
        HubEvent.objects.create(hub=w.hub_riau, title=f"E{n}", held_on=datetime.date(2026, 1, 1), place="P")
        make_innovation(w.pekanbaru)
    with django_assert_max_num_queries(9):
        client.get(reverse("hub_detail", kwargs={"slug": "riau"}))


def test_officer_adds_an_event_and_it_is_audited(world, client):
    client.force_login(world.officer_riau)
    response = client.post(
        reverse("hub_event_add", kwargs={"slug": "riau"}),
        {
            "kind": "workshop",
            "title": "Lokakarya ATM",
            "held_on": "2026-03-05",
            "place": "Siak",
            "summary": "Amati, tiru, modifikasi.",
        },
    )
    assert response.status_code == 302
    event = HubEvent.objects.get(hub=world.hub_riau)
    assert (event.title, event.created_by) == ("Lokakarya ATM", world.officer_riau)
    entry = AuditEntry.for_object(event).get()
    assert (entry.action, entry.actor) == ("hubevent_added", world.officer_riau)


def test_officer_edits_and_removes_a_team_member_without_deleting_it(world, client):
    member = HubTeamMember.objects.create(hub=world.hub_riau, name="Budi", role="Anggota")
    client.force_login(world.officer_riau)
    url = reverse("hub_team_edit", kwargs={"slug": "riau", "pk": member.pk})
    data = {"name": "Budi Santoso", "role": "Sekretaris", "organisation": "", "order": "2"}
    assert client.post(url, data).status_code == 302
    member.refresh_from_db()
    assert (member.name, member.role, member.is_published) == ("Budi Santoso", "Sekretaris", False)
    remove = reverse("hub_item_remove", kwargs={"slug": "riau", "kind": "team", "pk": member.pk})
    assert client.post(remove).status_code == 302
    member.refresh_from_db()
    assert member.is_removed
    actions = sorted(AuditEntry.for_object(member).values_list("action", flat=True))
    assert actions == ["hubteammember_changed", "hubteammember_removed"]


def test_officer_adds_new_and_existing_partner_universities(world, client):
    other = University.objects.create(name="Universitas Lancang Kuning", slug="unilak", province=world.riau)
    client.force_login(world.officer_riau)
    url = reverse("hub_university_add", kwargs={"slug": "riau"})
    assert client.post(url, {"university": other.pk}).status_code == 302
    assert client.post(url, {"name": "Universitas Islam Riau", "website": "uir.ac.id"}).status_code == 302
    names = set(world.hub_riau.universities.values_list("name", flat=True))
    assert names == {"Universitas Riau", "Universitas Lancang Kuning", "Universitas Islam Riau"}
    assert University.objects.get(name="Universitas Islam Riau").website == "https://uir.ac.id"
    # Both at once, or neither, is refused with a message.
    response = client.post(url, {"university": "", "name": ""})
    assert response.status_code == 400
    assert AuditEntry.for_object(world.hub_riau).filter(action="university_added").count() == 2


@pytest.mark.parametrize("user", ["officer_bali", "staff_pekanbaru", "ministry", "outsider"])
def test_nobody_but_the_hubs_own_officers_can_edit_it(world, client, user):
    member = HubTeamMember.objects.create(hub=world.hub_riau, name="Budi", role="Anggota")
    client.force_login(getattr(world, user))
    posts = [
        (reverse("hub_manage", kwargs={"slug": "riau"}), {"description": "Diubah"}),
        (
            reverse("hub_event_add", kwargs={"slug": "riau"}),
            {"title": "X", "held_on": "2026-01-01", "place": "Y"},
        ),
        (reverse("hub_team_edit", kwargs={"slug": "riau", "pk": member.pk}), {"name": "X", "role": "Y"}),
        (reverse("hub_item_remove", kwargs={"slug": "riau", "kind": "team", "pk": member.pk}), {}),
        (reverse("hub_university_add", kwargs={"slug": "riau"}), {"name": "Universitas Palsu"}),
        (reverse("hub_university_remove", kwargs={"slug": "riau", "pk": world.unri.pk}), {}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    world.hub_riau.refresh_from_db()
    member.refresh_from_db()
    assert world.hub_riau.description == ""
    assert (member.name, member.is_removed) == ("Budi", False)
    assert not HubEvent.objects.exists()
    assert list(world.hub_riau.universities.all()) == [world.unri]


def test_bali_officer_cannot_reach_a_riau_item_through_the_bali_hub(world, client):
    member = HubTeamMember.objects.create(hub=world.hub_riau, name="Budi", role="Anggota")
    client.force_login(world.officer_bali)
    url = reverse("hub_team_edit", kwargs={"slug": "bali", "pk": member.pk})
    assert client.post(url, {"name": "X", "role": "Y", "order": "0"}).status_code == 404
    remove = reverse("hub_item_remove", kwargs={"slug": "bali", "kind": "team", "pk": member.pk})
    assert client.post(remove).status_code == 404
    member.refresh_from_db()
    assert (member.name, member.is_removed) == ("Budi", False)


def test_officer_uploads_a_pdf_document_stored_under_a_random_name(world, client):
    client.force_login(world.officer_riau)
    upload = SimpleUploadedFile("<script>.html", PDF, content_type="text/html")
    response = client.post(
        reverse("hub_document_add", kwargs={"slug": "riau"}),
        {
            "kind": "decree",
            "title": "SK Tim Pelaksana",
            "number": "188/2022",
            "issued_on": "2022-03-01",
            "upload": upload,
        },
    )
    assert response.status_code == 302
    document = HubDocument.objects.get()
    assert document.content_type == "application/pdf"
    assert document.file.name.startswith("hub-documents/") and document.file.name.endswith(".pdf")
    assert "script" not in document.file.name
    assert document.original_name == "<script>.html"
    served = client.get(reverse("hub_document_file", kwargs={"slug": "riau", "pk": document.pk}))
    assert served["Content-Type"] == "application/pdf"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert b"".join(served.streaming_content) == PDF
    assert AuditEntry.for_object(document).get().action == "hubdocument_added"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "page.html",
            b"<html><script>alert(1)</script></html>",
            "Only PDF documents and JPEG, PNG or WebP images",
        ),
        (
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>',
            "Only PDF documents and JPEG, PNG or WebP images",
        ),
        ("fake.png", b"\x89PNG\r\n\x1a\n" + b"not really", "could not be read"),
        ("cut.pdf", b"%PDF-1.4\n1 0 obj", "damaged or incomplete"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_documents_are_refused_by_content(world, client, name, content, message):
    client.force_login(world.officer_riau)
    response = client.post(
        reverse("hub_document_add", kwargs={"slug": "riau"}),
        {
            "kind": "other",
            "title": "X",
            "upload": SimpleUploadedFile(name, content, content_type="application/pdf"),
        },
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not HubDocument.objects.exists()


def test_a_png_is_accepted_and_a_document_needs_a_file_or_a_link(world, client):
    client.force_login(world.officer_riau)
    url = reverse("hub_document_add", kwargs={"slug": "riau"})
    response = client.post(url, {"kind": "other", "title": "Tanpa berkas"})
    assert response.status_code == 400
    assert "Upload a file or give a link." in response.content.decode()
    png = SimpleUploadedFile("foto.png", png_bytes(), content_type="image/png")
    assert client.post(url, {"kind": "other", "title": "Foto", "upload": png}).status_code == 302
    assert HubDocument.objects.get().file.name.endswith(".png")


def test_removed_documents_are_no_longer_served(world, client):
    document = HubDocument.objects.create(
        hub=world.hub_riau, title="Lama", link="https://example.id/", is_removed=True
    )
    response = client.get(reverse("hub_document_file", kwargs={"slug": "riau", "pk": document.pk}))
    assert response.status_code == 404


def test_ministry_designates_a_hub_and_changes_its_status(world, client):
    from jipp.models import Province

    maluku = Province.objects.create(code="81", name="Maluku", slug="maluku")
    client.force_login(world.ministry)
    response = client.post(
        reverse("hub_designate"),
        {"province": maluku.pk, "name": "Hub JIPP Maluku", "year_designated": "2021", "status": "pilot"},
    )
    assert response.status_code == 302
    hub = Hub.objects.get(province=maluku)
    assert (hub.slug, hub.status) == ("maluku", "pilot")
    assert AuditEntry.for_object(hub).get().action == "hub_designated"

    response = client.post(
        reverse("hub_status", kwargs={"slug": "maluku"}), {"status": "active", "comment": "Siap"}
    )
    assert response.status_code == 302
    hub.refresh_from_db()
    assert hub.status == "active"
    entry = AuditEntry.for_object(hub).filter(action="hub_status").get()
    assert (entry.from_state, entry.to_state, entry.comment) == ("pilot", "active", "Siap")

    assert (
        client.post(reverse("hub_status", kwargs={"slug": "maluku"}), {"status": "bogus"}).status_code == 400
    )


def test_a_province_with_a_hub_cannot_be_designated_again(world, client):
    client.force_login(world.ministry)
    response = client.post(
        reverse("hub_designate"),
        {"province": world.riau.pk, "name": "Hub Kedua", "year_designated": "2022", "status": "active"},
    )
    assert response.status_code == 400
    assert Hub.objects.filter(province=world.riau).count() == 1


def test_officers_cannot_change_a_hubs_status(world, client):
    client.force_login(world.officer_riau)
    assert (
        client.post(reverse("hub_status", kwargs={"slug": "riau"}), {"status": "inactive"}).status_code == 403
    )
    world.hub_riau.refresh_from_db()
    assert world.hub_riau.status == "active"


def test_hub_page_lists_public_replications_only_with_links_to_their_public_pages(coverage_world, client):
    from tests.hubs.test_statistics import make_request

    w = coverage_world
    shown = make_request(
        w, w.items.denpasar_1, w.pekanbaru, hub=w.hub_riau, status="approved", decided_after=2
    )
    hidden = make_request(w, w.items.denpasar_2, w.siak, hub=w.hub_riau)  # undecided interest
    content = client.get(reverse("hub_detail", kwargs={"slug": "riau"})).content.decode()
    assert reverse("replication:public_detail", kwargs={"pk": shown.pk}) in content
    assert reverse("replication:public_detail", kwargs={"pk": hidden.pk}) not in content
    assert "DPMPTSP Kabupaten Siak" not in content
