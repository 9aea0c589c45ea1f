"""Sample imports for local runs (called by ``innovations.demo.seed``), idempotent (keyed on the file
name): the Riau hub officer's spreadsheet, checked with one refused row and one row held as a likely
duplicate of a demo record, then its valid rows imported as drafts for their agency; and a ministry
import published directly, so a public record shows where it was imported from."""

import io

from django.contrib.auth import get_user_model

from innovations import importing
from innovations.models import ImportRun, Innovation, SourceRecord

OFFICER_FILE = "contoh-impor-hub-riau.csv"
MINISTRY_FILE = "contoh-impor-kementerian.csv"
HEADER = (
    "sumber,id_sumber,nama,akronim,instansi,ringkasan,latar_belakang,implementasi,signifikansi,sektor,"
    "tahapan,bentuk,jenis,inisiator,tanggal_mulai,tpb\n"
)
OFFICER_ROWS = (
    "Daftar Hub Riau,RIAU-2025-01,Layanan Kesehatan Jemput Bola Lansia,JEMPOL,Dinas Kesehatan Kota Pekanbaru,"
    "Petugas puskesmas mendatangi lansia yang tidak dapat datang ke puskesmas. Data contoh.,,,,Kesehatan,"
    "Uji coba,Pelayanan publik,Non-digital,ASN,2024-02-01,3\n"
    "Daftar Hub Riau,RIAU-2025-02,Kelas Menulis Guru Dumai,,Dinas Pendidikan Kota Dumai,Data contoh.,,,,"
    "Pendidikan,Sudah jalan,Pelayanan publik,Non-digital,ASN,2023-07-01,4\n"
    "Daftar Hub Riau,RIAU-2025-03,Sistem Pelayanan Administrasi Kependudukan Terpadu Kelurahan,,"
    "Dinas Kependudukan dan Pencatatan Sipil Kota Pekanbaru,Loket kelurahan. Data contoh.,,,,"
    "Administrasi kependudukan dan pencatatan sipil,Penerapan,Pelayanan publik,Digital,Perangkat daerah,"
    "2020-01-01,16\n"
)
MINISTRY_ROWS = (
    "SINOVIK,KIPP-2023-0457,Pembayaran Pajak Daerah di Warung,PAJAK WARUNG,"
    "Badan Pendapatan Daerah Provinsi Riau,"
    "Warga membayar pajak kendaraan di warung mitra yang terhubung dengan kas daerah. Data contoh.,"
    "Antrean panjang di kantor samsat.,Warung mitra dilatih dan diberi aplikasi.,Penerimaan naik 12%.,"
    "Keuangan dan pendapatan daerah,Penerapan,Pelayanan publik,Digital,Perangkat daerah,2021-05-01,16 17\n"
)


def _run(user, name, content, *, publish=False):
    run = ImportRun.objects.filter(created_by=user, original_name=name).first()
    if run is not None:
        return run
    run = ImportRun(
        created_by=user, original_name=name, file_size=len(content), language="id", publish=publish
    )
    run.file.save(name, io.BytesIO(content), save=False)
    run.save()
    run = importing.process_run(run.pk)
    if not run.can_import:
        # Nothing this database would take (its agencies are not the demo's, say, or the rows are
        # already there from another source): the checked run stays to look at; seeding goes on.
        return run
    importing.start_import(run_id=run.pk, by=user, valid_only=True)
    return importing.process_run(run.pk)


def seed(context=None):
    users = get_user_model().objects.filter(username__in=["petugas.riau", "kementerian"])
    users = {user.username: user for user in users}
    if len(users) < 2:
        return {}
    runs = [
        _run(users["petugas.riau"], OFFICER_FILE, (HEADER + OFFICER_ROWS).encode()),
        _run(users["kementerian"], MINISTRY_FILE, (HEADER + MINISTRY_ROWS).encode(), publish=True),
    ]
    # Demonstration data, like every other demo record.
    imported = SourceRecord.objects.filter(import_run__in=runs).values("innovation_id")
    Innovation.objects.filter(pk__in=imported).update(is_sample=True)
    return {"imports": runs}
