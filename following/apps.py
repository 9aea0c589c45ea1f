from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowingConfig(AppConfig):
    name = "following"
    verbose_name = _("Following")

    def ready(self):
        from following.models import combine_follows_for_merge
        from jipp import directory

        directory.BEFORE_MERGE.append(combine_follows_for_merge)
