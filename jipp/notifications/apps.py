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

        from django.contrib.auth.signals import user_logged_in

        from jipp.notifications.outbox import remember_first_language

        # Messages are written in the person's language: the one they sign in with, until they choose
        # another in their notification settings (infrastructure, like the session clock).
        user_logged_in.connect(remember_first_language, dispatch_uid="jipp_first_language")
