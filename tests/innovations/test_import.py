"""Bulk import of innovations (issue 12, part 2): every refusal with its message, the dry run that saves
nothing, idempotence by source id, the open-data round trip, duplicate flags, provenance, who may import
what, and a background import with its progress and report."""

import csv
import datetime
import io
import re
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone, translation
from procrastinate.contrib.django.models import ProcrastinateJob

from innovations import importing, services, tasks
from innovations.models import DuplicateFlag, ImportRun, Innovation, SourceRecord
from jipp.errors import Conflict
from jipp.models import Agency, AuditEntry
from tests.conftest import PASSWORD

HEADER = [
    "sumber", "id_sumber", "nama", "akronim", "instansi", "ringkasan", "sektor", "tahapan", "bentuk", "jenis",
    "inisiator", "tanggal_mulai", "tpb", "latar_belakang", "implementasi", "signifikansi",
]  # fmt: skip


# Distinct names: rows of one agency with similar names would be held as likely duplicates.
NAMES = [
    "Layanan Kesehatan Keliling", "Sekolah Digital Pesisir", "Antrean Daring Puskesmas", "Pajak Jemput Bola",
    "Bank Sampah Kelurahan", "Perizinan Malam Hari", "Posyandu Lansia Ceria", "Akta Lahir di Rumah Sakit",
    "Kartu Identitas Anak", "Pasar Ikan Higienis", "Irigasi Tetes Petani", "Peta Rawan Banjir",
]  # fmt: skip


def row(n, **values):
    base = {
        "sumber": "SINOVIK",
        "id_sumber": f"2024-{n:03d}",
        "nama": NAMES[n - 1],
        "akronim": "",
        "instansi": "Disdukcapil Kota Pekanbaru",
        "ringkasan": "Petugas mendatangi warga di desa terpencil.",
        "sektor": "Administrasi kependudukan dan pencatatan sipil",
        "tahapan": "Penerapan",
        "bentuk": "Pelayanan publik",
        "jenis": "Non-digital",
        "inisiator": "Perangkat daerah",
        "tanggal_mulai": "2021-03-15",
        "tpb": "10 16",
        "latar_belakang": "Warga desa jauh dari kantor.",
        "implementasi": "Petugas datang sepekan sekali.",
        "signifikansi": "Perekaman naik 40%.",
    }
    base.update(values)
    return base


def csv_bytes(rows, header=HEADER, encoding="utf-8", delimiter=","):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, delimiter=delimiter, extrasaction="ignore")
    writer.writeheader()
    for item in rows:
        writer.writerow(item)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows, header=HEADER):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for item in rows:
        sheet.append([item.get(name, "") for name in header])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def run_file(user, content, name="inovasi.csv", *, publish=False, language="en"):
    """Check a file as ``user`` the way the workspace does; returns the finished run."""
    run = ImportRun(
        created_by=user, original_name=name, file_size=len(content), language=language, publish=publish
    )
    run.file.save(name, io.BytesIO(content), save=False)
    run.save()
    return importing.process_run(run.pk)


def import_file(user, content, name="inovasi.csv", *, publish=False, valid_only=False):
    run = run_file(user, content, name, publish=publish)
    assert run.status == ImportRun.Status.DONE, run.error
    if not run.can_import:
        return run  # nothing would change
    importing.start_import(run_id=run.pk, by=user, valid_only=valid_only)
    return importing.process_run(run.pk)


def problems(run):
    return [(p["row"], p["column"], p["reason"]) for p in run.problems]


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English (the source language); one test reads the Indonesian ones."""
    with translation.override("en"):
        yield


@pytest.fixture
def client_as(client):
    def sign_in(user):
        client.login(username=user.username, password=PASSWORD)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return sign_in


# --- Refusals of the file as a whole ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "kosong.csv", "The file is empty."),
        (b"just text, not a workbook", "inovasi.xlsx", "is named .xlsx but is not an Excel workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "lama.xls", "old Excel file (.xls)"),
        ("sumber,nama\n".encode("utf-16"), "unicode.csv", "UTF-16"),
        (b"\x00\x01\x02binary", "data.csv", "not a CSV text file"),
        ("sumber,id_sumber,nama,instansi\nA,1,Caf\u00e9,X\n".encode("cp1252"), "win.csv", "not in UTF-8"),
        (b"sumber;nama;instansi\n", "kolom.csv", "has no column “id_sumber”"),
        (b"sumber,id_sumber,nama,instansi,nama\n", "ganda.csv", "both give the nama"),
        (",".join(f"c{i}" for i in range(10_000)).encode() + b"\n", "lebar.csv", "has 10,000 columns"),
        (",".join(HEADER).encode() + b"\n", "kosong.csv", "headers but no rows"),
        (b'sumber,id_sumber,nama,instansi\nA,1,"' + b"x" * 30_000 + b'",B\n', "a.csv", "longer than 20,000"),
    ],
    ids=["empty", "disguised-xlsx", "old-xls", "utf16", "binary", "cp1252", "columns", "twice", "10000-cols",
         "no-rows", "huge-cell"],
)  # fmt: skip
def test_a_file_that_cannot_be_read_is_refused_with_its_reason(world, content, name, message):
    run = run_file(world.ministry, content, name)
    assert run.status == ImportRun.Status.FAILED
    assert message in run.error
    assert not Innovation.objects.exists()


def test_a_zip_that_is_not_a_workbook_and_a_damaged_workbook_are_refused(world):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert "not an Excel workbook" in run_file(world.ministry, buffer.getvalue(), "a.xlsx").error
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<not really>")
    assert "damaged" in run_file(world.ministry, buffer.getvalue(), "b.xlsx").error


def test_an_oversized_file_is_refused_at_upload_with_a_400(world, client_as, monkeypatch):
    monkeypatch.setattr(importing, "MAX_FILE_BYTES", 100)
    client = client_as(world.officer_riau)
    upload = SimpleUploadedFile("besar.csv", csv_bytes([row(1), row(2)]))
    response = client.post(reverse("innovations:import_start"), {"file": upload})
    assert response.status_code == 400
    assert "larger than" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_a_disguised_upload_gets_a_400_with_the_reason_never_a_500(world, client_as):
    client = client_as(world.officer_riau)
    upload = SimpleUploadedFile("inovasi.xlsx", b"<html>not a workbook</html>")
    response = client.post(reverse("innovations:import_start"), {"file": upload})
    assert response.status_code == 400
    assert "not an Excel workbook" in response.content.decode()


# --- Refusals of rows, by row and column ----------------------------------------------------------------


def test_every_problem_of_a_row_is_listed_by_row_and_column(world):
    Agency.objects.create(
        name="Disdukcapil Kota Pekanbaru", slug="kembar", level="province", province=world.bali
    )
    rows = [
        row(1),  # ambiguous now: two agencies share the name, and there is no province column
        row(2, instansi="Dinas Yang Tidak Ada"),
        row(3, instansi="disdukcapil-pekanbaru", ringkasan='=HYPERLINK("http://x")', tahapan="nonsense"),
        row(4, instansi="disdukcapil-pekanbaru", tanggal_mulai="kemarin", tpb="3 18"),
        row(5, instansi="disdukcapil-pekanbaru", tanggal_mulai="2999-01-01"),
        row(6, instansi="disdukcapil-pekanbaru", ringkasan=" ".join(["kata"] * 201)),
        row(7, instansi="disdukcapil-pekanbaru", id_sumber=""),
        row(8, instansi="disdukcapil-pekanbaru", id_sumber="2024-100"),  # the one valid row
        row(9, instansi="disdukcapil-pekanbaru", id_sumber="2024-100"),  # the same id as the row before
        row(10, instansi="disdukcapil-pekanbaru", nama="x" * 201),
        row(11, instansi="disdukcapil-denpasar"),  # another province: the officer of Riau may not
    ]
    run = run_file(world.officer_riau, csv_bytes(rows))
    found = problems(run)
    expected = [
        (2, "instansi", "Several agencies are called “Disdukcapil Kota Pekanbaru”"),
        (3, "instansi", "No agency called “Dinas Yang Tidak Ada” is in the portal"),
        (4, "ringkasan", "holds a spreadsheet formula (it begins with “=”)"),
        (4, "tahapan", "“nonsense” is not one of: Initiative; Trial; Implemented."),
        (5, "tanggal_mulai", "“kemarin” is not a date; write it as YYYY-MM-DD"),
        (5, "tpb", "“18” is not a goal number from 1 to 17."),
        (6, "tanggal_mulai", "is not plausible (before 1945 or in the future)"),
        (7, "ringkasan", "The summary has 201 words; at most 200 are allowed."),
        (8, "id_sumber", "Give the record's id in its source."),
        (10, "id_sumber", "The same source and id are already on row 9."),
        (11, "nama", "At most 200 characters (this cell has 201)."),
        (12, "instansi", "Disdukcapil Kota Denpasar is in Bali; you import for agencies of"),
    ]  # fmt: skip
    for number, column, message in expected:
        assert any(n == number and c == column and message in r for n, c, r in found), (number, column, found)
    assert run.refused_count == 10 and run.new_count == 1
    assert not Innovation.objects.exists()  # a check saves nothing


def test_messages_are_in_the_persons_language(world):
    run = run_file(world.officer_riau, csv_bytes([row(1, tahapan="nonsense")]), language="id")
    with translation.override("id"):
        expected = str(importing._("“%(v)s” is not one of: %(allowed)s.")) % {
            "v": "nonsense",
            "allowed": "Inisiatif; Uji coba; Penerapan",
        }
    assert run.problems[0]["reason"] == expected
    assert "bukan" in expected  # the catalog has it


def test_a_formula_cell_of_an_xlsx_is_refused(world):
    content = xlsx_bytes([row(1, instansi="disdukcapil-pekanbaru", ringkasan="=1+1"), row(2)])
    run = run_file(world.officer_riau, content, "inovasi.xlsx")
    assert problems(run)[0][:2] == (2, "ringkasan")
    assert "formula" in problems(run)[0][2]
    assert run.new_count == 1


def test_nothing_is_saved_while_a_row_is_wrong_unless_the_valid_rows_are_chosen(world):
    content = csv_bytes([row(1), row(2, tahapan="nonsense"), row(3)])
    run = run_file(world.officer_riau, content)
    assert (run.new_count, run.refused_count) == (2, 1)
    with pytest.raises(Conflict, match="Some rows were refused"):
        importing.start_import(run_id=run.pk, by=world.officer_riau, valid_only=False)
    assert not Innovation.objects.exists()
    importing.start_import(run_id=run.pk, by=world.officer_riau, valid_only=True)
    run = importing.process_run(run.pk)
    assert (run.new_count, run.refused_count) == (2, 1)
    assert set(Innovation.objects.values_list("name", flat=True)) == {NAMES[0], NAMES[2]}
    with pytest.raises(Conflict):
        importing.start_import(run_id=run.pk, by=world.officer_riau, valid_only=True)  # imported already


# --- What an import makes ------------------------------------------------------------------------------


def test_an_officers_import_makes_drafts_for_the_agency_with_audit_and_source(
    world, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        run = import_file(world.officer_riau, csv_bytes([row(1, akronim="SATU"), row(2)]))
    # The agency's staff are told that drafts of theirs wait for them (one email per agency).
    [message] = mailoutbox
    assert message.to == ["staff_pekanbaru@example.id"]
    assert "2 inovasi Disdukcapil Kota Pekanbaru" in message.subject and "/ruang-kerja/" in message.body
    assert run.new_count == 2
    innovation = Innovation.objects.get(acronym="SATU")
    assert innovation.status == Innovation.Status.DRAFT
    assert innovation.agency == world.pekanbaru and innovation.province == world.riau
    assert innovation.stage == "implemented" and innovation.sector == "population"
    assert innovation.initiator == "agency" and innovation.kind == "non_digital"
    assert innovation.started_on == datetime.date(2021, 3, 15) and innovation.sdgs == [10, 16]
    assert innovation.created_by == world.officer_riau
    source = SourceRecord.objects.get(innovation=innovation)
    assert (source.source, source.source_id, source.import_run_id) == ("SINOVIK", "2024-001", run.pk)
    entry = AuditEntry.for_object(innovation).get()
    assert (entry.action, entry.actor, entry.to_state) == ("import", world.officer_riau, "draft")
    # The owning agency confirms it through the normal workflow: its staff submit, the hub publishes.
    services.submit(innovation_id=innovation.pk, by=world.staff_pekanbaru, version=innovation.version)
    innovation.refresh_from_db()
    services.publish(innovation_id=innovation.pk, by=world.officer_riau, version=innovation.version)
    assert Innovation.objects.published().search("kesehatan keliling").filter(pk=innovation.pk).exists()


def test_the_ministry_may_publish_directly_and_the_search_trigger_indexes_the_records(world):
    rows = [row(1, latar_belakang="Antrean panjang.", implementasi="Jemput bola.", signifikansi="Naik 40%.")]
    run = import_file(world.ministry, csv_bytes(rows), publish=True)
    assert run.new_count == 1
    innovation = Innovation.objects.get()
    assert innovation.status == Innovation.Status.PUBLISHED and innovation.published_at
    assert Innovation.objects.published().search("jemput bola").filter(pk=innovation.pk).exists()


def test_publishing_directly_needs_the_fields_a_submission_needs(world):
    run = run_file(world.ministry, csv_bytes([row(1, latar_belakang="", signifikansi="")]), publish=True)
    assert run.refused_count == 1
    assert ("latar_belakang" in {c for _n, c, _r in problems(run)}) or any(
        "Needed to publish" in r for _n, _c, r in problems(run)
    )


def test_an_officer_cannot_publish_directly_even_if_the_run_says_so(world):
    run = import_file(world.officer_riau, csv_bytes([row(1)]), publish=True)
    assert run.new_count == 1
    assert Innovation.objects.get().status == Innovation.Status.DRAFT


def test_reimporting_updates_never_duplicates(world):
    import_file(world.officer_riau, csv_bytes([row(1), row(2)]))
    again = import_file(world.officer_riau, csv_bytes([row(1), row(2)]))
    assert (again.new_count, again.updated_count, again.unchanged_count) == (0, 0, 2)
    changed = import_file(
        world.officer_riau, csv_bytes([row(1, ringkasan="Ringkasan baru."), row(2), row(3)])
    )
    assert (changed.new_count, changed.updated_count, changed.unchanged_count) == (1, 1, 1)
    assert Innovation.objects.count() == 3
    updated = SourceRecord.objects.get(source_id="2024-001").innovation
    assert updated.summary == "Ringkasan baru."
    assert AuditEntry.for_object(updated).filter(action="import_update").exists()
    # Source names are one whatever their case.
    lower = import_file(
        world.officer_riau, csv_bytes([row(1, sumber="sinovik", ringkasan="Ringkasan baru.")])
    )
    assert lower.unchanged_count == 1 and Innovation.objects.count() == 3


def test_empty_cells_leave_values_as_they_are(world):
    import_file(world.officer_riau, csv_bytes([row(1, akronim="SATU")]))
    run = import_file(world.officer_riau, csv_bytes([row(1, akronim="", ringkasan="")]))
    assert run.unchanged_count == 1
    assert Innovation.objects.get().acronym == "SATU"


def test_published_submitted_and_foreign_records_are_not_changed_by_an_officer(world):
    import_file(world.officer_riau, csv_bytes([row(1), row(2)]))
    first = SourceRecord.objects.get(source_id="2024-001").innovation
    second = SourceRecord.objects.get(source_id="2024-002").innovation
    Innovation.objects.filter(pk=first.pk).update(status="published", published_at=timezone.now())
    Innovation.objects.filter(pk=second.pk).update(status="submitted")
    run = run_file(world.officer_riau, csv_bytes([row(1, ringkasan="Baru."), row(2, ringkasan="Baru.")]))
    reasons = [r for _n, _c, r in problems(run)]
    assert any("only its agency changes it now" in r for r in reasons)
    assert any("under review by its hub" in r for r in reasons)
    # The ministry may change the published one.
    run = import_file(world.ministry, csv_bytes([row(1, ringkasan="Baru.")]))
    assert run.updated_count == 1
    first.refresh_from_db()
    assert first.summary == "Baru." and first.status == "published"
    # A row may not move a record to another agency.
    run = run_file(world.ministry, csv_bytes([row(1, instansi="disdukcapil-denpasar")]))
    assert "does not move records between agencies" in problems(run)[0][2]


def test_the_open_data_export_imports_back_with_nothing_new(world, client):
    import_file(world.ministry, csv_bytes([row(n, latar_belakang="L.", implementasi="I.", signifikansi="S.")
                                           for n in (1, 2, 3)]),
                publish=True)  # fmt: skip
    # Text a spreadsheet would read as a formula is quoted by the export and unquoted by the import.
    Innovation.objects.filter(name=NAMES[1]).update(summary="-5% antrean; =bukan rumus")
    Innovation.objects.filter(name=NAMES[2]).update(sdgs=[16, 3])
    response = client.get(reverse("innovations:export_csv"))
    exported = b"".join(response.streaming_content)
    assert exported.count(b"\n") == 4
    before = Innovation.objects.count()
    for user in (world.ministry, world.officer_riau):
        run = run_file(user, exported, "inovasi-jipp.csv")
        assert run.status == ImportRun.Status.DONE, run.error
        assert (run.new_count, run.updated_count, run.refused_count, run.unchanged_count) == (0, 0, 0, 3)
        assert not run.can_import
    assert Innovation.objects.count() == before
    client.force_login(world.ministry)
    page = client.get(run.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Nothing to import: every row is already in the portal as it is." in page


def test_the_export_round_trip_also_works_from_xlsx(world, client):
    import_file(world.ministry, csv_bytes([row(1)]),
                publish=True)  # fmt: skip
    exported = b"".join(client.get(reverse("innovations:export_csv")).streaming_content).decode()
    table = list(csv.reader(io.StringIO(exported)))
    workbook = openpyxl.Workbook()
    for line in table:
        workbook.active.append(line)
    out = io.BytesIO()
    workbook.save(out)
    run = run_file(world.ministry, out.getvalue(), "inovasi-jipp.xlsx")
    assert (run.new_count, run.unchanged_count) == (0, 1)


def test_an_unknown_portal_slug_is_refused(world):
    content = b"slug,name,agency,summary\nbelum-ada,Nama,disdukcapil-pekanbaru,Ringkasan\n"
    run = run_file(world.ministry, content)
    assert "No record of this portal has the address “belum-ada”" in problems(run)[0][2]


def test_an_officer_cannot_reach_an_agencys_own_draft_by_its_slug(world):
    draft = Innovation.objects.create(
        agency=world.pekanbaru, name="Draf Staf", slug="draf-staf", summary="Rahasia.", status="draft"
    )
    content = b"slug,name,agency,summary\ndraf-staf,Nama Baru,disdukcapil-pekanbaru,Ringkasan\n"
    run = run_file(world.officer_riau, content)
    assert "No record of this portal has the address “draf-staf”" in problems(run)[0][2]
    draft.refresh_from_db()
    assert draft.name == "Draf Staf"
    assert run_file(world.ministry, content).updated_count == 1  # the ministry reads everything


def test_semicolon_csv_and_xlsx_dates_and_numbers_are_read(world):
    run = run_file(world.officer_riau, csv_bytes([row(1, tanggal_mulai="15/03/2021")], delimiter=";"))
    assert run.new_count == 1, run.problems
    content = xlsx_bytes([row(1, id_sumber=20240001, tanggal_mulai=datetime.datetime(2021, 3, 15), tpb=3)])
    run = import_file(world.officer_riau, content, "a.xlsx")
    assert run.new_count == 1, run.problems
    innovation = SourceRecord.objects.get(source_id="20240001").innovation
    assert innovation.started_on == datetime.date(2021, 3, 15) and innovation.sdgs == [3]


# --- Likely duplicates ----------------------------------------------------------------------------------


@pytest.fixture
def existing(world):
    return Innovation.objects.create(
        agency=world.pekanbaru, name="Layanan Adminduk Keliling Desa", slug="layanan-adminduk-keliling",
        summary="Sudah ada.", form="public_service", kind="digital", sector="population",
        stage="implemented", initiator="agency", status="published", published_at=timezone.now(),
        started_on=datetime.date(2019, 1, 1),
    )  # fmt: skip


def test_a_similar_name_in_the_same_agency_is_held_for_a_person_to_decide(world, existing):
    rows = [
        row(1, nama="Layanan Adminduk Keliling Desa Terpencil"),
        row(2, nama="Layanan Adminduk Keliling Desa Terpencil", instansi="dpmptsp-siak"),  # other agency
    ]
    run = import_file(world.officer_riau, csv_bytes(rows))
    assert (run.flagged_count, run.new_count) == (1, 1)
    flag = DuplicateFlag.objects.get()
    assert flag.existing == existing and flag.row_number == 2 and flag.similarity >= 0.55
    assert Innovation.objects.filter(agency=world.pekanbaru).count() == 1  # nothing merged, nothing added
    # Importing the file again before deciding keeps one flag.
    import_file(world.officer_riau, csv_bytes(rows))
    assert DuplicateFlag.objects.count() == 1


def test_keep_both_makes_the_row_a_record_of_its_own(world, existing, client_as):
    run = import_file(
        world.officer_riau, csv_bytes([row(1, nama="Layanan Adminduk Keliling Desa Terpencil")])
    )
    flag = DuplicateFlag.objects.get()
    client = client_as(world.officer_riau)
    page = client.get(run.get_absolute_url())
    assert "Keep both" in page.content.decode()
    # The other province's officer cannot decide it.
    other = client_as(world.officer_bali)
    assert (
        other.post(
            reverse("innovations:import_flag_decide", args=[flag.pk]), {"decision": "keep_both"}
        ).status_code
        == 404
    )
    client = client_as(world.officer_riau)
    url = reverse("innovations:import_flag_decide", args=[flag.pk])
    assert client.post(url, {"decision": "merge-everything"}).status_code == 400
    response = client.post(url, {"decision": "keep_both"})
    assert response.status_code == 302
    flag.refresh_from_db()
    assert flag.decision == "keep_both" and flag.decided_by == world.officer_riau
    assert flag.created.status == "draft" and flag.created.source_records.get().source_id == "2024-001"
    assert AuditEntry.for_object(flag.created).get().action == "import"
    assert client.post(url, {"decision": "keep_both"}).status_code == 409  # decided already
    again = import_file(
        world.officer_riau, csv_bytes([row(1, nama="Layanan Adminduk Keliling Desa Terpencil")])
    )
    assert (again.new_count, again.flagged_count, again.unchanged_count) == (0, 0, 1)


def test_same_record_gives_the_existing_record_the_rows_identity(world, existing):
    import_file(world.ministry, csv_bytes([row(1, nama="Layanan Adminduk Keliling Desa Terpencil")]))
    flag = DuplicateFlag.objects.get()
    importing.decide_duplicate(flag_id=flag.pk, by=world.ministry, decision="same_record")
    assert existing.source_records.get().source_id == "2024-001"
    assert AuditEntry.for_object(existing).get().action == "import_link"
    assert Innovation.objects.count() == 1
    again = run_file(world.ministry, csv_bytes([row(1, nama="Layanan Adminduk Keliling Desa Terpencil")]))
    assert (again.new_count, again.updated_count, again.flagged_count) == (0, 1, 0)


# --- Provenance -----------------------------------------------------------------------------------------


def test_the_record_page_says_where_and_when_it_was_imported(world, client):
    import_file(world.ministry, csv_bytes([row(1)]),
                publish=True)  # fmt: skip
    innovation = Innovation.objects.get()
    page = client.get(innovation.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    today = timezone.localdate()
    assert re.search(rf"Imported from SINOVIK \(id 2024-001\) on [^<]*{today.year}", page)


# --- The workspace pages, the background and the report ------------------------------------------------


def test_officer_uploads_sees_problems_and_imports_the_corrected_file(
    world, client_as, django_assert_max_num_queries
):
    client = client_as(world.officer_riau)
    assert (
        "Import innovations from a spreadsheet"
        in client.get(reverse("innovations:workspace")).content.decode()
    )
    bad = SimpleUploadedFile(
        "inovasi.csv", csv_bytes([row(1), row(2, tahapan="x"), row(3, instansi="disdukcapil-denpasar")])
    )
    response = client.post(reverse("innovations:import_start"), {"file": bad})
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == run.get_absolute_url()
    with django_assert_max_num_queries(12):
        page = client.get(run.get_absolute_url()).content.decode()
    assert "“x” is not one of" in page and "Import the 1 valid row" in page
    assert client.post(reverse("innovations:import_confirm", args=[run.uuid])).status_code == 409
    fixed = SimpleUploadedFile("inovasi.csv", csv_bytes([row(1), row(2)]))
    client.post(reverse("innovations:import_start"), {"file": fixed})
    run = ImportRun.objects.first()
    page = client.get(run.get_absolute_url()).content.decode()
    assert "Import 2 rows" in page
    response = client.post(reverse("innovations:import_confirm", args=[run.uuid]))
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.phase == "import" and run.new_count == 2
    report = b"".join(client.get(reverse("innovations:import_report", args=[run.uuid])).streaming_content)
    lines = list(csv.reader(io.StringIO(report.decode("utf-8-sig"))))
    assert len(lines) == 3 and lines[1][1] == "new" and lines[1][7].endswith("/")


def test_a_large_file_runs_in_the_background_with_progress(world, client_as, monkeypatch):
    monkeypatch.setattr(importing, "INLINE_MAX_BYTES", 10)
    monkeypatch.setattr(importing, "BATCH_SIZE", 2)
    client = client_as(world.officer_riau)
    content = csv_bytes([row(n) for n in range(1, 8)])
    client.post(reverse("innovations:import_start"), {"file": SimpleUploadedFile("besar.csv", content)})
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.WAITING
    [job] = ProcrastinateJob.objects.filter(task_name="innovations.process_import")
    assert job.args == {"run_id": run.pk} and job.status == "todo"
    page = client.get(run.get_absolute_url()).content.decode()
    assert '<meta http-equiv="refresh" content="3">' in page and "<progress" in page
    seen = []

    def watch(done, total):
        stored = ImportRun.objects.get(pk=run.pk)
        seen.append((stored.rows_done, stored.total_rows, stored.status))

    importing.process_run(run.pk, on_batch=watch)  # what the job does, watched batch by batch
    assert seen == [(2, 7, "running"), (4, 7, "running"), (6, 7, "running"), (7, 7, "running")]
    page = client.get(run.get_absolute_url()).content.decode()
    assert "<progress" not in page and "Import 7 rows" in page
    client.post(reverse("innovations:import_confirm", args=[run.uuid]))
    run.refresh_from_db()
    assert (run.phase, run.status) == ("import", "waiting")
    # While running, the page shows the bar at its value.
    ImportRun.objects.filter(pk=run.pk).update(status="running", rows_done=4, total_rows=7)
    page = client.get(run.get_absolute_url()).content.decode()
    assert 'max="7" value="4"' in page
    assert ProcrastinateJob.objects.filter(task_name="innovations.process_import").count() == 2
    # The worker running it died: the queue runs the job again, which restarts the phase.
    tasks.process_import(run_id=run.pk)
    run.refresh_from_db()
    assert (run.status, run.new_count) == ("done", 7)
    assert Innovation.objects.count() == 7


def test_the_command_checks_then_imports_and_refuses_with_reasons(world, tmp_path):
    path = tmp_path / "inovasi.csv"
    path.write_bytes(csv_bytes([row(1), row(2, tahapan="x")]))
    out = io.StringIO()
    with pytest.raises(CommandError, match="some rows were refused"):
        call_command("import_innovations", str(path), "--language", "en", stdout=out)
    assert "row 3, tahapan: “x” is not one of" in out.getvalue()
    assert not Innovation.objects.exists()
    call_command("import_innovations", str(path), "--dry-run", "--language", "en", stdout=io.StringIO())
    assert not Innovation.objects.exists()
    out = io.StringIO()
    call_command(
        "import_innovations", str(path), "--valid-only", "--as", "officer_riau@example.id", stdout=out
    )
    assert Innovation.objects.get().created_by == world.officer_riau
    with pytest.raises(CommandError, match="may not publish"):
        call_command("import_innovations", str(path), "--as", "officer_riau@example.id", "--publish")
    with pytest.raises(CommandError, match="may not import"):
        call_command("import_innovations", str(path), "--as", "staff_pekanbaru@example.id")


def test_the_templates_download_with_indonesian_headers(world, client):
    response = client.get(reverse("innovations:import_template", args=["csv"]))
    assert (
        response.content.decode("utf-8-sig")
        .splitlines()[0]
        .startswith("sumber,id_sumber,nama,akronim,instansi")
    )
    response = client.get(reverse("innovations:import_template", args=["xlsx"]))
    workbook = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    headers = next(workbook.worksheets[0].iter_rows(values_only=True))
    assert headers[:3] == ("sumber", "id_sumber", "nama")
    assert len(workbook.worksheets) == 2  # the instructions sheet
    # The empty template is itself a readable file: it says it has no rows.
    assert "headers but no rows" in run_file(world.ministry, response.content, "templat.xlsx").error


def test_runs_are_seen_by_their_author_and_the_ministry_only(world, client_as):
    run = run_file(world.officer_riau, csv_bytes([row(1)]))
    assert client_as(world.officer_bali).get(run.get_absolute_url()).status_code == 404
    assert client_as(world.ministry).get(run.get_absolute_url()).status_code == 200
    assert client_as(world.officer_riau).get(run.get_absolute_url()).status_code == 200


def test_the_import_pages_need_a_constant_number_of_queries(world, client_as, django_assert_max_num_queries):
    for n in range(1, 4):
        run_file(world.officer_riau, csv_bytes([row(n)]), f"f{n}.csv")
    client = client_as(world.officer_riau)
    with django_assert_max_num_queries(10):
        page = client.get(reverse("innovations:import_start"))
    assert page.status_code == 200 and page.content.decode().count("/ruang-kerja/impor/") >= 3


def test_an_import_tells_the_public_page_cache(world):
    from jipp.ops import cache

    before = cache.content_version()
    import_file(world.ministry, csv_bytes([row(1)]), publish=True)
    assert cache.content_version() != before


def test_an_xlsx_with_ten_thousand_columns_is_refused(world):
    workbook = openpyxl.Workbook()
    workbook.active.append([f"c{i}" for i in range(10_000)])
    out = io.BytesIO()
    workbook.save(out)
    run = run_file(world.ministry, out.getvalue(), "lebar.xlsx")
    assert run.status == ImportRun.Status.FAILED and "has 10,000 columns" in run.error
