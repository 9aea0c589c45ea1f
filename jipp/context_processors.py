from django.conf import settings
from django.utils.functional import cached_property

from jipp import access


class Menu:
    """What the main menu offers the signed-in person: each entry is decided by the rule in jipp.access
    that the page's own view applies, so the menu never offers a page that answers 403. Lazy: nothing
    is computed unless a template asks (``roles_of`` is one query per request, shared with the view)."""

    def __init__(self, user):
        self._user = user

    @cached_property
    def monitoring(self):
        return access.can_monitor(self._user)

    @cached_property
    def replication_workspace(self):
        return access.can_open_replication_workspace(self._user)


def portal(request):
    """Values every page's layout needs; no database queries until the menu is rendered."""
    return {"JIPP_DEMO": settings.JIPP_DEMO, "menu": Menu(getattr(request, "user", None))}
