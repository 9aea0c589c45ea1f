"""XLSX downloads of the open data, with the same header and cells as the CSV ones (jipp.csvexport).

openpyxl's write-only workbook writes each row to a temporary file as it is appended, so a million-row
export keeps the worker's memory flat; the finished file is then streamed from disk. Cells get the
CSV's protection against spreadsheet formulas (``safe_cell``), and characters XML cannot hold (control
characters a user pasted) are dropped, so no record can make the download fail.
"""

import tempfile

from django.http import FileResponse
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from jipp.csvexport import safe_cell

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_SHEET_TITLE = 31


def xlsx_cell(value):
    value = safe_cell(value)
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    if isinstance(value, list | tuple):
        return " ".join(str(item) for item in value)
    return value


def streaming_xlsx(header, rows, filename: str, *, title="data") -> FileResponse:
    """A download of ``header`` then each row of the iterable ``rows`` as one worksheet."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:MAX_SHEET_TITLE])
    sheet.append([str(column) for column in header])
    for row in rows:
        sheet.append([xlsx_cell(value) for value in row])
    # Deleted when closed, i.e. when the response has been sent.
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    workbook.save(handle)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=CONTENT_TYPE)
