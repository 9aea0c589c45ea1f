"""Streamed CSV downloads of the open data (innovations, replications).

Rows are written as they are read (the callers iterate server-side cursors), so a million-row export
keeps the worker's memory flat. Every cell that a spreadsheet would read as a formula is quoted as
text: names and descriptions come from users.
"""

import csv

from django.http import StreamingHttpResponse

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class _Echo:
    """A file-like object whose ``write`` returns the line, for ``csv.writer`` in a generator."""

    def write(self, value):
        return value


def streaming_csv(header, rows, filename: str) -> StreamingHttpResponse:
    """A download of ``header`` then each row of the iterable ``rows`` (read lazily)."""
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow([safe_cell(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
