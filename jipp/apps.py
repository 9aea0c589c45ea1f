from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JippConfig(AppConfig):
    name = "jipp"
    verbose_name = _("JIPP network")

    def ready(self):
        # ops: cached public pages are invalidated when any portal record is saved (see jipp/ops.py).
        from jipp import ops

        ops.connect_signals()
