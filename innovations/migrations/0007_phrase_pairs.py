"""Quoted phrases of common words at a million records: an index of each record's adjacent word pairs
(innovations.phrases), built without locking writes out."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations

import innovations.phrases


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run inside a transaction

    dependencies = [("innovations", "0006_api_sync_order")]

    operations = [
        migrations.RunSQL(
            innovations.phrases.FUNCTION_SQL,
            reverse_sql=f"DROP FUNCTION IF EXISTS {innovations.phrases.FUNCTION}(tsvector)",
        ),
        AddIndexConcurrently(
            model_name="innovation",
            index=GinIndex(innovations.phrases.pairs_expression(), name="innovation_search_pairs"),
        ),
    ]
