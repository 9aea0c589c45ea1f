"""``COPY … FROM STDIN`` through a Django cursor, streaming: rows are written as they are produced,
so memory stays flat however many there are (psycopg 3's ``Cursor.copy``)."""


def copy_in(cursor, sql, chunks):
    """Send each text chunk of ``chunks`` (lines in COPY text or CSV format) to ``sql``, a
    ``COPY … FROM STDIN`` statement, on ``cursor`` (a Django cursor or a psycopg one)."""
    raw = getattr(cursor, "cursor", cursor)  # Django's CursorWrapper holds the driver's cursor
    with raw.copy(sql) as copy:
        for chunk in chunks:
            copy.write(chunk)
