"""Create demo data for local runs. Refuses to run unless JIPP_DEMO=1 (``make run`` sets it)."""

import importlib

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from jipp.demo import DEMO_PASSWORD


def seeders():
    """Each installed app's ``demo.seed``, in INSTALLED_APPS order (bottom to top), so later parts
    build on earlier ones: the network first, the hubs' pages and events last."""
    for config in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{config.name}.demo")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.demo":
                raise
            continue
        yield module.seed


class Command(BaseCommand):
    help = "Create idempotent demo data (hubs, agencies, accounts, records). Needs JIPP_DEMO=1."

    def handle(self, *args, **options):
        if not settings.JIPP_DEMO:
            raise CommandError("seed_demo only runs with JIPP_DEMO=1, so it can never touch a real database.")
        context = {}
        with transaction.atomic():
            for seed in seeders():
                context.update(seed(context=context) or {})
        self.stdout.write(self.style.SUCCESS(f"Demo data ready. Accounts (password: {DEMO_PASSWORD}):"))
        for username, role, scope in context.get("accounts", []):
            self.stdout.write(f"  {username:<16} {role:<9} {scope or ''}")
