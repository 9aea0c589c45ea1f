"""The portal's URLs plus views that answer the error statuses no public URL answers on demand
(a bare 409 and 429, an exception), for tests/ops/test_error_pages.py."""

from django.http import HttpResponse
from django.urls import include, path

from jipp.urls import handler400, handler403, handler404, handler500  # noqa: F401 - the same handlers


def bare(status):
    return lambda request: HttpResponse(status=status)


def broken(request):
    raise ValueError("a bug")


urlpatterns = [
    path("uji/409/", bare(409)),
    path("uji/429/", bare(429)),
    path("uji/500/", broken),
    path("", include("jipp.urls")),
]
