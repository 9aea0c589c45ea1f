from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HubsConfig(AppConfig):
    name = "hubs"
    verbose_name = _("Province hubs")

    def ready(self):
        from hubs import rules
        from jipp import menu

        menu.register("monitoring", rules.can_monitor)
