"""Evidence uploads: every way a file is refused, and what is stored and served when it is accepted."""

import io
import struct
import zlib

import pytest
from django.urls import reverse
from PIL import Image

from innovations import uploads
from innovations.models import Evidence
from jipp.models import AuditEntry
from tests.workflow.helpers import make_evidence, make_innovation, pdf_bytes, png_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(world):
    return make_innovation(world.pekanbaru, by=world.staff_pekanbaru)


def post_file(client, innovation, name, content, content_type="application/octet-stream"):
    innovation.refresh_from_db()
    return client.post(
        reverse("innovations:evidence_add", args=[innovation.pk]),
        {"version": innovation.version, "title": "Bukti", "file": upload(name, content, content_type)},
    )


def png_bomb(width=20000, height=20000):
    """A tiny PNG whose header claims 400 megapixels (the pixel data is a few kilobytes of zeros)."""
    raw = zlib.compress(b"\x00" * (1 + width) * 10)

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def _assert_refused(response, innovation, text):
    assert response.status_code == 400
    assert text in response.content.decode()
    assert not Evidence.objects.filter(innovation=innovation).exists()
    assert not AuditEntry.for_object(innovation).filter(action="add_evidence").exists()


REJECTIONS = [
    ("wrong type by content (a ZIP named .png)", "foto.png", b"PK\x03\x04" + b"\x00" * 100, "image/png"),
    (
        "an HTML file named .pdf",
        "laporan.pdf",
        b"<!doctype html><script>alert(1)</script>",
        "application/pdf",
    ),
    (
        "an SVG",
        "logo.svg",
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>',
        "image/svg+xml",
    ),
    ("an SVG named .png", "logo.png", b'<svg xmlns="http://www.w3.org/2000/svg"></svg>', "image/png"),
    ("a text file", "catatan.txt", b"hello", "text/plain"),
]


@pytest.mark.parametrize(
    ("name", "content", "content_type"), [r[1:] for r in REJECTIONS], ids=[r[0] for r in REJECTIONS]
)
def test_upload_of_the_wrong_type_by_content_is_refused(world, client, draft, name, content, content_type):
    client.force_login(world.staff_pekanbaru)
    _assert_refused(post_file(client, draft, name, content, content_type), draft, "PDF")


def test_upload_too_big_is_refused(world, client, draft):
    client.force_login(world.staff_pekanbaru)
    big = b"%PDF-1.4\n" + b"0" * uploads.MAX_BYTES + b"\n%%EOF\n"
    response = post_file(client, draft, "besar.pdf", big, "application/pdf")
    _assert_refused(response, draft, "10 MB")


def test_a_decompression_bomb_is_refused(world, client, draft):
    client.force_login(world.staff_pekanbaru)
    _assert_refused(post_file(client, draft, "bom.png", png_bomb(), "image/png"), draft, "40")


def test_a_damaged_image_is_refused(world, client, draft):
    client.force_login(world.staff_pekanbaru)
    _assert_refused(post_file(client, draft, "rusak.png", png_bytes()[:40], "image/png"), draft, "")


def test_the_twenty_first_file_is_refused(world, client, draft):
    for n in range(uploads.MAX_FILES_PER_INNOVATION):
        make_evidence(draft, title=f"Bukti {n}")
    client.force_login(world.staff_pekanbaru)
    response = post_file(client, draft, "satu-lagi.png", png_bytes(), "image/png")
    assert response.status_code == 400
    assert "20" in response.content.decode()
    assert draft.evidence.count() == uploads.MAX_FILES_PER_INNOVATION


def test_a_tampered_version_changes_nothing(world, client, draft):
    client.force_login(world.staff_pekanbaru)
    response = client.post(
        reverse("innovations:evidence_add", args=[draft.pk]),
        {"version": draft.version + 5, "title": "Bukti", "file": upload("a.png", png_bytes(), "image/png")},
    )
    assert response.status_code == 409
    assert not draft.evidence.exists()


def test_an_accepted_image_is_re_encoded_under_a_random_name(world, client, draft):
    image = Image.new("RGB", (10, 10), (0, 128, 0))
    out = io.BytesIO()
    image.save(out, "JPEG", comment=b"<script>alert(1)</script>")
    payload = out.getvalue() + b"<html>trailing payload</html>"
    client.force_login(world.staff_pekanbaru)
    response = post_file(client, draft, "../../etc/passwd.jpg", payload, "text/html")
    assert response.status_code == 302
    evidence = draft.evidence.get()
    assert evidence.content_type == "image/jpeg"
    assert "passwd" not in evidence.file.name and evidence.file.name.startswith("evidence/")
    stored = evidence.file.read()
    assert b"<script>" not in stored and b"trailing payload" not in stored
    assert Image.open(io.BytesIO(stored)).size == (10, 10)
    assert AuditEntry.for_object(draft).filter(action="add_evidence").count() == 1


def test_pdf_is_served_as_an_attachment_with_nosniff(world, client, draft):
    client.force_login(world.staff_pekanbaru)
    assert post_file(client, draft, "sk.pdf", pdf_bytes(), "application/pdf").status_code == 302
    evidence = draft.evidence.get()
    response = client.get(reverse("innovations:evidence_download", args=[evidence.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Cache-Control"] == "private, no-store"


def test_draft_evidence_is_hidden_from_the_public_and_other_agencies(world, client, draft):
    evidence = make_evidence(draft)
    url = reverse("innovations:evidence_download", args=[evidence.pk])
    assert client.get(url).status_code == 404
    client.force_login(world.staff_denpasar)
    assert client.get(url).status_code == 404
    client.force_login(world.officer_riau)  # officers do not see drafts
    assert client.get(url).status_code == 404
    client.force_login(world.staff_pekanbaru)
    assert client.get(url).status_code == 200


def test_removing_evidence_is_soft_and_audited(world, client, draft):
    evidence = make_evidence(draft)
    client.force_login(world.staff_pekanbaru)
    draft.refresh_from_db()
    response = client.post(
        reverse("innovations:evidence_remove", args=[draft.pk, evidence.pk]), {"version": draft.version}
    )
    assert response.status_code == 302
    evidence.refresh_from_db()
    assert evidence.is_removed and evidence.file.name  # the row and the file stay
    assert AuditEntry.for_object(draft).filter(action="remove_evidence").count() == 1
