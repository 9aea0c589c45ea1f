"""A public page with a CSRF-protected form, for the page-cache tests (no such page exists yet)."""

from django.http import HttpResponse
from django.template import engines
from django.urls import include, path
from django.views.decorators.http import require_http_methods

FORM = engines["django"].from_string('<form method="post">{% csrf_token %}<button>Kirim</button></form>')


@require_http_methods(["GET", "POST"])
def form_page(request):
    if request.method == "POST":
        return HttpResponse("diterima")
    return HttpResponse(FORM.render({}, request))


urlpatterns = [path("formulir/", form_page), path("", include("jipp.urls"))]
