"""Read a rendered table back from HTML, to compare it with its CSV download."""

import csv
import io
from html.parser import HTMLParser


class _TableReader(HTMLParser):
    def __init__(self, table_id):
        super().__init__()
        self.table_id = table_id
        self.inside = False
        self.depth = 0
        self.rows = []
        self.cell = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            if self.inside:
                self.depth += 1
            elif dict(attrs).get("id") == f"table-{self.table_id}":
                self.inside = True
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if not self.inside:
            return
        if tag == "table":
            if self.depth:
                self.depth -= 1
            else:
                self.inside = False
        elif tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.inside and self.cell is not None:
            self.cell.append(data)


def html_table(content, table_id):
    """[header, row, row, …] of the table with id ``table-<table_id>`` (cell text, whitespace folded)."""
    reader = _TableReader(table_id)
    reader.feed(content.decode() if isinstance(content, bytes) else content)
    assert reader.rows, f"no table-{table_id} in the page"
    return reader.rows


def csv_rows(response):
    text = b"".join(response.streaming_content if response.streaming else [response.content]).decode()
    return [[" ".join(cell.split()) for cell in row] for row in csv.reader(io.StringIO(text))]
