from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JippConfig(AppConfig):
    name = "jipp"
    verbose_name = _("JIPP network")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from jipp import ops
        from jipp.accounts import start_session_clock

        # ops: cached public pages are invalidated when any portal record is saved (see jipp/ops.py).
        ops.connect_signals()
        # Session clock (jipp.accounts.SessionExpiryMiddleware) starts at every sign-in, however it
        # happens (the sign-in form, registration, the admin, the test client), before the session is
        # first saved, so pages never spend an extra write on it.
        user_logged_in.connect(start_session_clock, dispatch_uid="jipp_session_clock")
