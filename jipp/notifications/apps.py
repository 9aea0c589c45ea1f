from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "jipp.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from jipp import menu
        from jipp.notifications import rules

        menu.register("inbox", rules.has_inbox)
