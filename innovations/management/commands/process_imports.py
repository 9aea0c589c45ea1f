"""``manage.py process_imports [--watch]``: process the imports waiting for the background (files too
large to check or import while the person waits). Run it beside the web servers until the job queue
takes over (its task calls ``innovations.importing.process_run`` with the run's id)."""

import time

from django.core.management.base import BaseCommand

from innovations import importing


class Command(BaseCommand):
    help = "Process waiting bulk imports (innovations)."

    def add_arguments(self, parser):
        parser.add_argument("--watch", action="store_true", help="Keep running, looking every few seconds.")

    def handle(self, *args, watch, **options):
        while True:
            for run_id in list(importing.runs_waiting().values_list("pk", flat=True)[:10]):
                run = importing.process_run(run_id)
                if run is not None:
                    self.stdout.write(
                        f"{run.original_name}: {run.get_phase_display()} {run.get_status_display()}"
                    )
            if not watch:
                return
            time.sleep(3)
