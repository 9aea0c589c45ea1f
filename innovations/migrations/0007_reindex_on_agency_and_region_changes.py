"""Innovations carry their agency's name, level and region in ``search_vector`` and ``facet_keys``
(trigger ``innovations_innovation_derive``, migration 0004) and its province and regency as columns.
When an agency is renamed or moved, or a province or regency renamed, its innovations are rewritten
here in the same statement, so search and facets never show the old name."""

from django.db import migrations

FORWARD_SQL = """
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

REVERSE_SQL = """
DROP TRIGGER IF EXISTS innovations_regency_changed ON jipp_regency;
DROP TRIGGER IF EXISTS innovations_province_changed ON jipp_province;
DROP FUNCTION IF EXISTS innovations_region_changed();
DROP TRIGGER IF EXISTS innovations_agency_changed ON jipp_agency;
DROP FUNCTION IF EXISTS innovations_agency_changed();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("innovations", "0006_place_sector_index"),
        ("jipp", "0004_innovation_tally"),
    ]

    operations = [migrations.RunSQL(FORWARD_SQL, REVERSE_SQL)]
