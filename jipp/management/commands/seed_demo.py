"""Create demo data for local runs. Refuses to run unless JIPP_DEMO=1 (``make run`` sets it)."""

import importlib

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from jipp.demo import DEMO_PASSWORD

# Each app seeds its own part, in this order; later parts build on earlier ones.
# jipp.demo_hubs runs last: hub pages, events and documents on top of everyone else's records.
SEEDERS = ["jipp.demo", "innovations.demo", "innovations.demo_workflow", "replication.demo", "jipp.demo_hubs"]


class Command(BaseCommand):
    help = "Create idempotent demo data (hubs, agencies, accounts, records). Needs JIPP_DEMO=1."

    def handle(self, *args, **options):
        if not settings.JIPP_DEMO:
            raise CommandError("seed_demo only runs with JIPP_DEMO=1, so it can never touch a real database.")
        context = {}
        with transaction.atomic():
            for module_name in SEEDERS:
                try:
                    module = importlib.import_module(module_name)
                except ModuleNotFoundError as error:
                    if error.name != module_name:
                        raise
                    continue
                context.update(module.seed(context=context) or {})
        self.stdout.write(self.style.SUCCESS(f"Demo data ready. Accounts (password: {DEMO_PASSWORD}):"))
        for username, role, scope in context.get("accounts", []):
            self.stdout.write(f"  {username:<16} {role:<9} {scope or ''}")
