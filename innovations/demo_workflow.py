"""Demo records for the workspace and review queues: an innovation in every workflow state and a pending
access request, so each dashboard has something to show in ``make run``.

Idempotent (keyed on slugs and user names). Runs after ``jipp.demo`` (accounts, agencies) and
``innovations.demo``, which calls it.
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from innovations.models import Evidence, Innovation, InnovationRevision
from jipp.accounts import services as account_services
from jipp.accounts.models import AccessRequest
from jipp.demo import DEMO_PASSWORD
from jipp.models import Agency, AuditEntry

BODY = {
    "background": "Warga harus datang berkali-kali ke kantor dinas dan antre sejak subuh.",
    "novelty": "Layanan dibawa ke kelurahan dan desa; berkas dipindai dan diverifikasi daring.",
    "implementation": "Petugas kelurahan dilatih; berkas dikirim lewat aplikasi; dokumen diantar ke rumah.",
    "significance": "Waktu layanan turun dari 14 hari menjadi 3 hari; 12.000 warga terlayani pada 2024.",
    "adaptability": "Butuh petugas terlatih di tiap kelurahan, pemindai, dan jaringan internet.",
    "resources": "APBD dinas; dua petugas per kelurahan.",
    "sustainability": "Diatur dalam Peraturan Wali Kota; masuk rencana kerja tahunan.",
    "beneficiaries": "Warga, terutama lansia dan penyandang disabilitas.",
    "form": "public_service",
    "kind": "digital",
    "initiator": "agency",
    "stage": "implemented",
}

# (slug, name, acronym, agency slug prefix, staff user, state, sector, days since submitted)
RECORDS = [
    (
        "demo-sidukun-keliling",
        "Si Dukun Keliling",
        "SIDUKUN",
        "dinas-kependudukan-dan-pencatatan-sipil-kota-pekanbaru",
        "staf.pekanbaru",
        "draft",
        "population",
        None,
    ),
    (
        "demo-izin-kilat-siak",
        "Izin Kilat Siak",
        "IKS",
        "dinas-penanaman-modal-dan-ptsp-kabupaten-siak",
        "staf.siak",
        "submitted",
        "licensing",
        6,
    ),
    (
        "demo-akta-antar-pekanbaru",
        "Akta Antar ke Rumah",
        "AKTARU",
        "dinas-kependudukan-dan-pencatatan-sipil-kota-pekanbaru",
        "staf.pekanbaru",
        "submitted",
        "population",
        2,
    ),
    (
        "demo-kia-sekolah",
        "KIA Masuk Sekolah",
        "KIAS",
        "dinas-kependudukan-dan-pencatatan-sipil-kota-pekanbaru",
        "staf.pekanbaru",
        "returned",
        "population",
        9,
    ),
    (
        "demo-taring-denpasar",
        "Layanan Taring Banjar",
        "TARING",
        "dinas-kependudukan-dan-pencatatan-sipil-kota-denpasar",
        "staf.denpasar",
        "published_with_edit",
        "population",
        20,
    ),
    (
        "demo-pontianak-jemput-bola",
        "Jemput Bola Adminduk",
        "JEBOL",
        "dinas-kependudukan-dan-pencatatan-sipil-kota-pontianak",
        "staf.pontianak",
        "due",
        "population",
        500,
    ),
]

# 1x1 PNG, a harmless evidence file for the demo.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cff00f0005000201a5f64fd1"
    "0000000049454e44ae426082"
)


def seed(context=None):
    User = get_user_model()
    now = timezone.now()
    users = {
        u.username: u
        for u in User.objects.filter(username__in=[r[4] for r in RECORDS] + ["petugas.riau", "petugas.bali"])
    }
    if len(users) < 6:
        raise RuntimeError("Run jipp.demo first (accounts).")
    created = []
    for slug, name, acronym, agency_prefix, username, state, sector, days in RECORDS:
        agency = Agency.objects.filter(slug__startswith=agency_prefix).first()
        if agency is None or Innovation.objects.filter(slug=slug).exists():
            continue
        staff = users[username]
        submitted_at = now - datetime.timedelta(days=days) if days else None
        status = {"published_with_edit": "published", "due": "published"}.get(state, state)
        innovation = Innovation.objects.create(
            slug=slug,
            name=name,
            acronym=acronym,
            agency=agency,
            summary=f"{name}: layanan administrasi kependudukan yang mendatangi warga. Data contoh.",
            sector=sector,
            started_on=datetime.date(2021, 7, 1),
            sdgs=[16, 10],
            is_sample=True,
            created_by=staff,
            status=status,
            submitted_at=submitted_at,
            submitted_by=staff if submitted_at else None,
            published_at=submitted_at + datetime.timedelta(days=1) if status == "published" else None,
            last_confirmed_on=(now - datetime.timedelta(days=400)).date() if state == "due" else None,
            review_comment="Lengkapi angka hasil (sebelum dan sesudah) dan lampirkan SK tim."
            if state == "returned"
            else "",
            **{k: v for k, v in BODY.items() if not (state == "draft" and k in ("significance", "form"))},
        )
        AuditEntry.record(innovation, actor=staff, action="create", to_state="draft")
        if submitted_at:
            AuditEntry.record(
                innovation, actor=staff, action="submit", from_state="draft", to_state="submitted"
            )
        officer = users["petugas.bali"] if "denpasar" in slug else users["petugas.riau"]
        if state == "returned":
            AuditEntry.record(
                innovation,
                actor=officer,
                action="return",
                from_state="submitted",
                to_state="returned",
                comment=innovation.review_comment,
            )
        if status == "published":
            AuditEntry.record(
                innovation, actor=officer, action="publish", from_state="submitted", to_state="published"
            )
        if state == "published_with_edit":
            InnovationRevision.objects.create(
                innovation=innovation,
                created_by=staff,
                submitted_by=staff,
                submitted_at=now - datetime.timedelta(days=1),
                status="submitted",
                data={"significance": BODY["significance"] + " Pada 2025: 18.500 warga."},
            )
            AuditEntry.record(innovation, actor=staff, action="submit_edit", to_state="edit:submitted")
        if state != "draft":
            evidence = Evidence(
                innovation=innovation,
                title="Foto kegiatan (contoh)",
                content_type="image/png",
                size=len(PNG),
                original_name="foto.png",
                uploaded_by=staff,
            )
            from django.core.files.base import ContentFile

            evidence.file.save("demo.png", ContentFile(PNG), save=False)
            evidence.save()
        created.append(innovation)

    applicant, new = User.objects.get_or_create(
        username="calon.staf",
        defaults={"first_name": "Nur", "last_name": "Aini", "email": "calon.staf@demo.jipp.example.id"},
    )
    if new:
        applicant.set_password(DEMO_PASSWORD)
        applicant.save()
    health = Agency.objects.filter(slug__startswith="dinas-kesehatan-kota-pekanbaru").first()
    if health and not AccessRequest.objects.filter(user=applicant).exists():
        request = AccessRequest.objects.create(
            user=applicant,
            agency=health,
            position="Pranata Komputer",
            message="Atasan langsung: Kepala Bidang Pelayanan Kesehatan.",
        )
        AccessRequest.objects.filter(pk=request.pk).update(created_at=now - datetime.timedelta(days=3))
        AuditEntry.record(request, actor=applicant, action="request_access", to_state="pending")
    # A second applicant whose unit is not in the directory: she proposes it under its government, and
    # the Riau hub decides both together.
    proposer, new = User.objects.get_or_create(
        username="calon.unit",
        defaults={"first_name": "Rina", "last_name": "Marlina", "email": "calon.unit@demo.jipp.example.id"},
    )
    if new:
        proposer.set_password(DEMO_PASSWORD)
        proposer.save()
    government = Agency.objects.governments().listed().filter(directory_key="regency:14.71").first()
    if government and not AccessRequest.objects.filter(user=proposer).exists():
        request = account_services.request_access(
            user=proposer,
            agency=government,
            new_unit_name="UPT Puskesmas Rejosari Kota Pekanbaru",
            position="Kepala Tata Usaha",
            message="Unit kami belum ada di daftar. Atasan langsung: Kepala UPT Puskesmas Rejosari.",
            notify=False,
        )
        AccessRequest.objects.filter(pk=request.pk).update(created_at=now - datetime.timedelta(days=1))
    accounts = list((context or {}).get("accounts", []))
    if not any(a[0] == "calon.staf" for a in accounts):
        accounts.append(("calon.staf", "applicant", "waiting for access"))
    if not any(a[0] == "calon.unit" for a in accounts):
        accounts.append(("calon.unit", "applicant", "proposed a new unit"))
    return {"workflow_innovations": created, "accounts": accounts}
