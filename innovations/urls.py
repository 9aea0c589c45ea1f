from django.contrib.sitemaps import views as sitemap_views
from django.urls import path
from django.views.decorators.cache import cache_page
from django.views.decorators.http import require_safe

from innovations import views
from innovations.sitemaps import SITEMAPS

app_name = "innovations"

urlpatterns = [
    path("inovasi/", views.innovation_list, name="list"),
    path("inovasi/<slug:slug>/", views.innovation_detail, name="detail"),
    path("instansi/<slug:slug>/", views.agency_detail, name="agency_detail"),
    path("data/", views.open_data, name="open_data"),
    path("data/inovasi.csv", views.export_csv, name="export_csv"),
    path("data/inovasi.json", views.export_json, name="export_json"),
    path("feed/inovasi/", views.latest_feed, name="feed"),
    path(
        "sitemap.xml",
        require_safe(cache_page(3600)(sitemap_views.index)),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "innovations:sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        require_safe(cache_page(3600)(sitemap_views.sitemap)),
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    path("robots.txt", views.robots_txt, name="robots_txt"),
]
