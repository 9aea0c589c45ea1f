"""The network's public overview: the home page and the province pages."""

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from innovations.views import home_innovations, province_innovations
from jipp.models import Agency, Hub, Province


@require_safe
def home(request):
    hubs = Hub.objects.select_related("province").order_by("province__name")
    figures = {
        "provinces": Province.objects.count(),
        "hubs": len(hubs),
        "agencies": Agency.objects.listed().count(),
    }
    return render(request, "hubs/home.html", {"hubs": hubs, "figures": figures, **home_innovations()})


@require_safe
def province_detail(request, slug):
    province = get_object_or_404(Province.objects.select_related("hub"), slug=slug)
    regencies = list(province.regencies.order_by("kind", "name"))
    agencies = list(province.agencies.listed().select_related("regency").order_by("level", "name"))
    return render(
        request,
        "hubs/province_detail.html",
        {
            "province": province,
            "regencies": regencies,
            "agencies": agencies,
            "hub": getattr(province, "hub", None),
            **province_innovations(province),
        },
    )
