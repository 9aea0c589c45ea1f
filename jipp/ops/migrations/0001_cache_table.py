"""ops (issue 10): the cache table every process shares when REDIS_URL is unset (settings.CACHES,
jipp.ops.SharedDatabaseCache). The same columns as Django's ``createcachetable``; UNLOGGED because
it is a cache: no WAL to write, emptied after a crash, not copied to read replicas (the cache is
always read from the primary)."""

from django.db import migrations

CREATE = """
CREATE UNLOGGED TABLE IF NOT EXISTS "jipp_cache" (
    "cache_key" varchar(255) NOT NULL PRIMARY KEY,
    "value" text NOT NULL,
    "expires" timestamp with time zone NOT NULL
);
CREATE INDEX IF NOT EXISTS "jipp_cache_expires" ON "jipp_cache" ("expires");
"""


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunSQL(CREATE, 'DROP TABLE IF EXISTS "jipp_cache";')]
