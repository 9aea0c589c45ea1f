"""The read-only JSON API under /api/ (namespace ``api``). Each app adds its endpoints with one line:
``path("", include("<app>.api_urls"))``; the OpenAPI schema at /api/schema/ covers them all."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

app_name = "api"

urlpatterns = [
    path("", include("innovations.api_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
]
