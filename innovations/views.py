from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from jipp.models import Agency


@require_safe
def agency_detail(request, slug):
    agency = get_object_or_404(Agency.objects.select_related("province", "regency"), slug=slug)
    return render(request, "innovations/agency_detail.html", {"agency": agency})
