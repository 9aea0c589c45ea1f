"""The search columns kept in the row itself, the long texts moved out of it.

A record's derived ``search_vector`` (about 1.4 kB) and ``search_head`` were stored out of line in the
table's TOAST relation, like the proposal's long texts: every candidate row a search filters cost a
TOAST index lookup and one or two more pages. ``STORAGE MAIN`` tells PostgreSQL to compress and move the
other (``EXTENDED``) columns out first and to keep these two in the row unless it would not fit in a
page. The long texts are read only on a record's own page, one row at a time.

Only rows written from now on take the new layout (new records, edits, imports). A table that already
holds many records is rewritten by the operator in a quiet hour (docs/deploy.md: ``VACUUM (FULL)``,
about nine minutes and an exclusive lock at a million records), never by this migration.
"""

from django.db import migrations

COLUMNS = ("search_vector", "search_head")


def _storage(kind):
    return "ALTER TABLE innovations_innovation " + ", ".join(
        f"ALTER COLUMN {column} SET STORAGE {kind}" for column in COLUMNS
    )


class Migration(migrations.Migration):
    dependencies = [("innovations", "0007_phrase_pairs")]

    operations = [migrations.RunSQL(_storage("MAIN"), reverse_sql=_storage("EXTENDED"))]
