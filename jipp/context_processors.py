from django.conf import settings


def portal(request):
    """Values every page's layout needs; no database queries."""
    return {"JIPP_DEMO": settings.JIPP_DEMO}
