"""The background-job queue at a glance, for an operator or a monitoring probe.

    manage.py jobs_status [--max-wait SECONDS]

Prints one JSON line (``jipp.ops.jobs.queue_status``) and exits 1 when no worker has a current
heartbeat while jobs wait, or when the oldest job ready to run has waited longer than ``--max-wait``
(default 15 minutes): the queue is then not being worked off.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from jipp.ops.jobs import queue_status


class Command(BaseCommand):
    help = "Report waiting, running and failed background jobs and live workers; fail when jobs are stuck."

    def add_arguments(self, parser):
        parser.add_argument("--max-wait", type=int, default=15 * 60, help="seconds (default 900)")

    def handle(self, *args, max_wait, **options):
        status = queue_status()
        self.stdout.write(json.dumps(status))
        if status["waiting"] and not status["workers"]:
            raise CommandError(
                "Jobs are waiting and no worker is running (start `manage.py procrastinate worker`)."
            )
        if (status["oldest_waiting_seconds"] or 0) > max_wait:
            waited = status["oldest_waiting_seconds"]
            raise CommandError(
                f"The oldest waiting job has waited {waited} s (more than {max_wait} s): "
                "add workers or look at what keeps them busy."
            )
