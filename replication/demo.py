"""Demo replications: one request in every stage, and a lineage three deep
(Denpasar's innovation → adapted by Pekanbaru → adapted again by Pontianak).

Idempotent: source innovations are found by slug, and a request is made only when its (innovation,
agency) pair has none yet. Everything goes through the real transitions and services, so the stage
dates, audit trail and adapted drafts are what the portal would produce. The innovations created here
are marked ``is_sample``. Adapted innovations are published directly (the review workflow is not this
app's), and ``replication_count`` is refreshed for every source.
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from innovations.models import Innovation
from jipp.models import Agency
from replication import services
from replication.models import ReplicationRequest

S = ReplicationRequest.Status

# (slug, name, acronym, agency slug prefix, sector, kind, summary)
SOURCES = {
    "s1": (
        "sampel-jemput-bola-adminduk-denpasar",
        "Jemput Bola Administrasi Kependudukan",
        "JEMPOL",
        "dinas-kependudukan-dan-pencatatan-sipil-kota-denpasar",
        "population",
        "non_digital",
        "Petugas mendatangi banjar dan desa untuk merekam KTP-el dan menerbitkan akta, "
        "sehingga warga lanjut usia dan difabel tidak perlu datang ke kantor.",
    ),
    "s2": (
        "sampel-antrean-puskesmas-daring-pekanbaru",
        "Antrean Puskesmas Daring",
        "ANTRE-SEHAT",
        "dinas-kesehatan-kota-pekanbaru",
        "health",
        "digital",
        "Warga mengambil nomor antrean puskesmas lewat aplikasi dan pesan singkat; "
        "waktu tunggu turun dari dua jam menjadi tiga puluh menit.",
    ),
    "s3": (
        "sampel-posyandu-remaja-kubu-raya",
        "Posyandu Remaja",
        "POSREM",
        "dinas-kesehatan-kabupaten-kubu-raya",
        "health",
        "non_digital",
        "Kader remaja memantau gizi dan kesehatan reproduksi teman sebaya setiap bulan di desa.",
    ),
}

PLAN = {
    "observed": "Kami mempelajari alur layanan, SOP dan hasilnya dalam kunjungan kerja.",
    "adopted": "Alur layanan dan formulir standar.",
    "modified": "Jadwal dan sarana disesuaikan dengan wilayah kami yang luas dan sinyal yang terbatas.",
    "local_need": "Banyak warga tinggal jauh dari kantor layanan; sebagian besar bekerja di kebun dan laut.",
    "resources": "Tiga petugas, satu kendaraan operasional, anggaran dari APBD perubahan.",
    "timeline": "Uji coba tiga bulan, penerapan penuh pada bulan keenam.",
}

# (key, source key, requesting agency slug, requester username, target status, days ago it began)
REQUESTS = [
    (
        "r1",
        "s1",
        "dinas-kependudukan-dan-pencatatan-sipil-kota-pekanbaru",
        "staf.pekanbaru",
        S.EVALUATED,
        400,
    ),
    (
        "r2",
        "a1",
        "dinas-kependudukan-dan-pencatatan-sipil-kota-pontianak",
        "staf.pontianak",
        S.EVALUATED,
        200,
    ),
    ("r3", "s1", "dinas-penanaman-modal-dan-ptsp-kabupaten-siak", "staf.siak", S.INTEREST, 45),
    ("r4", "s2", "dinas-kependudukan-dan-pencatatan-sipil-kota-denpasar", "staf.denpasar", S.APPROVED, 20),
    ("r5", "s2", "dinas-kependudukan-dan-pencatatan-sipil-kota-pontianak", "staf.pontianak", S.AGREED, 35),
    ("r6", "s3", "dinas-kependudukan-dan-pencatatan-sipil-kota-pekanbaru", "staf.pekanbaru", S.MENTORING, 90),
    (
        "r7",
        "s3",
        "dinas-kependudukan-dan-pencatatan-sipil-kota-denpasar",
        "staf.denpasar",
        S.IMPLEMENTED,
        150,
    ),
    ("r8", "s2", "dinas-penanaman-modal-dan-ptsp-kabupaten-siak", "staf.siak", S.REJECTED, 60),
    ("r9", "s3", "dinas-penanaman-modal-dan-ptsp-kabupaten-siak", "staf.siak", S.WITHDRAWN, 30),
    ("r10", "s1", "dinas-kependudukan-dan-pencatatan-sipil-kota-pontianak", "staf.pontianak", S.DECLINED, 50),
]

OFFICERS = {"14": "petugas.riau", "51": "petugas.bali", "61": "petugas.kalbar"}
ORDER = [S.INTEREST, S.APPROVED, S.AGREED, S.MENTORING, S.IMPLEMENTED, S.EVALUATED]


def _source(key, now):
    slug, name, acronym, agency_slug, sector, kind, summary = SOURCES[key]
    agency = Agency.objects.get(slug=agency_slug)
    innovation, _ = Innovation.objects.get_or_create(
        slug=slug,
        defaults={
            "name": name,
            "acronym": acronym,
            "agency": agency,
            "summary": summary,
            "background": summary,
            "adaptability": "Membutuhkan petugas terlatih, SOP dan dukungan kepala daerah.",
            "form": "public_service",
            "kind": kind,
            "sector": sector,
            "stage": "implemented",
            "initiator": "agency",
            "started_on": datetime.date(2021, 7, 1),
            "sdgs": [3, 16] if sector == "health" else [16],
            "status": Innovation.Status.PUBLISHED,
            "published_at": now - datetime.timedelta(days=500),
            "is_sample": True,
            "contact_name": "Humas",
            "contact_email": "humas@demo.jipp.example.id",
        },
    )
    return innovation


def _publish(innovation, at):
    innovation.status = Innovation.Status.PUBLISHED
    innovation.published_at = at
    innovation.is_sample = True
    innovation.save(update_fields=["status", "published_at", "is_sample", "updated_at"])


def _advance(request, target, *, users, now, started):
    """Walk ``request`` to ``target`` through the real transitions, a few weeks per stage."""
    officer = users[OFFICERS[request.requesting_agency.province.code]]
    requester = request.requested_by
    step = max((now - started) / 6, datetime.timedelta(days=1))
    at = started
    if target == S.WITHDRAWN:
        request.withdraw(by=requester, reason="Prioritas anggaran tahun ini berubah.", now=at + step)
        return
    if target == S.REJECTED:
        request.reject(
            by=officer, reason="Rencana adaptasi belum menjelaskan kebutuhan lokal.", now=at + step
        )
        return
    for status in ORDER[1 : ORDER.index(S.APPROVED if target == S.DECLINED else target) + 1]:
        at += step
        if status == S.APPROVED:
            request.approve(by=officer, reason="Sesuai prioritas daerah dan kapasitas instansi.", now=at)
        elif status == S.AGREED:
            request.confirm_agreement(
                by=officer, note="Instansi asal bersedia berbagi SOP dan menerima kunjungan.", now=at
            )
        elif status == S.MENTORING:
            for n, topic in enumerate(("Penyusunan SOP", "Pelatihan petugas")):
                request.record_mentoring(
                    by=officer,
                    held_on=timezone.localdate(at) + datetime.timedelta(days=7 * n),
                    mentors="Tim Pelaksana Hub",
                    university=request.hub.universities.first() if request.hub else None,
                    topics=topic,
                    notes="Peserta aktif; dokumen diperbaiki bersama.",
                    follow_ups="Kirim draf SOP revisi.",
                    now=at + datetime.timedelta(days=7 * n),
                )
            request.report_progress(
                by=requester,
                reported_on=timezone.localdate(at) + datetime.timedelta(days=14),
                progress="Uji coba berjalan di dua kecamatan.",
                obstacles="Jaringan internet belum stabil.",
                next_steps="Perluasan ke seluruh kecamatan.",
                now=at + datetime.timedelta(days=14),
            )
        elif status == S.IMPLEMENTED:
            services.declare_implemented(request=request, by=requester, now=at)
        elif status == S.EVALUATED:
            request.evaluate(
                by=officer,
                outcome="successful",
                score=86,
                lessons="Keterlibatan camat dan kepala desa mempercepat penerapan.",
                now=at,
            )
    if target == S.DECLINED:
        request.decline_agreement(
            by=officer, reason="Instansi asal sedang mengganti sistemnya tahun ini.", now=at + step
        )


def seed(context=None):
    now = timezone.now()
    User = get_user_model()
    usernames = {"staf.pekanbaru", "staf.siak", "staf.pontianak", "staf.denpasar", *OFFICERS.values()}
    users = {user.username: user for user in User.objects.filter(username__in=usernames)}
    if len(users) != len(usernames):
        raise RuntimeError("Seed the network first (jipp.demo): demo accounts are missing.")
    users.update({code: users[name] for code, name in OFFICERS.items()})

    innovations = {key: _source(key, now) for key in SOURCES}
    made = {}
    for key, source_key, agency_slug, username, target, days_ago in REQUESTS:
        source = innovations[source_key]
        agency = Agency.objects.select_related("province").get(slug=agency_slug)
        existing = ReplicationRequest.objects.filter(source=source, requesting_agency=agency).first()
        if existing is None:
            started = now - datetime.timedelta(days=days_ago)
            existing = services.create_request(
                source=source,
                requesting_agency=agency,
                by=users[username],
                contact_name=users[username].get_full_name(),
                contact_email=users[username].email,
                now=started,
                **PLAN,
            )
            # A stalled request stays where it began; the others move on until a few days ago.
            end = started if target == S.INTEREST else now - datetime.timedelta(days=3)
            _advance(existing, target, users=users, now=end, started=started)
        made[key] = existing
        if key == "r1":
            # The first adaptation is published (as if reviewed) and is itself replicated by r2.
            adapted = existing.result_innovation
            if adapted.status != Innovation.Status.PUBLISHED:
                _publish(adapted, existing.evaluated_at)
            innovations["a1"] = adapted
        if key == "r2" and existing.result_innovation.status != Innovation.Status.PUBLISHED:
            _publish(existing.result_innovation, existing.evaluated_at)

    for innovation in innovations.values():
        Innovation.objects.refresh_replication_count(innovation.pk)
    return {"replication_requests": made, "replication_innovations": innovations}
