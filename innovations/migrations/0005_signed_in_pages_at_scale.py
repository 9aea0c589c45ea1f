"""What the signed-in pages (workspace, monitoring, the monthly report) need at a million records.

- ``InnovationTally`` also counts every record by status (dimension ``status``), for the ministry's
  workspace figures: the trigger of ``0002_database_rules`` is replaced by one that adds those cells.
- Indexes on (province, submitted) and (province, published) for the monthly hub report.
- A partial index on the featured records (home page, the ministry's workspace).
- The partial index ``innovation_confirmation_due`` on (province, the day last confirmed, id) over
  published records (``innovations.rules.confirmed_on``), for the re-confirmation lists and counts.
"""

from django.db import migrations, models

import innovations.rules

PUBLISHED_CELLS = """
        SELECT c.dimension, c.key, SUM(c.delta)
          FROM changes, LATERAL (VALUES
              ('province', changes.province_id::text, changes.delta),
              ('sector', changes.sector, changes.delta),
              ('stage', changes.stage, changes.delta),
              ('kind', changes.kind, changes.delta),
              ('year', EXTRACT(YEAR FROM changes.started_on)::int::text, changes.delta),
              ('status', changes.status, changes.delta)
          ) AS c(dimension, key, delta)
         WHERE changes.status = 'published' OR c.dimension = 'status'
         GROUP BY c.dimension, c.key
        HAVING SUM(c.delta) <> 0
         ORDER BY c.dimension, c.key
        ON CONFLICT (dimension, key) DO UPDATE SET count = innovations_innovationtally.count + EXCLUDED.count;
""".strip()

# Same shape as before (one statement-level trigger, rows upserted in a fixed order); the changes now
# carry every row with its status, and only the status cells count the unpublished ones.
TALLY_SQL = """
CREATE OR REPLACE FUNCTION jipp_innovation_tally() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        WITH changes AS (
            SELECT 1 AS delta, province_id, sector, stage, kind, started_on, status FROM new_rows
        )
        INSERT INTO innovations_innovationtally (dimension, key, count) CELLS
    ELSIF TG_OP = 'DELETE' THEN
        WITH changes AS (
            SELECT -1 AS delta, province_id, sector, stage, kind, started_on, status FROM old_rows
        )
        INSERT INTO innovations_innovationtally (dimension, key, count) CELLS
    ELSE
        WITH changes AS (
            SELECT -1 AS delta, province_id, sector, stage, kind, started_on, status FROM old_rows
            UNION ALL
            SELECT 1 AS delta, province_id, sector, stage, kind, started_on, status FROM new_rows
        )
        INSERT INTO innovations_innovationtally (dimension, key, count) CELLS
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

INSERT INTO innovations_innovationtally (dimension, key, count)
SELECT 'status', status, COUNT(*) FROM innovations_innovation GROUP BY status
ON CONFLICT (dimension, key) DO UPDATE SET count = EXCLUDED.count;
""".replace("CELLS", PUBLISHED_CELLS)

# Back to counting published records only (the behaviour of 0002), and no status cells.
UNTALLY_SQL = (
    TALLY_SQL.split("INSERT INTO innovations_innovationtally (dimension, key, count)\nSELECT 'status'")[
        0
    ].replace(
        "WHERE changes.status = 'published' OR c.dimension = 'status'",
        "WHERE changes.status = 'published' AND c.dimension <> 'status'",
    )
    + "\nDELETE FROM innovations_innovationtally WHERE dimension = 'status';\n"
)


class Migration(migrations.Migration):
    dependencies = [("innovations", "0003_reconfirmation_reminder")]

    operations = [
        migrations.AlterField(
            model_name="innovationtally",
            name="dimension",
            field=models.CharField(
                choices=[
                    ("province", "Province"),
                    ("sector", "Sector"),
                    ("stage", "Stage"),
                    ("kind", "Kind"),
                    ("year", "Year"),
                    ("status", "Status"),
                ],
                max_length=10,
            ),
        ),
        migrations.RunSQL(TALLY_SQL, UNTALLY_SQL),
        migrations.AddIndex(
            model_name="innovation",
            index=models.Index(
                models.F("province"),
                innovations.rules.confirmed_on(),
                models.F("id"),
                condition=models.Q(("status", "published")),
                include=("last_confirmed_on", "published_at"),
                name="innovation_confirmation_due",
            ),
        ),
        migrations.AddIndex(
            model_name="innovation",
            index=models.Index(
                fields=["-published_at", "-id"],
                condition=models.Q(("is_featured", True), ("status", "published")),
                name="innovation_featured_newest",
            ),
        ),
        migrations.AddIndex(
            model_name="innovation",
            index=models.Index(fields=["province", "submitted_at"], name="innovation_province_submitted"),
        ),
        migrations.AddIndex(
            model_name="innovation",
            index=models.Index(fields=["province", "published_at"], name="innovation_province_published"),
        ),
    ]
