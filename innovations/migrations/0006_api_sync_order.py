from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models

# Columns the open data shows: a change to any of them moves the record's modified time (the API's
# modified_since and sync order), whatever the write path. Search vectors, facet keys, the version
# token and review comments do not. A published record that is archived changes status, so its
# tombstone carries the archive's time.
PUBLIC_COLUMNS = (
    "name", "acronym", "slug", "agency_id", "summary", "background", "novelty", "implementation",
    "significance", "adaptability", "resources", "sustainability", "beneficiaries", "form", "kind",
    "sector", "stage", "initiator", "started_on", "sdgs", "website", "video_url", "replicated_from_id",
    "replication_count", "status", "last_confirmed_on", "published_at", "is_sample",
)  # fmt: skip
OLD = ", ".join(f"OLD.{c}" for c in PUBLIC_COLUMNS)
NEW = ", ".join(f"NEW.{c}" for c in PUBLIC_COLUMNS)

MODIFIED_SQL = f"""
CREATE TRIGGER innovations_innovation_modified BEFORE UPDATE ON innovations_innovation FOR EACH ROW
    WHEN (({OLD}) IS DISTINCT FROM ({NEW})) EXECUTE FUNCTION jipp_touch_updated_at();

-- Awards are part of the record's open data: their changes move its modified time too (and, as
-- before, re-derive its award facet).
CREATE OR REPLACE FUNCTION innovations_award_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE innovations_innovation SET updated_at = clock_timestamp() WHERE id = OLD.innovation_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE innovations_innovation SET updated_at = clock_timestamp() WHERE id = NEW.innovation_id;
    END IF;
    RETURN NULL;
END
$$;
"""
UNMODIFIED_SQL = """
DROP TRIGGER IF EXISTS innovations_innovation_modified ON innovations_innovation;
CREATE OR REPLACE FUNCTION innovations_award_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE innovations_innovation SET facet_keys = facet_keys WHERE id = OLD.innovation_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE innovations_innovation SET facet_keys = facet_keys WHERE id = NEW.innovation_id;
    END IF;
    RETURN NULL;
END
$$;
"""


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY: a million-row table keeps taking writes while the index builds.
    atomic = False

    dependencies = [
        ("innovations", "0005_signed_in_pages_at_scale"),
        ("jipp", "0003_modified_times"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="innovation",
            index=models.Index(fields=["updated_at", "id"], name="innovation_modified"),
        ),
        migrations.RunSQL(MODIFIED_SQL, UNMODIFIED_SQL),
    ]
