from django.contrib import admin
from django.urls import include, path

from jipp import ops, views

handler404 = "jipp.views.page_not_found"
handler500 = "jipp.ops.server_error"  # ops: database outages become a 503, others the 500 page

urlpatterns = [
    path("", views.home, name="home"),
    path("provinsi/<slug:slug>/", views.province_detail, name="province_detail"),
    path("hub/", views.hub_list, name="hub_list"),
    path("hub/<slug:slug>/", views.hub_detail, name="hub_detail"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", ops.readyz, name="readyz"),  # ops: database and cache reachable
    path("bahasa/", views.switch_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("", include("innovations.urls")),
    path("replikasi/", include("replication.urls")),
]
