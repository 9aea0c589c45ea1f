"""Helpers for replication tests: published innovations and requests moved to any stage through the
real transitions (so every stage date and audit entry exists as in life)."""

import datetime

from django.utils import timezone

from innovations.models import Innovation
from replication import services
from replication.models import ReplicationRequest

PLAN = {
    "observed": "Warga mengurus akta kelahiran tanpa antre lewat aplikasi.",
    "adopted": "Alur layanan daring dan formulir.",
    "modified": "Layanan jemput bola untuk desa tanpa sinyal, karena akses internet terbatas.",
    "local_need": "Banyak warga di pesisir belum punya akta kelahiran.",
    "resources": "Dua operator, satu mobil layanan.",
    "timeline": "Tiga bulan uji coba, lalu penerapan.",
    "contact_name": "Dewi Lestari",
    "contact_email": "dewi@example.id",
}


def make_innovation(agency, *, name="Layanan Akta Online", status="published", replicated_from=None, **extra):
    now = timezone.now()
    slug = extra.pop("slug", None) or f"{name.lower().replace(' ', '-')}-{agency.slug}"
    return Innovation.objects.create(
        name=name,
        acronym=extra.pop("acronym", "LAO"),
        slug=slug,
        agency=agency,
        summary="Warga mengurus dokumen kependudukan dari rumah.",
        adaptability="Butuh operator dan server.",
        form="public_service",
        kind="digital",
        sector="population",
        stage="implemented",
        initiator="agency",
        started_on=datetime.date(2022, 1, 1),
        sdgs=[16],
        status=status,
        published_at=now if status == "published" else None,
        replicated_from=replicated_from,
        **extra,
    )


def make_request(source, agency, by, *, now=None, **plan):
    return services.create_request(
        source=source, requesting_agency=agency, by=by, now=now, **{**PLAN, **plan}
    )


STAGES = ["interest", "approved", "agreed", "mentoring", "implemented", "evaluated"]


def advance(request, to, *, officer, requester, origin=None, now=None):
    """Move ``request`` forward through the real transitions until it reaches ``to``."""
    origin = origin or officer
    while request.status != to:
        status = request.status
        if status == ReplicationRequest.Status.INTEREST:
            request.approve(by=officer, reason="Sesuai kebutuhan daerah.", now=now)
        elif status == ReplicationRequest.Status.APPROVED:
            request.confirm_agreement(by=origin, note="Kami siap berbagi.", now=now)
        elif status == ReplicationRequest.Status.AGREED:
            request.record_mentoring(
                by=officer,
                held_on=datetime.date(2026, 3, 1),
                mentors="Tim Hub",
                topics="Alur layanan",
                now=now,
            )
        elif status == ReplicationRequest.Status.MENTORING:
            services.declare_implemented(request=request, by=requester, now=now)
        elif status == ReplicationRequest.Status.IMPLEMENTED:
            request.evaluate(by=officer, outcome="successful", score=85, lessons="Libatkan desa.", now=now)
        else:
            raise AssertionError(f"cannot advance from {status} to {to}")
    return request
