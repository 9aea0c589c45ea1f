from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from jipp.ops import backup


class Command(BaseCommand):
    help = "Back up the database (pg_dump -Fc) and every media file into a new directory, with a manifest."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            help="directory to create (default: var/backups/<timestamp>); must not exist or be empty",
        )

    def handle(self, *args, output=None, **options):
        from django.conf import settings

        dest = Path(output or settings.VAR_DIR / "backups" / timezone.now().strftime("%Y%m%dT%H%M%S"))
        try:
            manifest = backup.backup(dest)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(t["rows"] for t in manifest["tables"].values())
        self.stdout.write(
            f"Backed up {len(manifest['tables'])} tables ({rows} rows) and "
            f"{len(manifest['files'])} media files to {dest}"
        )
