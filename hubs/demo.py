"""Demo content of the hub pages: teams, partner universities, regulations and events.

Runs LAST in ``seed_demo`` (after the innovation and replication demos), so the statistics, coverage and
monitoring pages have everything to show. Idempotent: rows are found by natural keys before creating.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.text import slugify

from hubs.models import HubDocument, HubEvent, HubTeamMember
from jipp.models import Hub, University

# Team as the hub presents it: (name, role, organisation)
TEAM = [
    ("Kepala Biro Organisasi", "Penanggung jawab", "Sekretariat Daerah Provinsi"),
    ("Koordinator Hub", "Ketua Tim Pelaksana", "Biro Organisasi"),
    ("Analis Kebijakan", "Sekretaris", "Biro Organisasi"),
    ("Akademisi Pendamping", "Anggota, pendampingan replikasi", None),  # organisation: first partner
]
EXTRA_UNIVERSITIES = {
    "14": ["Universitas Islam Riau"],
    "51": ["Universitas Pendidikan Ganesha"],
    "61": ["Politeknik Negeri Pontianak"],
}
# (kind, title, place, summary, months ago)
EVENTS = [
    (
        HubEvent.Kind.SOCIALISATION,
        "Sosialisasi Satu Instansi, Satu Inovasi",
        "Aula Kantor Gubernur",
        "Perangkat daerah kabupaten/kota diperkenalkan pada portal JIPP dan cara mendaftarkan inovasi.",
        0,
    ),
    (
        HubEvent.Kind.WORKSHOP,
        "Lokakarya rencana adaptasi ATM (amati, tiru, modifikasi)",
        "Gedung Daerah",
        "Replikator menyusun rencana adaptasi bersama mentor dari perguruan tinggi mitra.",
        1,
    ),
    (
        HubEvent.Kind.KNOWLEDGE_EXCHANGE,
        "Temu berbagi pengetahuan antar-instansi",
        "Daring",
        "Instansi asal membagikan pengalaman penerapan inovasi kepada calon replikator.",
        3,
    ),
    (
        HubEvent.Kind.SOCIALISATION,
        "Sosialisasi kepada kabupaten/kota",
        "Kantor Bupati",
        "Pengenalan jaringan inovasi dan layanan pendampingan hub.",
        7,
    ),
]
DOCUMENTS = [
    (
        HubDocument.Kind.REGULATION,
        "Peraturan Gubernur tentang Hub Jaringan Inovasi Pelayanan Publik",
        "12 Tahun 2022",
    ),
    (HubDocument.Kind.DECREE, "Keputusan Gubernur tentang Tim Pelaksana Hub JIPP", "188.4/2022"),
    (HubDocument.Kind.GUIDELINE, "Pedoman pendampingan replikasi inovasi", ""),
]
SAMPLE_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _months_ago(today, months):
    index = today.year * 12 + today.month - 1 - months
    return datetime.date(index // 12, index % 12 + 1, min(today.day, 15))


def seed(context=None):
    today = timezone.localdate()
    officer = get_user_model().objects.filter(username="petugas.riau").first()
    for hub in Hub.objects.select_related("province"):
        partners = list(hub.universities.all())
        for name in EXTRA_UNIVERSITIES.get(hub.province.code, []):
            university, _ = University.objects.get_or_create(
                slug=slugify(name), defaults={"name": name, "province": hub.province}
            )
            hub.universities.add(university)
        for order, (name, role, organisation) in enumerate(TEAM):
            HubTeamMember.objects.get_or_create(
                hub=hub,
                role=role,
                defaults={
                    "name": f"{name} {hub.province.name}",
                    "organisation": organisation or (partners[0].name if partners else ""),
                    "order": order,
                },
            )
        # Inactive hubs stopped holding events: their page shows older ones only.
        for kind, title, place, summary, months in EVENTS:
            if hub.status == Hub.Status.INACTIVE and months < 6:
                continue
            HubEvent.objects.get_or_create(
                hub=hub,
                title=title,
                defaults={
                    "kind": kind,
                    "held_on": _months_ago(today, months),
                    "place": f"{place}, {hub.province.name}",
                    "summary": summary,
                    "created_by": officer if hub.province.code == "14" else None,
                },
            )
        for index, (kind, title, number) in enumerate(DOCUMENTS):
            if HubDocument.objects.filter(hub=hub, title=title).exists():
                continue
            document = HubDocument(
                hub=hub,
                kind=kind,
                title=title,
                number=number,
                issued_on=datetime.date(hub.year_designated, 3 + index, 1),
            )
            if index == 0:
                document.link = "https://jdih.menpan.go.id/"
            else:
                document.content_type, document.size = "application/pdf", len(SAMPLE_PDF)
                document.original_name = "contoh.pdf"
                document.file.save("contoh.pdf", ContentFile(SAMPLE_PDF), save=False)
            document.save()
    return {}
