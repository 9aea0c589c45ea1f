"""Bulk import of innovation records from CSV and XLSX files (issue 12; the columns are documented in
docs/import.md).

An ``ImportRun`` goes through two phases, both done by ``process_run``:

- **check** reads every row and says, by row and column, what is wrong, in the person's language;
  nothing is saved. The counts say what an import would do (new, updated, unchanged, refused, held as
  likely duplicates).
- **import** reads the file again (the portal may have changed meanwhile), re-checks each row and saves,
  a batch of rows per transaction, with an audit entry per record. It is offered only when the check
  found no refused row, or when the person chose to import the valid rows only.

Rows are streamed (``csv`` reader, openpyxl in read-only mode) and written in batches, so memory stays
flat whatever the size of the file. Each row carries its source and its id there (``SourceRecord``):
importing the same row again updates the record, never adds one; rows exported from this portal carry
their own identity (source ``jipp``, id = the record's slug). Empty cells leave a value as it is.

Who may do what: officers import for agencies of their hub's province (other rows are refused, with the
reason) and their new records arrive as drafts for the owning agency to confirm through the normal
workflow; the ministry (and administrators) import for every province and may publish new records
directly. Published records change by import only at the ministry's hand; submitted and archived ones
never.
"""

import csv
import datetime
import io
import re
import secrets
import shutil
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.validators import EmailValidator, URLValidator
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from innovations.models import (
    SDG_GOALS,
    SUMMARY_MAX_WORDS,
    DuplicateFlag,
    Form,
    ImportRun,
    Initiator,
    Innovation,
    Kind,
    Sector,
    SourceRecord,
    Stage,
)
from innovations.states import InnovationStatus
from jipp.access import roles_of
from jipp.csvexport import FORMULA_PREFIXES
from jipp.models import Agency, AuditEntry, Province
from jipp.ops import cache

# --- Limits: a file beyond them is refused with a message, never a 500 -------------------------------
MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_COLUMNS = 100
MAX_ROWS = 200_000
MAX_CELL_CHARS = 20_000
# XLSX is a zip: refuse archives that would inflate beyond this (a "zip bomb").
MAX_UNZIPPED_BYTES = 800 * 1024 * 1024
# Files up to this size are checked while the person waits; larger ones in the background.
INLINE_MAX_BYTES = 512 * 1024
BATCH_SIZE = 500
PROBLEMS_KEPT = 300  # on the page; every problem is in the report
# Names this similar (pg_trgm similarity, 0–1) within one agency are held as likely duplicates.
DUPLICATE_SIMILARITY = 0.55
JIPP_SOURCE = "jipp"

csv.field_size_limit(MAX_CELL_CHARS + 1)


class FileRefused(Exception):
    """The file as a whole cannot be read (its type, encoding, size or columns); ``message`` says why."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = str(message)


# --- Columns -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of the template: its Indonesian header, the field it fills, other headers accepted
    for it (the open-data export's English names), what it means and an example (docs/import.md and the
    template's instructions sheet are generated from these)."""

    key: str
    header: str
    meaning: object
    example: str
    aliases: tuple = ()
    kind: str = "text"  # text, choice, date, sdgs, email, url, agency, province, source, source_id
    choices: type | None = None
    required: bool = False  # for a new record


COLUMNS = (
    Column(
        "source",
        "sumber",
        gettext_lazy("Where the record comes from: the system or list it was kept in."),
        "SINOVIK",
        ("source",),
        "source",
        required=True,
    ),
    Column(
        "source_id",
        "id_sumber",
        gettext_lazy(
            "The record's id in that source (e.g. the SINOVIK registration number). The same source and id "
            "always mean the same record."
        ),
        "2024-KIPP-00123",
        ("source_id", "slug"),
        "source_id",
        required=True,
    ),
    Column(
        "name",
        "nama",
        gettext_lazy("Name of the innovation."),
        "Pelayanan Adminduk Keliling",
        ("name",),
        required=True,
    ),
    Column(
        "acronym", "akronim", gettext_lazy("Acronym or short name, if it has one."), "PAKEL", ("acronym",)
    ),
    Column(
        "agency",
        "instansi",
        gettext_lazy("The owning agency, by its name as listed in the portal (or its address name)."),
        "Dinas Kependudukan dan Pencatatan Sipil Kota Pekanbaru",
        ("agency",),
        "agency",
        required=True,
    ),
    Column(
        "province",
        "provinsi",
        gettext_lazy(
            "The agency's province (name or two-digit code); needed only when two agencies share a name."
        ),
        "Riau",
        ("province",),
        "province",
    ),
    Column(
        "summary",
        "ringkasan",
        gettext_lazy("Summary, at most 200 words."),
        "Petugas mendatangi desa terpencil untuk merekam KTP-el.",
        ("summary",),
        required=True,
    ),
    Column("background", "latar_belakang", gettext_lazy("Background and goals."), "", ("background",)),
    Column("novelty", "kebaruan", gettext_lazy("Novelty and added value."), "", ("novelty",)),
    Column("implementation", "implementasi", gettext_lazy("How it is implemented."), "", ("implementation",)),
    Column(
        "significance",
        "signifikansi",
        gettext_lazy("Significance: results and impact, with figures."),
        "",
        ("significance",),
    ),
    Column(
        "adaptability",
        "adaptabilitas",
        gettext_lazy("Adaptability: what a replicating agency needs."),
        "",
        ("adaptability",),
    ),
    Column(
        "resources", "sumber_daya", gettext_lazy("Resources: people, budget, technology."), "", ("resources",)
    ),
    Column(
        "sustainability",
        "strategi_keberlanjutan",
        gettext_lazy("Sustainability strategy."),
        "",
        ("sustainability",),
    ),
    Column("beneficiaries", "penerima_manfaat", gettext_lazy("Beneficiaries."), "", ("beneficiaries",)),
    Column(
        "form",
        "bentuk",
        gettext_lazy("Form of the innovation."),
        "Pelayanan publik",
        ("form",),
        "choice",
        Form,
    ),
    Column(
        "kind",
        "jenis",
        gettext_lazy("Type: digital or not."),
        "Non-digital",
        ("type", "kind"),
        "choice",
        Kind,
    ),
    Column(
        "sector",
        "sektor",
        gettext_lazy("Government affair (sector) it serves."),
        "Administrasi kependudukan dan pencatatan sipil",
        ("sector",),
        "choice",
        Sector,
    ),
    Column("stage", "tahapan", gettext_lazy("Stage."), "Penerapan", ("stage",), "choice", Stage),
    Column(
        "initiator",
        "inisiator",
        gettext_lazy("Who started it."),
        "Perangkat daerah",
        ("initiator",),
        "choice",
        Initiator,
    ),
    Column(
        "started_on",
        "tanggal_mulai",
        gettext_lazy("Date it started: YYYY-MM-DD or DD/MM/YYYY (or a date cell)."),
        "2021-03-15",
        ("started_on",),
        "date",
    ),
    Column(
        "sdgs",
        "tpb",
        gettext_lazy(
            "Sustainable Development Goals (TPB/SDGs) served: numbers 1–17, separated by spaces or commas."
        ),
        "1 10 16",
        ("sdgs",),
        "sdgs",
    ),
    Column("contact_name", "nama_kontak", gettext_lazy("Contact person."), "Siti Aminah", ("contact_name",)),
    Column(
        "contact_email",
        "email_kontak",
        gettext_lazy("Contact email."),
        "inovasi@pekanbaru.go.id",
        ("contact_email",),
        "email",
    ),
    Column(
        "contact_phone", "telepon_kontak", gettext_lazy("Contact phone."), "0761 123456", ("contact_phone",)
    ),
    Column(
        "website",
        "situs_web",
        gettext_lazy("Website (full address, https://…)."),
        "https://disdukcapil.pekanbaru.go.id",
        ("website",),
        "url",
    ),
    Column(
        "video_url",
        "video",
        gettext_lazy("Video (full address)."),
        "https://www.youtube.com/watch?v=…",
        ("video_url", "video"),
        "url",
    ),
)
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}
MODEL_FIELDS = tuple(c.key for c in COLUMNS if c.key not in ("source", "source_id", "agency", "province"))
# Columns of the open-data export that the portal derives itself: accepted and ignored.
DERIVED_EXPORT_COLUMNS = (
    "agency_level", "regency", "replication_count", "replicated_from", "last_confirmed_on", "published_at",
    "url",
)  # fmt: skip
# Words of the glossary (GLOSSARY.md) accepted besides each choice's code and its labels.
CHOICE_SYNONYMS = {
    "initiator": {
        "perangkat daerah": Initiator.AGENCY,
        "opd": Initiator.AGENCY,
        "dprd": Initiator.COUNCIL_MEMBER,
    },
    "form": {"tata kelola": Form.GOVERNANCE, "lainnya": Form.OTHER, "bentuk lainnya": Form.OTHER},
    "kind": {"nondigital": Kind.NON_DIGITAL, "non digital": Kind.NON_DIGITAL},
    "stage": {"implementasi": Stage.IMPLEMENTED, "diterapkan": Stage.IMPLEMENTED},
}

OUTCOMES = {
    "new": pgettext_lazy("import outcome", "new"),
    "updated": pgettext_lazy("import outcome", "updated"),
    "unchanged": pgettext_lazy("import outcome", "unchanged"),
    "refused": pgettext_lazy("import outcome", "refused"),
    "flagged": pgettext_lazy("import outcome", "possible duplicate, to decide"),
}


def _number(value) -> str:
    """A count as the person's language writes it (20.000 in Indonesian, 20,000 in English)."""
    from django.utils.formats import number_format

    return number_format(value, force_grouping=True)


def normalise_header(value) -> str:
    text = unicodedata.normalize("NFKC", str(value or "")).strip().lower().rstrip("*").strip()
    return re.sub(r"[^0-9a-z]+", "_", text).strip("_")


def _norm_word(value) -> str:
    return re.sub(r"[\s_\-/]+", " ", unicodedata.normalize("NFKC", str(value)).strip().lower())


def _choice_maps():
    """Per choice column: every accepted spelling → the code (codes, English and Indonesian labels)."""
    maps = {}
    for column in COLUMNS:
        if column.kind != "choice":
            continue
        accepted = {}
        for value, label in column.choices.choices:
            accepted[_norm_word(value)] = value
            accepted[_norm_word(label)] = value
            for language in ("en", "id"):
                with translation.override(language):
                    accepted[_norm_word(str(label))] = value
        for word, value in CHOICE_SYNONYMS.get(column.key, {}).items():
            accepted[_norm_word(word)] = value
        maps[column.key] = accepted
    return maps


def allowed_values(column, language=None):
    """The labels a person may write in a choice column, in ``language`` (docs, template, messages)."""
    with translation.override(language or translation.get_language()):
        if column.kind == "choice":
            return [str(label) for _value, label in column.choices.choices]
        if column.kind == "sdgs":
            return [f"{goal} {label}" for goal, label in SDG_GOALS.items()]
    return []


# --- Reading files -------------------------------------------------------------------------------------


def sniff_format(handle, size, name="") -> str:
    """``"csv"`` or ``"xlsx"``, decided by the content (never by the name), or ``FileRefused``.
    ``handle`` is the file opened in binary mode (seekable)."""
    if not size:
        raise FileRefused(_("The file is empty."))
    if size > MAX_FILE_BYTES:
        raise FileRefused(
            _("The file is larger than %(mb)d MB. Split it into several files.")
            % {"mb": MAX_FILE_BYTES // 2**20}
        )
    handle.seek(0)
    head = handle.read(8192)
    handle.seek(0)
    looks_xlsx = name.lower().endswith((".xlsx", ".xlsm"))
    if head.startswith(b"PK\x03\x04"):
        _check_zip(handle)
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRefused(
            _(
                "This is an old Excel file (.xls). Open it in a spreadsheet and save it as .xlsx or as CSV "
                "UTF-8."
            )
        )
    if looks_xlsx:
        raise FileRefused(
            _(
                "The file is named .xlsx but is not an Excel workbook. Save it again from the spreadsheet "
                "as .xlsx."
            )
        )
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileRefused(_("The file is in UTF-16 (“Unicode text”). Save it as “CSV UTF-8” instead."))
    if b"\x00" in head:
        raise FileRefused(_("This is not a CSV text file or an XLSX workbook."))
    return "csv"


def _check_zip(handle):
    try:
        with zipfile.ZipFile(handle) as archive:
            members = archive.infolist()
            names = {member.filename for member in members}
            unzipped = sum(member.file_size for member in members)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise FileRefused(_("The workbook is damaged and cannot be opened.")) from error
    if "xl/workbook.xml" not in names:
        raise FileRefused(_("This zip file is not an Excel workbook (.xlsx)."))
    if unzipped > MAX_UNZIPPED_BYTES or len(members) > 10_000:
        raise FileRefused(_("The workbook is too large once unpacked. Split it into several files."))
    handle.seek(0)


@dataclass
class Table:
    headers: list
    rows: object  # iterator of (row number as the spreadsheet shows it, list of cell values)
    total: int | None
    close: object = None


def open_table(path, file_format) -> Table:
    return _open_xlsx(path) if file_format == "xlsx" else _open_csv(path)


def _csv_dialect(sample: str):
    first = sample.splitlines()[0] if sample else ""
    # Spreadsheets set to Indonesian (decimal comma) write CSV with semicolons.
    return ";" if first.count(";") > first.count(",") else ","


def _open_csv(path) -> Table:
    handle = open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115 (closed by Table.close)
    try:
        sample = handle.read(65536)
        handle.seek(0)
        delimiter = _csv_dialect(sample)
        total = sum(1 for _row in csv.reader(handle, delimiter=delimiter)) - 1
        handle.seek(0)
    except UnicodeDecodeError as error:
        handle.close()
        raise FileRefused(
            _(
                "The file is not in UTF-8. In the spreadsheet, save it as “CSV UTF-8 (comma delimited)”, "
                "or upload it as .xlsx."
            )
        ) from error
    except csv.Error as error:
        handle.close()
        raise FileRefused(_cell_too_long()) from error
    reader = csv.reader(handle, delimiter=delimiter)
    try:
        headers = next(reader, [])
    except csv.Error as error:
        handle.close()
        raise FileRefused(_cell_too_long()) from error

    def rows():
        try:
            yield from enumerate(reader, start=2)
        except csv.Error as error:
            raise FileRefused(_cell_too_long()) from error

    return Table(headers, rows(), max(total, 0), handle.close)


def _cell_too_long():
    return _("A cell is longer than %(n)s characters, or the quoting of the file is broken.") % {
        "n": _number(MAX_CELL_CHARS)
    }


def _open_xlsx(path) -> Table:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=False)
        sheet = workbook.worksheets[0]
        iterator = sheet.iter_rows(values_only=True)
        headers = list(next(iterator, ()) or ())
    except FileRefused:
        raise
    except Exception as error:  # openpyxl raises many kinds for a damaged or disguised workbook
        raise FileRefused(_("The workbook is damaged and cannot be opened.")) from error
    while headers and headers[-1] in (None, ""):
        headers.pop()
    total = sheet.max_row - 1 if isinstance(sheet.max_row, int) and sheet.max_row > 1 else None

    def rows():
        try:
            for number, row in enumerate(iterator, start=2):
                yield number, list(row)
        except Exception as error:
            raise FileRefused(_("The workbook is damaged and cannot be read to the end.")) from error

    return Table(headers, rows(), total, workbook.close)


@dataclass
class Layout:
    """Which column of the file fills what."""

    index: dict  # column position → Column key
    headers: dict  # Column key → the header as written in the file (for messages)
    ignored: list
    jipp_identity: bool  # no source column: the file is the portal's own export, ids are slugs


def read_layout(headers) -> Layout:
    if len(headers) > MAX_COLUMNS:
        raise FileRefused(
            _("The file has %(n)s columns; the template has %(t)d. Remove the extra columns.")
            % {"n": _number(len(headers)), "t": len(COLUMNS)}
        )
    lookup = {}
    for column in COLUMNS:
        for name in (column.header, *column.aliases):
            lookup.setdefault(normalise_header(name), column.key)
    index, written, ignored = {}, {}, []
    for position, header in enumerate(headers):
        key = lookup.get(normalise_header(header))
        if key is None:
            if normalise_header(header) and normalise_header(header) not in DERIVED_EXPORT_COLUMNS:
                ignored.append(str(header))
            continue
        if key in written:
            raise FileRefused(
                _("The columns “%(a)s” and “%(b)s” both give the %(what)s.")
                % {"a": written[key], "b": header, "what": COLUMN_BY_KEY[key].header}
            )
        index[position] = key
        written[key] = str(header)
    jipp_identity = "source" not in written and normalise_header(written.get("source_id", "")) == "slug"
    missing = [COLUMN_BY_KEY[key].header for key in ("source_id", "name", "agency") if key not in written]
    if "source" not in written and not jipp_identity:
        missing.insert(0, COLUMN_BY_KEY["source"].header)
    if missing:
        raise FileRefused(
            _("The file has no column %(cols)s. The first row must hold the template's headers.")
            % {"cols": ", ".join(f"“{m}”" for m in missing)}
        )
    return Layout(index, written, ignored, jipp_identity)


# --- Checking one row ----------------------------------------------------------------------------------


@dataclass
class Row:
    number: int
    problems: list = field(default_factory=list)  # (header, reason)
    values: dict = field(default_factory=dict)  # model field → value (cells that were filled)
    source: str = ""
    source_key: str = ""
    source_id: str = ""
    agency: Agency | None = None
    province: Province | None = None
    outcome: str = ""
    innovation: Innovation | None = None  # the record it matches
    changes: dict = field(default_factory=dict)
    similar: tuple | None = None  # (innovation id, name, similarity)
    flag: DuplicateFlag | None = None

    def refuse(self, column, reason):
        self.problems.append((column, str(reason)))

    @property
    def name(self):
        return self.values.get("name", "")


class Directory:
    """Agencies and provinces by every name a file may use, read once per run (a few thousand rows)."""

    def __init__(self):
        self.agencies = {}
        self.by_name = {}
        for agency in Agency.objects.select_related("province").only(
            "id", "name", "slug", "province_id", "regency_id", "province__name", "province__code"
        ):
            self.agencies[agency.slug] = agency
            self.by_name.setdefault(_norm_word(agency.name), []).append(agency)
        self.provinces = {}
        for province in Province.objects.all():
            self.provinces[_norm_word(province.name)] = province
            self.provinces[province.code] = province
            self.provinces[_norm_word(province.slug)] = province

    def province(self, text):
        text = _norm_word(text)
        return self.provinces.get(text) or self.provinces.get(_norm_word(re.sub(r"^provinsi\s+", "", text)))


class Checker:
    """Turns one row of cells into values, or into problems by column (no database access per row)."""

    def __init__(self, layout, directory, *, roles, publish):
        self.layout = layout
        self.directory = directory
        self.roles = roles
        self.publish = publish
        self.choices = _choice_maps()
        self.email = EmailValidator()
        self.url = URLValidator(schemes=["http", "https"])
        self.today = timezone.localdate()

    def header(self, key):
        return self.layout.headers.get(key) or COLUMN_BY_KEY[key].header

    def row(self, number, cells) -> Row | None:
        row = Row(number)
        raw = {}
        for position, key in self.layout.index.items():
            value = cells[position] if position < len(cells) else None
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            raw[key] = value
        if not raw:
            return None  # an empty line
        for key, value in raw.items():
            column = COLUMN_BY_KEY[key]
            try:
                self._cell(row, column, value)
            except ValidationError as error:
                for message in error.messages:
                    row.refuse(self.header(key), message)
        self._identity(row)
        self._agency(row)
        return row

    def _text(self, value):
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value).strip()

    def _cell(self, row, column, value):
        if column.kind == "date":
            row.values["started_on"] = self._date(value)
            return
        text = self._text(value)
        if len(text) > MAX_CELL_CHARS:
            raise ValidationError(_("At most %(n)s characters.") % {"n": _number(MAX_CELL_CHARS)})
        if text.startswith("'") and text[1:2] and text[1:].startswith(FORMULA_PREFIXES):
            text = text[1:]  # the portal's own export quotes such text this way
        elif text.startswith(("=", "+", "@")) or (
            text.startswith("-") and text[1:2] and not text[1:2].isspace()
        ):
            raise ValidationError(
                _(
                    "This cell holds a spreadsheet formula (it begins with “%(c)s”), which is not "
                    "imported. Enter the value itself; to keep text that begins with =, +, - or @, "
                    "put an apostrophe (') before it."
                )
                % {"c": text[0]}
            )
        if column.kind == "source":
            row.source = text[:60]
        elif column.kind == "source_id":
            row.source_id = text
        elif column.kind == "agency":
            row.values["_agency"] = text
        elif column.kind == "province":
            province = self.directory.province(text)
            if province is None:
                raise ValidationError(_("No province is called “%(v)s”.") % {"v": text})
            row.province = province
        elif column.kind == "choice":
            code = self.choices[column.key].get(_norm_word(text))
            if code is None:
                raise ValidationError(
                    _("“%(v)s” is not one of: %(allowed)s.")
                    % {"v": text, "allowed": "; ".join(allowed_values(column))}
                )
            row.values[column.key] = str(code)
        elif column.kind == "sdgs":
            row.values["sdgs"] = self._sdgs(text)
        else:
            model_field = Innovation._meta.get_field(column.key)
            if model_field.max_length and len(text) > model_field.max_length:
                raise ValidationError(
                    _("At most %(n)d characters (this cell has %(m)d).")
                    % {"n": model_field.max_length, "m": len(text)}
                )
            if column.kind == "email":
                self.email(text)
            elif column.kind == "url":
                self.url(text)
            if column.key == "summary" and len(text.split()) > SUMMARY_MAX_WORDS:
                raise ValidationError(
                    _("The summary has %(words)d words; at most %(max)d are allowed.")
                    % {"words": len(text.split()), "max": SUMMARY_MAX_WORDS}
                )
            row.values[column.key] = text

    def _date(self, value):
        if isinstance(value, datetime.datetime):
            day = value.date()
        elif isinstance(value, datetime.date):
            day = value
        else:
            text = self._text(value)
            day = None
            for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
                try:
                    day = datetime.datetime.strptime(text, pattern).date()
                    break
                except ValueError:
                    continue
            if day is None:
                raise ValidationError(
                    _("“%(v)s” is not a date; write it as YYYY-MM-DD (for example 2021-03-15).") % {"v": text}
                )
        if day.year < 1945 or day > self.today:
            raise ValidationError(
                _("The date %(d)s is not plausible (before 1945 or in the future).") % {"d": day}
            )
        return day

    def _sdgs(self, text):
        goals = []
        for part in re.split(r"[\s,;]+", text):
            if not part:
                continue
            if not part.isdigit() or not 1 <= int(part) <= 17:
                raise ValidationError(_("“%(v)s” is not a goal number from 1 to 17.") % {"v": part})
            if int(part) not in goals:
                goals.append(int(part))
        return sorted(goals)

    def _identity(self, row):
        if self.layout.jipp_identity:
            row.source = JIPP_SOURCE
        if row.source_id and len(row.source_id) > 100:
            row.refuse(self.header("source_id"), _("At most 100 characters."))
            row.source_id = ""
        row.source_key = row.source.lower()
        if not row.source:
            row.refuse(self.header("source"), _("Give the source of the record (for example SINOVIK)."))
        if not row.source_id:
            row.refuse(self.header("source_id"), _("Give the record's id in its source."))

    def _agency(self, row):
        text = row.values.pop("_agency", "")
        if not text:
            return  # a new record needs it: checked once we know whether the record exists
        agency = self.directory.agencies.get(text)
        if agency is None:
            matches = self.directory.by_name.get(_norm_word(text), [])
            if row.province is not None:
                matches = [a for a in matches if a.province_id == row.province.pk]
            if len(matches) > 1:
                row.refuse(
                    self.header("agency"),
                    _("Several agencies are called “%(v)s”; add the column “provinsi”.") % {"v": text},
                )
                return
            if not matches:
                row.refuse(
                    self.header("agency"),
                    _(
                        "No agency called “%(v)s” is in the portal. Check the name on its page, or ask for "
                        "it to be added."
                    )
                    % {"v": text},
                )
                return
            agency = matches[0]
        if row.province is not None and agency.province_id != row.province.pk:
            row.refuse(
                self.header("province"),
                _("%(agency)s is in %(p)s, not in %(q)s.")
                % {"agency": agency.name, "p": agency.province.name, "q": row.province.name},
            )
            return
        roles = self.roles
        if (
            roles is not None
            and not roles.reads_everything
            and agency.province_id not in roles.officer_province_ids
        ):
            row.refuse(
                self.header("agency"),
                _("%(agency)s is in %(p)s; you import for agencies of your hub's province only.")
                % {"agency": agency.name, "p": agency.province.name},
            )
            return
        row.agency = agency


# --- Matching rows with the portal ---------------------------------------------------------------------


def _changes(innovation, values):
    """The filled cells whose value differs from the record's (empty cells leave a value as it is)."""
    changes = {}
    for key, value in values.items():
        current = getattr(innovation, key)
        if key == "sdgs":
            current = sorted(current or [])
        elif key != "started_on":
            current = current or ""
        if current != value:
            changes[key] = value
    return changes


def update_refusal(roles, innovation):
    """Why an import may not change this record now (None: it may)."""
    if innovation.status == InnovationStatus.SUBMITTED:
        return _("This record is under review by its hub; import it again after the decision.")
    if innovation.status == InnovationStatus.ARCHIVED:
        return _("This record is archived and can no longer change.")
    if innovation.status == InnovationStatus.PUBLISHED and not (roles is None or roles.reads_everything):
        return _(
            "This record is published: only its agency changes it now, through a proposed edit in the "
            "workspace."
        )
    if (
        roles is not None
        and not roles.reads_everything
        and innovation.province_id not in roles.officer_province_ids
    ):
        return _("This record belongs to an agency of another province.")
    return None


class Matcher:
    """Looks a batch of rows up in the portal in a few queries: existing records by source id (or slug),
    open duplicate flags, and similar names of the same agency for rows that would be new."""

    def __init__(self, checker, *, by, roles, publish):
        self.checker = checker
        self.by = by
        self.roles = roles
        self.publish = publish
        self.seen = {}  # (source_key, source_id) → row number: the same record twice in one file

    def match(self, rows):
        live = [row for row in rows if not row.problems]
        keyed = {}
        for row in live:
            key = (row.source_key, row.source_id)
            if key in self.seen:
                row.refuse(
                    self.checker.header("source_id"),
                    _("The same source and id are already on row %(n)d.") % {"n": self.seen[key]},
                )
                continue
            self.seen[key] = row.number
            keyed[key] = row
        slugs = [row.source_id for (source, _i), row in keyed.items() if source == JIPP_SOURCE]
        pairs = [(s, i) for (s, i) in keyed if s != JIPP_SOURCE]
        found = {}
        fields = ("id", "name", "slug", "status", "agency_id", "province_id", *MODEL_FIELDS, "version")
        if slugs:
            # Only records the person may read: an officer's file naming an agency's draft by its slug
            # learns nothing of it (the row reads as an unknown address).
            records = Innovation.objects.all() if self.by is None else Innovation.objects.visible_to(self.by)
            for innovation in records.filter(slug__in=slugs).only(*fields):
                found[(JIPP_SOURCE, innovation.slug)] = innovation
        if pairs:
            records = SourceRecord.objects.filter(
                source_key__in={s for s, _i in pairs}, source_id__in={i for _s, i in pairs}
            ).select_related("innovation")
            for record in records.only("source_key", "source_id", *(f"innovation__{f}" for f in fields)):
                found[(record.source_key, record.source_id)] = record.innovation
        flags = {}
        if pairs:
            for flag in DuplicateFlag.objects.filter(
                decision=DuplicateFlag.Decision.OPEN,
                source_key__in={s for s, _i in pairs},
                source_id__in={i for _s, i in pairs},
            ):
                flags[(flag.source_key, flag.source_id)] = flag
        new_rows = []
        for key, row in keyed.items():
            innovation = found.get(key)
            if innovation is not None:
                self._existing(row, innovation)
            elif row.source_key == JIPP_SOURCE:
                row.refuse(
                    self.checker.header("source_id"),
                    _(
                        "No record of this portal has the address “%(v)s”. Records from elsewhere need "
                        "their own source name."
                    )
                    % {"v": row.source_id},
                )
            else:
                row.flag = flags.get(key)
                if self._new(row):
                    new_rows.append(row)
        self._similar(new_rows)
        for row in rows:
            if row.problems:
                row.outcome = "refused"
            elif not row.outcome:
                row.outcome = "flagged" if row.similar else "new"

    def _existing(self, row, innovation):
        row.innovation = innovation
        if row.agency is not None and row.agency.pk != innovation.agency_id:
            row.refuse(
                self.checker.header("agency"),
                _("This record belongs to another agency; an import does not move records between agencies."),
            )
            return
        row.changes = _changes(innovation, row.values)
        if not row.changes:
            row.outcome = "unchanged"
            return
        refusal = update_refusal(self.roles, innovation)
        if refusal:
            row.refuse(self.checker.header("source_id"), refusal)
            return
        row.outcome = "updated"

    def _new(self, row):
        checker = self.checker
        if row.agency is None and not row.problems:
            row.refuse(checker.header("agency"), _("A new record needs its agency."))
        for key in ("name", "summary"):
            if key not in row.values:
                row.refuse(checker.header(key), _("A new record needs this column."))
        if self.publish:
            missing = [
                k for k in Innovation.REQUIRED_FOR_SUBMISSION if k not in row.values and k in COLUMN_BY_KEY
            ]
            for key in missing:
                if key not in ("name", "summary"):
                    row.refuse(checker.header(key), _("Needed to publish the record directly."))
        return not row.problems

    def _similar(self, rows):
        """One query for the batch: per row, the most similar name among its agency's records."""
        if not rows:
            return
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT DISTINCT ON (x.n) x.n, i.id, i.name, similarity(lower(i.name), lower(x.name)) AS s
                FROM unnest(%s::int[], %s::bigint[], %s::text[]) AS x(n, agency_id, name)
                JOIN innovations_innovation i ON i.agency_id = x.agency_id
                WHERE similarity(lower(i.name), lower(x.name)) >= %s
                ORDER BY x.n, s DESC, i.id
                """,
                [
                    [row.number for row in rows],
                    [row.agency.pk for row in rows],
                    [row.name for row in rows],
                    DUPLICATE_SIMILARITY,
                ],
            )
            similar = {n: (pk, name, s) for n, pk, name, s in cursor.fetchall()}
        for row in rows:
            if row.number in similar:
                row.similar = similar[row.number]
            elif row.flag is not None:
                # Flagged before, and the similar record has since gone or been renamed.
                row.similar = None


# --- Writing -------------------------------------------------------------------------------------------


def _json_values(values):
    return {k: v.isoformat() if isinstance(v, datetime.date) else v for k, v in values.items()}


def _unique_slugs(rows):
    bases = {row.number: (slugify(row.name)[:200] or "inovasi") for row in rows}
    taken = set(Innovation.objects.filter(slug__in=set(bases.values())).values_list("slug", flat=True))
    slugs = {}
    for number, base in bases.items():
        slug = base
        while slug in taken:
            slug = f"{base}-{secrets.token_hex(3)}"
        taken.add(slug)
        slugs[number] = slug
    return slugs


def new_record(*, agency, values, by, publish, now):
    """An unsaved innovation from an import row (drafts for the agency; published for the ministry)."""
    innovation = Innovation(
        agency=agency,
        province_id=agency.province_id,
        regency_id=agency.regency_id,
        created_by=by,
        status=InnovationStatus.PUBLISHED if publish else InnovationStatus.DRAFT,
        **dict(values.items()),
    )
    for key in ("form", "kind", "sector", "stage", "initiator"):
        if not getattr(innovation, key):
            setattr(innovation, key, "")
    if publish:
        innovation.published_at = now
        innovation.last_confirmed_on = timezone.localdate(now)
    return innovation


def _write_batch(run, rows, *, by, roles, publish):
    """Save one batch in one transaction: records that changed (locked and re-checked), new records with
    their source ids and audit entries, and the duplicate flags."""
    now = timezone.now()
    with transaction.atomic():
        updates = [row for row in rows if row.outcome == "updated"]
        if updates:
            locked = {
                i.pk: i
                for i in Innovation.objects.select_for_update(of=("self",))
                .filter(pk__in=[row.innovation.pk for row in updates])
                .only("id", "status", "agency_id", "province_id", "version", *MODEL_FIELDS)
            }
            for row in updates:
                innovation = locked[row.innovation.pk]
                row.changes = _changes(innovation, row.values)
                refusal = update_refusal(roles, innovation)
                if not row.changes:
                    row.outcome = "unchanged"
                    continue
                if refusal:
                    row.outcome = "refused"
                    row.refuse(COLUMN_BY_KEY["source_id"].header, refusal)
                    continue
                for key, value in row.changes.items():
                    setattr(innovation, key, value)
                innovation.version += 1
                innovation.save(update_fields=[*row.changes, "version", "updated_at"])
                AuditEntry.record(
                    innovation,
                    actor=by,
                    action="import_update",
                    from_state=innovation.status,
                    to_state=innovation.status,
                    comment=_("Updated from %(file)s, row %(n)d: %(fields)s")
                    % {"file": run.original_name, "n": row.number, "fields": ", ".join(row.changes)},
                )
            SourceRecord.objects.filter(
                innovation_id__in=[r.innovation.pk for r in updates if r.outcome == "updated"]
            ).update(last_updated_at=now)
        new_rows = [row for row in rows if row.outcome == "new"]
        if new_rows:
            _create(run, new_rows, by=by, publish=publish, now=now)
        for row in rows:
            if row.outcome == "flagged":
                _flag(run, row)
    if any(row.outcome in ("new", "updated") for row in rows):
        # bulk_create and update() bypass the save signal: tell the public page cache (after the
        # batch's commit, so a page rendered meanwhile is not cached under the new version).
        cache.content_changed()


def _create(run, rows, *, by, publish, now):
    slugs = _unique_slugs(rows)
    records = []
    for row in rows:
        innovation = new_record(agency=row.agency, values=row.values, by=by, publish=publish, now=now)
        innovation.slug = slugs[row.number]
        records.append(innovation)
    try:
        with transaction.atomic():
            Innovation.objects.bulk_create(records)
            SourceRecord.objects.bulk_create(
                SourceRecord(
                    innovation=innovation, source=row.source, source_key=row.source_key,
                    source_id=row.source_id, import_run=run, imported_by=by,
                )
                for row, innovation in zip(rows, records, strict=True)
            )  # fmt: skip
    except IntegrityError:
        # Another import saved one of these ids (or a slug) a moment ago: go row by row.
        for row, innovation in zip(rows, records, strict=True):
            innovation.pk = None
            innovation.slug = f"{innovation.slug[:200]}-{secrets.token_hex(3)}"
            try:
                with transaction.atomic():
                    innovation.save()
                    SourceRecord.objects.create(
                        innovation=innovation, source=row.source, source_key=row.source_key,
                        source_id=row.source_id, import_run=run, imported_by=by,
                    )  # fmt: skip
            except IntegrityError:
                innovation.pk = None
                row.outcome = "refused"
                row.refuse(
                    COLUMN_BY_KEY["source_id"].header,
                    _(
                        "Another import saved a record with this source and id at the same time; import "
                        "the file again."
                    ),
                )
    saved = [(row, innovation) for row, innovation in zip(rows, records, strict=True) if innovation.pk]
    comment = _("Imported from %(file)s") % {"file": run.original_name}
    AuditEntry.objects.bulk_create(
        AuditEntry(
            actor=by, object_type=Innovation._meta.label_lower, object_id=innovation.pk, action="import",
            to_state=innovation.status, comment=f"{comment}, {row.source} {row.source_id}",
        )
        for row, innovation in saved
    )  # fmt: skip
    for row, innovation in saved:
        row.innovation = innovation


def _flag(run, row):
    existing_id, _name, similarity = row.similar
    values = {
        "import_run": run,
        "existing_id": existing_id,
        "agency": row.agency,
        "row_number": row.number,
        "name": row.name,
        "source": row.source,
        "data": _json_values(row.values),
        "similarity": round(float(similarity), 3),
    }
    if row.flag is not None:
        DuplicateFlag.objects.filter(pk=row.flag.pk, decision=DuplicateFlag.Decision.OPEN).update(**values)
    else:
        DuplicateFlag.objects.create(source_key=row.source_key, source_id=row.source_id, **values)


# --- The report ----------------------------------------------------------------------------------------


class Report:
    """Every row's outcome, written as the rows go (a temporary file), for the download at the end."""

    def __init__(self):
        # On disk as the rows go, never whole in memory; utf-8-sig starts it with the BOM Excel needs.
        self.raw = tempfile.TemporaryFile("w+b")  # noqa: SIM115
        self.handle = io.TextIOWrapper(self.raw, encoding="utf-8-sig", newline="")
        self.writer = csv.writer(self.handle)
        self.writer.writerow(
            [
                _("row"),
                _("outcome"),
                _("column"),
                _("reason"),
                _("source"),
                _("id in the source"),
                _("name"),
                _("record"),
            ]
        )
        self.site_url = settings.JIPP_SITE_URL
        # One reverse() for the whole report, not one per row (a third of a check's time otherwise).
        self.record_url = self.site_url + reverse("innovations:detail", kwargs={"slug": "SLUG"}).replace(
            "SLUG", "{}"
        )

    def write(self, row):
        from jipp.csvexport import safe_cell

        record = ""
        if (
            row.innovation is not None
            and row.innovation.pk
            and row.outcome in ("new", "updated", "unchanged")
        ):
            record = self.record_url.format(row.innovation.slug)
        elif row.similar:
            record = _("similar to record %(id)d: %(name)s") % {"id": row.similar[0], "name": row.similar[1]}
        base = [row.source, row.source_id, row.name, record]
        if row.problems:
            for column, reason in row.problems:
                self.writer.writerow(
                    [safe_cell(v) for v in (row.number, str(OUTCOMES[row.outcome]), column, reason, *base)]
                )
        else:
            self.writer.writerow(
                [safe_cell(v) for v in (row.number, str(OUTCOMES[row.outcome]), "", "", *base)]
            )

    def save_to(self, run):
        self.handle.flush()
        self.raw.seek(0)
        if run.report:
            run.report.delete(save=False)
        run.report.save(f"{run.uuid}.csv", File(self.raw), save=False)
        self.handle.close()


# --- Running a phase ------------------------------------------------------------------------------------


def _local_copy(run):
    """The uploaded file as a local path (storage may be S3): copied in chunks, so memory stays flat."""
    target = tempfile.NamedTemporaryFile(suffix=Path(run.file.name).suffix, delete=False)  # noqa: SIM115
    with run.file.open("rb") as source, target:
        shutil.copyfileobj(source, target, 1024 * 1024)
    return Path(target.name)


def _save_progress(run, counts, rows_done, total=None):
    fields = {f"{k}_count": v for k, v in counts.items()}
    fields["rows_done"] = rows_done
    if total is not None:
        fields["total_rows"] = total
    ImportRun.objects.filter(pk=run.pk).update(**fields)


def process_run(run_id, *, on_batch=None, resume=False):
    """Do the waiting phase of one run (check or import), start to end; the background job and the
    small-file path of the views call this. ``resume``: also restart a phase left running by a worker
    that died (the queue runs the job again). Returns the run as it ended."""
    startable = (
        (ImportRun.Status.WAITING, ImportRun.Status.RUNNING) if resume else (ImportRun.Status.WAITING,)
    )
    with transaction.atomic():
        run = ImportRun.objects.select_for_update(skip_locked=True).filter(pk=run_id).first()
        if run is None or run.status not in startable:
            return run
        run.status = ImportRun.Status.RUNNING
        run.started_at = timezone.now()
        run.save(update_fields=["status", "started_at"])
    with translation.override(run.language):
        try:
            _run_phase(run, on_batch=on_batch)
        except FileRefused as refused:
            run.status, run.error = ImportRun.Status.FAILED, refused.message
        except Exception:
            ImportRun.objects.filter(pk=run.pk).update(
                status=ImportRun.Status.FAILED,
                error=_(
                    "The import stopped because of an error in the portal. The team was told; try again "
                    "later."
                ),
                finished_at=timezone.now(),
            )
            raise
        else:
            run.status = ImportRun.Status.DONE
        run.finished_at = timezone.now()
        if run.phase == ImportRun.Phase.CHECK:
            run.checked_at = run.finished_at
        run.save()
    return run


def _run_phase(run, *, on_batch):
    path = _local_copy(run)
    by = run.created_by
    roles = roles_of(by) if by is not None else None
    publish = run.publish and (roles is None or roles.reads_everything)
    writing = run.phase == ImportRun.Phase.IMPORT
    try:
        with path.open("rb") as handle:
            file_format = sniff_format(handle, path.stat().st_size, run.original_name)
        table = open_table(path, file_format)
        try:
            layout = read_layout(table.headers)
            run.warnings = (
                [
                    _("Columns not in the template were ignored: %(cols)s.")
                    % {"cols": ", ".join(layout.ignored)}
                ]
                if layout.ignored
                else []
            )
            checker = Checker(layout, Directory(), roles=roles, publish=publish)
            matcher = Matcher(checker, by=by, roles=roles, publish=publish)
            counts = dict.fromkeys(("new", "updated", "unchanged", "refused", "flagged"), 0)
            problems, report, done = [], Report(), 0
            drafts_by_agency = {}
            _save_progress(run, counts, 0, table.total)
            batch = []

            def flush():
                nonlocal done
                matcher.match(batch)
                if writing:
                    # Rows refused now were fine at the check (the portal changed since): only they
                    # are left out, and the report says why.
                    _write_batch(run, batch, by=by, roles=roles, publish=publish)
                    if not publish:
                        for row in batch:
                            if row.outcome == "new":
                                drafts_by_agency[row.agency.pk] = drafts_by_agency.get(row.agency.pk, 0) + 1
                for row in batch:
                    counts[row.outcome] += 1
                    report.write(row)
                    for column, reason in row.problems:
                        if len(problems) < PROBLEMS_KEPT:
                            problems.append({"row": row.number, "column": column, "reason": reason})
                done += len(batch)
                _save_progress(run, counts, done)
                if on_batch:
                    on_batch(done, table.total)
                batch.clear()

            for number, cells in table.rows:
                if number - 1 > MAX_ROWS:
                    raise FileRefused(
                        _("The file has more than %(n)s rows. Split it into several files.")
                        % {"n": _number(MAX_ROWS)}
                    )
                row = checker.row(number, cells)
                if row is not None:
                    batch.append(row)
                if len(batch) >= BATCH_SIZE:
                    flush()
            if batch:
                flush()
        finally:
            if table.close:
                table.close()
        if done == 0:
            raise FileRefused(_("The file has headers but no rows to import."))
        if drafts_by_agency:
            _tell_agencies(run, drafts_by_agency)
        report.save_to(run)
        run.problems = problems
        run.rows_done, run.total_rows = done, done
        for key, value in counts.items():
            setattr(run, f"{key}_count", value)
    finally:
        path.unlink(missing_ok=True)


def _tell_agencies(run, drafts_by_agency):
    """Each agency's staff learn that drafts of theirs were imported and wait for them: one message per
    person and agency, through the outbox (in the same transaction as the import's last batch, in each
    person's language, in their inbox too)."""
    from django.contrib.auth import get_user_model

    from jipp.models import Membership
    from jipp.notifications.models import Kind
    from jipp.notifications.outbox import notify_all

    who = run.created_by.get_full_name() or run.created_by.username if run.created_by else _("The ministry")
    agencies = Agency.objects.in_bulk(list(drafts_by_agency))
    staff = Membership.objects.active().filter(
        role=Membership.Role.STAFF, agency_id__in=list(drafts_by_agency)
    )
    users = get_user_model().objects.in_bulk([m.user_id for m in staff])
    people = {}
    for membership in staff:
        people.setdefault(membership.agency_id, []).append(users[membership.user_id])
    for agency_id, count in drafts_by_agency.items():
        notify_all(
            people.get(agency_id, []),
            kind=Kind.RECORDS,
            template="innovations/email/innovations_imported.txt",
            context={"agency": agencies[agency_id], "count": count, "who": str(who)},
            url=reverse("innovations:workspace"),
            about=agencies[agency_id],
        )


def start_import(*, run_id, by, valid_only):
    """After a check, queue the import phase (the caller processes it inline or in the background).
    Refused (``Conflict``) when the check is not done, was already imported, or found refused rows and
    the person did not choose to import the valid rows only."""
    from jipp.errors import Conflict

    with transaction.atomic():
        locked = ImportRun.objects.select_for_update().get(pk=run_id)
        if not locked.can_import:
            raise Conflict(
                _("This file was already imported, or its check is not finished."),
                back_url=locked.get_absolute_url(),
            )
        if locked.refused_count and not valid_only:
            raise Conflict(
                _(
                    "Some rows were refused: correct the file and upload it again, or import the valid "
                    "rows only."
                ),
                back_url=locked.get_absolute_url(),
            )
        locked.phase = ImportRun.Phase.IMPORT
        locked.status = ImportRun.Status.WAITING
        locked.valid_only = valid_only
        locked.rows_done = 0
        locked.save(update_fields=["phase", "status", "valid_only", "rows_done"])
        AuditEntry.record(locked, actor=by, action="import_start", comment=locked.original_name)
    return locked


def enqueue(run):
    """Hand a large run to the background: a job of the portal's queue (``innovations.process_import``,
    jipp/ops/jobs.py), written in the caller's transaction if there is one."""
    from innovations import tasks

    tasks.process_import.defer(run_id=run.pk)
    return run


def decide_duplicate(*, flag_id, by, decision):
    """A person decides a held row: keep both (the row becomes a record of its own, as its import would
    have made it) or the same record (the existing record takes the row's source and id, so the next
    import of the file updates it). Audited on the record concerned."""
    from innovations import rules
    from jipp import access
    from jipp.errors import Conflict

    Decision = DuplicateFlag.Decision
    with transaction.atomic():
        flag = (
            DuplicateFlag.objects.select_for_update(of=("self",))
            .select_related("import_run", "agency", "existing")
            .get(pk=flag_id)
        )
        access.require(rules.can_decide_duplicate(by, flag))
        back = reverse_run(flag.import_run)
        if flag.decision != Decision.OPEN:
            raise Conflict(_("This possible duplicate was already decided."), back_url=back)
        if SourceRecord.objects.filter(source_key=flag.source_key, source_id=flag.source_id).exists():
            raise Conflict(
                _("A record with this source and id exists now; import the file again."), back_url=back
            )
        now = timezone.now()
        if decision == Decision.KEEP_BOTH:
            values = dict(flag.data)
            if values.get("started_on"):
                values["started_on"] = datetime.date.fromisoformat(values["started_on"])
            publish = flag.import_run.publish and rules.can_publish_imports(by)
            innovation = new_record(agency=flag.agency, values=values, by=by, publish=publish, now=now)
            innovation.slug = _unique_slugs([Row(0, values=values)])[0]
            innovation.save()
            flag.created = innovation
            action = "import"
            comment = _("Imported from %(file)s (kept beside the similar record %(name)s)") % {
                "file": flag.import_run.original_name,
                "name": flag.existing.name,
            }
        elif decision == Decision.SAME_RECORD:
            innovation = flag.existing
            action = "import_link"
            comment = _("Identified as %(source)s %(id)s (from %(file)s)") % {
                "source": flag.source,
                "id": flag.source_id,
                "file": flag.import_run.original_name,
            }
        else:
            raise ValidationError(_("Choose keep both or the same record."))
        SourceRecord.objects.create(
            innovation=innovation,
            source=flag.source,
            source_key=flag.source_key,
            source_id=flag.source_id,
            import_run=flag.import_run,
            imported_by=by,
        )
        AuditEntry.record(innovation, actor=by, action=action, to_state=innovation.status, comment=comment)
        flag.decision, flag.decided_by, flag.decided_at = decision, by, now
        flag.save(update_fields=["decision", "decided_by", "decided_at", "created"])
    return flag


def reverse_run(run):
    return run.get_absolute_url()


# --- The template --------------------------------------------------------------------------------------


def column_guide():
    """(header, meaning, required, allowed values, example) per column, in the active language."""
    guide = []
    for column in COLUMNS:
        allowed = "; ".join(allowed_values(column))
        if column.kind == "date":
            allowed = "YYYY-MM-DD, DD/MM/YYYY"
        elif column.kind in ("email", "url"):
            allowed = _("an address")
        guide.append((column.header, str(column.meaning), column.required, allowed, column.example))
    return guide


def template_csv() -> bytes:
    out = io.StringIO()
    csv.writer(out).writerow([column.header for column in COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM makes Excel read it as UTF-8


def template_xlsx() -> bytes:
    import openpyxl
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Inovasi"
    sheet.append([column.header for column in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for position, column in enumerate(COLUMNS, start=1):
        letter = openpyxl.utils.get_column_letter(position)
        sheet.column_dimensions[letter].width = 40 if column.key in ("name", "agency", "summary") else 20
        if column.kind == "choice":
            # A drop-down of the allowed labels (typing another accepted spelling still works).
            labels = ",".join(allowed_values(column, "id"))
            if len(labels) < 250:
                validation = DataValidation(
                    type="list", formula1=f'"{labels}"', allow_blank=True, showErrorMessage=False
                )
                validation.add(f"{letter}2:{letter}5000")
                sheet.add_data_validation(validation)
    guide = workbook.create_sheet(_("Instructions")[:31])
    guide.append(
        [_("column"), _("meaning"), _("required for a new record"), _("allowed values"), _("example")]
    )
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for header, meaning, required, allowed, example in column_guide():
        guide.append([header, meaning, _("yes") if required else "", allowed, example])
    for letter, width in zip("ABCDE", (24, 60, 14, 60, 40), strict=True):
        guide.column_dimensions[letter].width = width
    for row in guide.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
