"""Builders for workflow tests: innovations in every state, evidence files, access requests."""

import datetime
import io
import itertools

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from innovations.models import Evidence, Innovation, InnovationRevision
from jipp.accounts.models import AccessRequest

_counter = itertools.count(1)

COMPLETE = {
    "summary": "Warga mengurus akta kelahiran dari kelurahan tanpa antre di kantor dinas.",
    "background": "Antrean panjang di kantor dinas.",
    "novelty": "Layanan jemput bola.",
    "implementation": "Petugas kelurahan memindai berkas dan mengirimkannya.",
    "significance": "Waktu layanan turun dari 14 hari menjadi 3 hari.",
    "form": "public_service",
    "kind": "digital",
    "sector": "population",
    "stage": "implemented",
    "initiator": "agency",
    "started_on": datetime.date(2022, 3, 1),
}


def make_innovation(agency, *, status="draft", by=None, complete=True, **fields):
    n = next(_counter)
    values = {**(COMPLETE if complete else {"summary": ""}), **fields}
    values.setdefault("name", f"Inovasi Uji {n}")
    now = timezone.now()
    innovation = Innovation(
        agency=agency, slug=f"inovasi-uji-{n}-{agency.pk}", created_by=by, status=status, **values
    )
    if status in ("submitted", "published", "archived", "returned"):
        innovation.submitted_at = now - datetime.timedelta(days=2)
        innovation.submitted_by = by
    if status in ("published", "archived"):
        innovation.published_at = now - datetime.timedelta(days=1)
        innovation.last_confirmed_on = timezone.localdate()
    if status == "returned":
        innovation.review_comment = "Lengkapi data signifikansi."
    innovation.save()
    return innovation


def make_revision(innovation, *, by=None, status="draft", **data):
    return InnovationRevision.objects.create(
        innovation=innovation,
        created_by=by,
        submitted_by=by if status == "submitted" else None,
        submitted_at=timezone.now() if status == "submitted" else None,
        status=status,
        data=data or {"name": innovation.name + " (diperbarui)"},
    )


def png_bytes(size=(8, 8), color=(200, 30, 30)):
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


def pdf_bytes():
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def upload(name="foto.png", content=None, content_type="image/png"):
    return SimpleUploadedFile(name, png_bytes() if content is None else content, content_type=content_type)


def make_evidence(innovation, *, revision=None, title="SK Tim Inovasi"):
    evidence = Evidence(
        innovation=innovation,
        revision=revision,
        title=title,
        content_type="image/png",
        size=10,
        original_name="a.png",
    )
    evidence.file.save("bukti.png", ContentFile(png_bytes()), save=False)
    evidence.save()
    return evidence


def make_access_request(user, agency, **fields):
    return AccessRequest.objects.create(
        user=user, agency=agency, position=fields.pop("position", "Staf"), **fields
    )
