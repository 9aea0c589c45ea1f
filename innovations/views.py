from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from jipp.models import Agency, Hub


@require_safe
def agency_detail(request, slug):
    agency = get_object_or_404(Agency.objects.select_related("province", "regency"), slug=slug)
    return render(request, "innovations/agency_detail.html", {"agency": agency})


@require_safe
def hub_detail(request, slug):
    hub = get_object_or_404(Hub.objects.select_related("province"), slug=slug)
    universities = list(hub.universities.all())
    return render(request, "innovations/hub_detail.html", {"hub": hub, "universities": universities})
