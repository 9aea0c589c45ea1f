from django.conf import settings

from jipp.menu import Menu


def portal(request):
    """Values every page's layout needs; no database queries until the menu is rendered."""
    return {"JIPP_DEMO": settings.JIPP_DEMO, "menu": Menu(getattr(request, "user", None))}
