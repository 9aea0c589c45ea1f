"""``manage.py import_innovations FILE [--dry-run] [--valid-only] [--as EMAIL] [--publish]``: the bulk
import of the workspace from the command line (same checks, same rules, same report).

Without ``--as`` it acts as the portal's operators (every province, no person in the audit trail);
with ``--as`` it acts with that person's rights (an officer imports for their province only, and only the
ministry may publish). The file is checked first; nothing is saved while any row is refused unless
``--valid-only`` is given.
"""

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from innovations import importing, rules
from innovations.models import ImportRun


class Command(BaseCommand):
    help = "Import innovations from a CSV or XLSX file (columns in docs/import.md)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check only: list the problems, save nothing."
        )
        parser.add_argument(
            "--valid-only", action="store_true", help="Import the valid rows even if some are refused."
        )
        parser.add_argument("--as", dest="as_email", metavar="EMAIL", help="Act with this person's rights.")
        parser.add_argument(
            "--publish", action="store_true", help="Publish new records directly (ministry only)."
        )
        parser.add_argument(
            "--language", default="id", choices=["id", "en"], help="Language of the messages."
        )

    def handle(self, *args, file, dry_run, valid_only, as_email, publish, language, **options):
        self.show_progress = options["verbosity"] > 1 or sys.stderr.isatty()
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        user = None
        if as_email:
            user = get_user_model().objects.filter(email__iexact=as_email, is_active=True).first()
            if user is None:
                raise CommandError(f"No active account has the email {as_email}.")
            if not rules.can_import_innovations(user):
                raise CommandError(
                    f"{as_email} may not import innovations (hub officers and the ministry may)."
                )
            if publish and not rules.can_publish_imports(user):
                raise CommandError(
                    f"{as_email} may not publish imported records directly (only the ministry)."
                )
        with translation.override(language):
            run = ImportRun(
                created_by=user, original_name=path.name[:200], file_size=path.stat().st_size,
                language=language, publish=publish,
            )  # fmt: skip
            with path.open("rb") as handle:
                run.file.save(path.name, File(handle), save=False)
            run.save()
            run = self._process(run)
            self._summary(run, checking=True)
            if run.status == ImportRun.Status.FAILED:
                raise CommandError(run.error)
            if dry_run:
                return
            if run.refused_count and not valid_only:
                raise CommandError(
                    "Nothing was imported: some rows were refused. Correct them, or pass --valid-only."
                )
            if not run.can_import:
                self.stdout.write("Nothing to import.")
                return
            importing.start_import(run_id=run.pk, by=user, valid_only=valid_only)
            run = self._process(run)
            self._summary(run, checking=False)
            if run.status == ImportRun.Status.FAILED:
                raise CommandError(run.error)

    def _process(self, run):
        def progress(done, total):
            if self.show_progress:
                sys.stderr.write(f"\r{done:,} / {total or '?'} rows")
                sys.stderr.flush()

        run = importing.process_run(run.pk, on_batch=progress)
        if self.show_progress:
            sys.stderr.write("\n")
        return run

    def _summary(self, run, *, checking):
        for problem in run.problems:
            self.stdout.write(f"row {problem['row']}, {problem['column']}: {problem['reason']}")
        if len(run.problems) >= importing.PROBLEMS_KEPT:
            self.stdout.write("… more problems in the report.")
        verb = "Check" if checking else "Import"
        self.stdout.write(
            f"{verb} of {run.original_name}: {run.rows_done:,} rows — new {run.new_count:,}, "
            f"updated {run.updated_count:,}, unchanged {run.unchanged_count:,}, "
            f"refused {run.refused_count:,}, "
            f"possible duplicates {run.flagged_count:,}."
        )
        if run.report:
            self.stdout.write(
                f"Report: {run.report.path if hasattr(run.report, 'path') else run.report.name}"
            )
