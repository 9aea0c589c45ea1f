from pathlib import Path

import dj_database_url
from django.core.management.base import BaseCommand, CommandError

from jipp.ops import backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup`: the database with pg_restore, the media files "
        "through the storage, then verify every table and file against the manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("input", help="the backup directory")
        parser.add_argument(
            "--database-url",
            help="restore into this database instead of the configured one (safest: a fresh database)",
        )
        parser.add_argument(
            "--yes-overwrite",
            action="store_true",
            help="required to restore over the configured database: its tables are dropped first",
        )

    def handle(self, *args, input, database_url=None, yes_overwrite=False, **options):
        if database_url:
            params = backup.libpq_params(dj_database_url.parse(database_url))
        elif yes_overwrite:
            params = backup.libpq_params()
        else:
            raise CommandError(
                "Give --database-url for a fresh database, or --yes-overwrite to replace the configured one."
            )
        try:
            report = backup.restore(Path(input), params=params)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored and verified {report['tables']} tables ({report['rows']} rows) "
            f"and {report['files']} media files"
        )
