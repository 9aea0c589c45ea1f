"""The shared CSV writer of the open-data downloads: formula prefixes quoted, dates and empties."""

import csv
import datetime
import io

import pytest

from jipp.csvexport import safe_cell, streaming_csv


@pytest.mark.parametrize("text", ["=1+1", "+62 812", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_cells_a_spreadsheet_would_run_are_quoted_as_text(text):
    assert safe_cell(text) == "'" + text


def test_other_cells_pass_through():
    assert safe_cell("Layanan") == "Layanan"
    assert safe_cell(7) == 7
    assert safe_cell(None) == ""
    assert safe_cell(datetime.date(2026, 1, 2)) == "2026-01-02"


def test_rows_are_read_only_while_the_response_streams():
    read = []

    def rows():
        for n in range(3):
            read.append(n)
            yield [n, f"=row{n}"]

    response = streaming_csv(["n", "name"], rows(), "x.csv")
    assert read == [] and response["Content-Disposition"] == 'attachment; filename="x.csv"'
    parsed = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert parsed == [["n", "name"], ["0", "'=row0"], ["1", "'=row1"], ["2", "'=row2"]]
