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
    path("data/inovasi.csv", views.export_csv, name="export_csv"),
    path("data/inovasi.json", views.export_json, name="export_json"),
    path("data/inovasi.xlsx", views.export_xlsx, name="export_xlsx"),
    path("data/instansi.csv", views.agencies_csv, name="agencies_csv"),
    path("data/instansi.json", views.agencies_json, name="agencies_json"),
    path("data/instansi.xlsx", views.agencies_xlsx, name="agencies_xlsx"),
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

# --- Workspace and review workflow (issue 4): innovations/workspace.py -----------------------------------
from innovations import workspace  # noqa: E402

_record = "ruang-kerja/inovasi/<int:pk>/"
urlpatterns += [
    path("ruang-kerja/", workspace.dashboard, name="workspace"),
    path("ruang-kerja/inovasi/baru/", workspace.innovation_create, name="innovation_create"),
    path(_record, workspace.workspace_innovation, name="workspace_innovation"),
    path(_record + "ubah/<slug:section>/", workspace.innovation_edit, name="innovation_edit"),
    path(_record + "bukti/", workspace.evidence_add, name="evidence_add"),
    path(_record + "bukti/<int:evidence_pk>/hapus/", workspace.evidence_remove, name="evidence_remove"),
    path(_record + "penghargaan/", workspace.award_add, name="award_add"),
    path(_record + "penghargaan/<slug:award_key>/hapus/", workspace.award_remove, name="award_remove"),
    path("bukti/<int:pk>/", workspace.evidence_download, name="evidence_download"),
    path(_record + "ajukan/", workspace.transition, {"action": "submit"}, name="innovation_submit"),
    path(_record + "terbitkan/", workspace.transition, {"action": "publish"}, name="innovation_publish"),
    path(_record + "kembalikan/", workspace.transition, {"action": "return"}, name="innovation_return"),
    path(_record + "konfirmasi/", workspace.transition, {"action": "reconfirm"}, name="innovation_reconfirm"),
    path(_record + "arsipkan/", workspace.transition, {"action": "archive"}, name="innovation_archive"),
    path(_record + "unggulkan/", workspace.transition, {"action": "feature"}, name="innovation_feature"),
    path(
        _record + "batal-unggulan/",
        workspace.transition,
        {"action": "unfeature"},
        name="innovation_unfeature",
    ),
    path(
        _record + "buang-perubahan/",
        workspace.transition,
        {"action": "discard_edit"},
        name="innovation_discard_edit",
    ),
]

# --- Bulk import (issue 12): innovations/imports.py ------------------------------------------------------
from django.urls import re_path  # noqa: E402

from innovations import imports  # noqa: E402

urlpatterns += [
    path("ruang-kerja/impor/", imports.import_start, name="import_start"),
    path("ruang-kerja/impor/<uuid:uuid>/", imports.import_run, name="import_run"),
    path("ruang-kerja/impor/<uuid:uuid>/impor/", imports.import_confirm, name="import_confirm"),
    path("ruang-kerja/impor/<uuid:uuid>/laporan.csv", imports.import_report, name="import_report"),
    path("ruang-kerja/impor/duplikat/<int:pk>/", imports.import_flag_decide, name="import_flag_decide"),
    re_path(
        r"^data/templat-impor\.(?P<file_format>xlsx|csv)$", imports.import_template, name="import_template"
    ),
]
