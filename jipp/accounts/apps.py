from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "jipp.accounts"
    label = "accounts"
    verbose_name = _("Accounts and access requests")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from jipp.accounts.views import start_session_clock

        # Session clock (SessionExpiryMiddleware) starts at every sign-in, however it happens (the
        # sign-in form, registration, the admin, the test client), before the session is first saved,
        # so pages never spend an extra write on it.
        user_logged_in.connect(start_session_clock, dispatch_uid="jipp_session_clock")
