from django.conf import settings
from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from jipp.models import Agency, Hub, Province


@require_safe
def home(request):
    hubs = Hub.objects.select_related("province").order_by("province__name")
    figures = {
        "provinces": Province.objects.count(),
        "hubs": len(hubs),
        "agencies": Agency.objects.count(),
    }
    from innovations.views import home_innovations

    return render(request, "jipp/home.html", {"hubs": hubs, "figures": figures, **home_innovations()})


@require_safe
def province_detail(request, slug):
    from innovations.views import province_innovations

    province = get_object_or_404(Province.objects.select_related("hub"), slug=slug)
    regencies = list(province.regencies.order_by("kind", "name"))
    agencies = list(province.agencies.select_related("regency").order_by("level", "name"))
    return render(
        request,
        "jipp/province_detail.html",
        {
            "province": province,
            "regencies": regencies,
            "agencies": agencies,
            "hub": getattr(province, "hub", None),
            **province_innovations(province),
        },
    )


@require_safe
def switch_language(request):
    """Set the interface language from a plain link or GET form and go back.

    A GET (not Django's POST-only ``set_language``) keeps public pages free of CSRF tokens and
    cookies, so they can be cached for everyone; choosing a language is not a sensitive action.
    """
    language = request.GET.get("language", "")
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response


@never_cache
@require_safe
def healthz(request):
    """Liveness with a database round trip: 200 when PostgreSQL answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
