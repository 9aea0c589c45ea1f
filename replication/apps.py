from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReplicationConfig(AppConfig):
    name = "replication"
    verbose_name = _("Replication")

    def ready(self):
        from innovations import panels
        from jipp import menu
        from replication import rules
        from replication.panels import innovation_page_context

        menu.register("replication_workspace", rules.can_open_replication_workspace)
        panels.register(innovation_page_context)
