"""The bulk import (issue 12): hub officers and the ministry import (officers for their province); a
run is seen by its author, the ministry and administrators; likely duplicates are decided by those who
import for the agency; the template is public."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from innovations import importing
from innovations.models import DuplicateFlag, ImportRun, Innovation
from tests.authz import Case, everyone, signed_in

CSV = (
    b"sumber,id_sumber,nama,instansi,ringkasan\n"
    b"SINOVIK,AUTHZ-1,Layanan Adminduk Jemput Bola,disdukcapil-pekanbaru,Petugas datang ke desa.\n"
)


def roles(anonymous, owner_staff, other_staff, hub_officer, other_officer, ministry, admin):
    return {
        "anonymous": anonymous, "owner_staff": owner_staff, "other_staff": other_staff,
        "hub_officer": hub_officer,
        "other_officer": other_officer, "ministry": ministry, "admin": admin,
    }  # fmt: skip


def _checked_run(w):
    run = ImportRun(created_by=w.officer_riau, original_name="authz.csv", file_size=len(CSV), language="en")
    run.file.save("authz.csv", io.BytesIO(CSV), save=False)
    run.save()
    w.run = importing.process_run(run.pk)
    return {"uuid": w.run.uuid}


def _flag(w):
    _checked_run(w)
    existing = Innovation.objects.create(
        agency=w.pekanbaru, name="Layanan Adminduk Jemput Bola Desa", slug="authz-mirip", summary="Ada.",
        form="public_service", kind="digital", sector="population", stage="implemented", initiator="agency",
        status="published", published_at=timezone.now(), started_on=timezone.localdate(),
    )  # fmt: skip
    flag = DuplicateFlag.objects.create(
        import_run=w.run, existing=existing, agency=w.pekanbaru, row_number=2,
        name="Layanan Adminduk Jemput Bola",
        source="SINOVIK", source_key="sinovik", source_id="AUTHZ-1", similarity=0.8,
    )  # fmt: skip
    return {"pk": flag.pk}


def _upload(w):
    return {"file": SimpleUploadedFile("inovasi.csv", CSV)}


IMPORTERS = roles(302, 403, 403, 200, 200, 200, 200)
# Only the run's author, the ministry and administrators see a run (and its report).
RUN_READERS = roles(302, 404, 404, 200, 404, 200, 200)
RUN_CONFIRMERS = roles(302, 404, 404, 302, 404, 302, 302)
DECIDERS = roles(302, 404, 404, 302, 404, 302, 302)

CASES = [
    Case("innovations:import_start", "get", IMPORTERS),
    Case(
        "innovations:import_start",
        "post",
        {**IMPORTERS, "hub_officer": 302, "other_officer": 302, "ministry": 302, "admin": 302},
        data=_upload,
    ),  # fmt: skip
    Case(
        "innovations:import_start",
        "post",
        {**IMPORTERS, "hub_officer": 400, "other_officer": 400, "ministry": 400, "admin": 400},
        id="import_start[post, no file]",
    ),  # fmt: skip
    Case("innovations:import_run", "get", RUN_READERS, kwargs=_checked_run),
    Case("innovations:import_run", "post", signed_in(405), kwargs=_checked_run),
    Case("innovations:import_confirm", "post", RUN_CONFIRMERS, kwargs=_checked_run),
    Case("innovations:import_confirm", "get", signed_in(405), kwargs=_checked_run),
    Case("innovations:import_report", "get", RUN_READERS, kwargs=_checked_run),
    Case("innovations:import_report", "post", signed_in(405), kwargs=_checked_run),
    Case(
        "innovations:import_flag_decide",
        "post",
        DECIDERS,
        kwargs=_flag,
        data=lambda w: {"decision": "keep_both"},
    ),
    Case("innovations:import_flag_decide", "get", signed_in(405), kwargs=_flag),
    Case("innovations:import_template", "get", everyone(200), kwargs=lambda w: {"file_format": "xlsx"}),
    Case(
        "innovations:import_template",
        "get",
        everyone(200),
        kwargs=lambda w: {"file_format": "csv"},
        id="import_template[get, csv]",
    ),  # fmt: skip
    Case("innovations:import_template", "post", everyone(405), kwargs=lambda w: {"file_format": "xlsx"}),
]
