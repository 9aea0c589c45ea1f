"""The database rules of the innovations table that no model field can express: the trigger that
keeps the search columns, facets and did-you-mean words; the triggers that reindex a region's or an
agency's records when it is renamed or moved; and the published-innovation tallies."""

from django.db import migrations

DERIVE_SQL = """
CREATE FUNCTION innovations_innovation_derive() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ag record;
BEGIN
    SELECT a.name, a.level, r.name AS regency_name, r.kind AS regency_kind, p.name AS province_name
      INTO ag
      FROM jipp_agency a
      JOIN jipp_province p ON p.id = a.province_id
      LEFT JOIN jipp_regency r ON r.id = a.regency_id
     WHERE a.id = NEW.agency_id;
    NEW.search_head :=
        setweight(to_tsvector('indonesian', coalesce(NEW.name, '') || ' ' || coalesce(NEW.acronym, '')), 'A')
        || setweight(to_tsvector('indonesian', coalesce(NEW.summary, '')), 'B');
    NEW.search_vector := NEW.search_head
        || setweight(to_tsvector('indonesian', concat_ws(' ', NEW.background, NEW.novelty,
               NEW.implementation, NEW.significance, NEW.adaptability, NEW.resources,
               NEW.sustainability, NEW.beneficiaries)), 'C')
        || setweight(to_tsvector('indonesian', concat_ws(' ', ag.name, ag.regency_name, ag.province_name)), 'D');
    NEW.facet_keys := ARRAY[
            'p:' || NEW.province_id, 'l:' || ag.level, 's:' || NEW.sector, 'g:' || NEW.stage,
            'f:' || NEW.form, 'k:' || NEW.kind,
            CASE WHEN NEW.replication_count > 0 THEN 'r:1' ELSE 'r:0' END
        ]::varchar[]
        || CASE WHEN NEW.started_on IS NULL THEN '{}'::varchar[]
                ELSE ARRAY['y:' || extract(year FROM NEW.started_on)::int]::varchar[] END
        || CASE WHEN ag.regency_kind IS NULL THEN '{}'::varchar[] ELSE ARRAY['rk:' || ag.regency_kind]::varchar[] END
        || coalesce((SELECT array_agg('d:' || g ORDER BY g) FROM unnest(NEW.sdgs) g), '{}')::varchar[]
        || (SELECT CASE WHEN count(*) = 0 THEN '{}'::varchar[]
                        ELSE (array_agg(DISTINCT 'a:' || w.program) || ARRAY['a:any'])::varchar[] END
              FROM innovations_award w WHERE w.innovation_id = NEW.id);
    -- Bulk loads (generate_innovations) fill the word list once at the end instead.
    IF NEW.status = 'published' AND coalesce(current_setting('jipp.bulk_load', true), '') <> 'on' THEN
        INSERT INTO innovations_searchterm (term)
        SELECT DISTINCT left(w, 100)
          FROM regexp_split_to_table(lower(NEW.name || ' ' || coalesce(NEW.acronym, '')), '[^[:alnum:]]+') w
         WHERE length(w) >= 3
        ON CONFLICT DO NOTHING;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER innovations_innovation_derive BEFORE INSERT OR UPDATE ON innovations_innovation
    FOR EACH ROW EXECUTE FUNCTION innovations_innovation_derive();

-- An award changes the award facet of its innovation: touch the row so the trigger above runs.
CREATE FUNCTION innovations_award_touch() RETURNS trigger LANGUAGE plpgsql AS $$
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
CREATE TRIGGER innovations_award_touch AFTER INSERT OR UPDATE OR DELETE ON innovations_award
    FOR EACH ROW EXECUTE FUNCTION innovations_award_touch();
"""

UNDERIVE_SQL = """
DROP TRIGGER IF EXISTS innovations_award_touch ON innovations_award;
DROP FUNCTION IF EXISTS innovations_award_touch();
DROP TRIGGER IF EXISTS innovations_innovation_derive ON innovations_innovation;
DROP FUNCTION IF EXISTS innovations_innovation_derive();
"""


REINDEX_SQL = """
CREATE FUNCTION innovations_agency_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- The derive trigger recomputes each row's vector and facets from the agency as it is now.
    UPDATE innovations_innovation
       SET province_id = NEW.province_id, regency_id = NEW.regency_id
     WHERE agency_id = NEW.id;
    RETURN NULL;
END
$$;
CREATE TRIGGER innovations_agency_changed AFTER UPDATE ON jipp_agency
    FOR EACH ROW WHEN (
        OLD.name IS DISTINCT FROM NEW.name OR OLD.level IS DISTINCT FROM NEW.level
        OR OLD.province_id IS DISTINCT FROM NEW.province_id OR OLD.regency_id IS DISTINCT FROM NEW.regency_id
    )
    EXECUTE FUNCTION innovations_agency_changed();

CREATE FUNCTION innovations_region_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'jipp_province' THEN
        UPDATE innovations_innovation SET facet_keys = facet_keys WHERE province_id = NEW.id;
    ELSE
        UPDATE innovations_innovation SET facet_keys = facet_keys WHERE regency_id = NEW.id;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER innovations_province_changed AFTER UPDATE ON jipp_province
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION innovations_region_changed();
CREATE TRIGGER innovations_regency_changed AFTER UPDATE ON jipp_regency
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.kind IS DISTINCT FROM NEW.kind)
    EXECUTE FUNCTION innovations_region_changed();
"""

UNREINDEX_SQL = """
DROP TRIGGER IF EXISTS innovations_regency_changed ON jipp_regency;
DROP TRIGGER IF EXISTS innovations_province_changed ON jipp_province;
DROP FUNCTION IF EXISTS innovations_region_changed();
DROP TRIGGER IF EXISTS innovations_agency_changed ON jipp_agency;
DROP FUNCTION IF EXISTS innovations_agency_changed();
"""


# Published innovations per province, sector, stage, type and year started, kept exact by triggers on
# the innovations table in the same transaction as the change. See jipp.models.InnovationTally.
#
# Statement-level triggers with transition tables: one statement (a save, a queryset update, a COPY of
# fifty thousand rows) adds its net change to each of the ~80 tally rows ONCE. A row-level trigger
# would update the same few rows once per record, and within one transaction PostgreSQL walks an ever
# longer chain of row versions: bulk loads became quadratic (50,000 rows took six minutes).
# Rows are upserted in a fixed order, so concurrent publications queue instead of deadlocking.
CELLS = """
        SELECT c.dimension, c.key, SUM(c.delta)
          FROM changes, LATERAL (VALUES
              ('province', changes.province_id::text, changes.delta),
              ('sector', changes.sector, changes.delta),
              ('stage', changes.stage, changes.delta),
              ('kind', changes.kind, changes.delta),
              ('year', EXTRACT(YEAR FROM changes.started_on)::int::text, changes.delta)
          ) AS c(dimension, key, delta)
         GROUP BY c.dimension, c.key
        HAVING SUM(c.delta) <> 0
         ORDER BY c.dimension, c.key
        ON CONFLICT (dimension, key) DO UPDATE SET count = innovations_innovationtally.count + EXCLUDED.count;
"""

TALLY_SQL = """
CREATE OR REPLACE FUNCTION jipp_innovation_tally() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        WITH changes AS (
            SELECT 1 AS delta, province_id, sector, stage, kind, started_on
              FROM new_rows WHERE status = 'published'
        )
        INSERT INTO innovations_innovationtally (dimension, key, count) CELLS
    ELSIF TG_OP = 'DELETE' THEN
        WITH changes AS (
            SELECT -1 AS delta, province_id, sector, stage, kind, started_on
              FROM old_rows WHERE status = 'published'
        )
        INSERT INTO innovations_innovationtally (dimension, key, count) CELLS
    ELSE
        WITH changes AS (
            SELECT -1 AS delta, province_id, sector, stage, kind, started_on
              FROM old_rows WHERE status = 'published'
            UNION ALL
            SELECT 1 AS delta, province_id, sector, stage, kind, started_on
              FROM new_rows WHERE status = 'published'
        )
        INSERT INTO innovations_innovationtally (dimension, key, count) CELLS
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER jipp_innovation_tally_insert
    AFTER INSERT ON innovations_innovation REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION jipp_innovation_tally();
CREATE TRIGGER jipp_innovation_tally_update
    AFTER UPDATE ON innovations_innovation REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION jipp_innovation_tally();
CREATE TRIGGER jipp_innovation_tally_delete
    AFTER DELETE ON innovations_innovation REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION jipp_innovation_tally();

INSERT INTO innovations_innovationtally (dimension, key, count)
SELECT dimension, key, COUNT(*) FROM (
    SELECT unnest(ARRAY['province', 'sector', 'stage', 'kind', 'year']) AS dimension,
           unnest(ARRAY[province_id::text, sector, stage, kind, EXTRACT(YEAR FROM started_on)::int::text]) AS key
      FROM innovations_innovation WHERE status = 'published'
) AS cells
GROUP BY dimension, key;

-- "Most replicated innovations" on the statistics page: the top ten without scanning the table.
CREATE INDEX IF NOT EXISTS innovation_most_replicated
    ON innovations_innovation (replication_count DESC, name)
    WHERE status = 'published' AND replication_count > 0;
""".replace("CELLS", CELLS.strip())

TALLY_REVERSE_SQL = """
DROP INDEX IF EXISTS innovation_most_replicated;
DROP TRIGGER IF EXISTS jipp_innovation_tally_insert ON innovations_innovation;
DROP TRIGGER IF EXISTS jipp_innovation_tally_update ON innovations_innovation;
DROP TRIGGER IF EXISTS jipp_innovation_tally_delete ON innovations_innovation;
DROP FUNCTION IF EXISTS jipp_innovation_tally();
"""



class Migration(migrations.Migration):
    dependencies = [("innovations", "0001_initial")]

    operations = [
        migrations.RunSQL(DERIVE_SQL, UNDERIVE_SQL),
        migrations.RunSQL(REINDEX_SQL, UNREINDEX_SQL),
        migrations.RunSQL(TALLY_SQL, TALLY_REVERSE_SQL),
    ]
