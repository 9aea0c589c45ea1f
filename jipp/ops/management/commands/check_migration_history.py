"""Refuse, with a clear way out, a database whose migration history this code no longer has.

The migration history was rewritten into fresh initial migrations when the apps were reorganised
(no deployment existed yet). A local database made before that still lists the old migrations; run
``migrate`` on it and PostgreSQL fails half-way with a duplicate object. ``make run`` calls this first.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.loader import MigrationLoader

OUR_APPS = {"jipp", "ops", "accounts", "innovations", "replication", "hubs"}


class Command(BaseCommand):
    help = "Fail clearly when the database was migrated by an older layout of the portal."

    def handle(self, *args, **options):
        loader = MigrationLoader(connection, ignore_no_migrations=True)
        unknown = sorted(
            f"{app}.{name}"
            for app, name in loader.applied_migrations
            if app in OUR_APPS and (app, name) not in loader.disk_migrations
        )
        if unknown:
            raise CommandError(
                "This database was set up by an older layout of the portal: it has migrations this code "
                f"no longer has ({', '.join(unknown[:3])}{', ...' if len(unknown) > 3 else ''}).\n"
                "For the local database under var/, run `make reset-db` (it deletes var/pgdata and with it "
                "the local demo data), then `make run` again."
            )
        self.stdout.write("Migration history matches this code.")
