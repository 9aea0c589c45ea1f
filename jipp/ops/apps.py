from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    name = "jipp.ops"
    label = "ops"
    verbose_name = _("Operations")

    def ready(self):
        from jipp.ops import cache

        # Cached public pages are invalidated when any portal record is saved (jipp/ops/cache.py).
        cache.connect_signals()
