from django.contrib import admin
from django.urls import include, path

from hubs import monitoring, opendata, pages, statistics
from hubs import views as hubs
from innovations import media
from jipp import views
from jipp.accounts import views as accounts
from jipp.ops import health

# ops: every error status has a translated page in the site layout (jipp.ops, templates/4xx/5xx.html).
handler400 = "jipp.ops.errors.bad_request"
handler403 = "jipp.ops.errors.permission_denied"
handler404 = "jipp.ops.errors.page_not_found"
handler500 = "jipp.ops.errors.server_error"  # ops: database outages become a 503, others the 500 page

hub_management = [
    path("", hubs.hub_manage, name="hub_manage"),
    path("tim/", hubs.hub_team_add, name="hub_team_add"),
    path("tim/<int:pk>/", hubs.hub_team_edit, name="hub_team_edit"),
    path("acara/", hubs.hub_event_add, name="hub_event_add"),
    path("acara/<int:pk>/", hubs.hub_event_edit, name="hub_event_edit"),
    path("dokumen/", hubs.hub_document_add, name="hub_document_add"),
    path("dokumen/<int:pk>/", hubs.hub_document_edit, name="hub_document_edit"),
    path("universitas/", hubs.hub_university_add, name="hub_university_add"),
    path("universitas/<int:pk>/hapus/", hubs.hub_university_remove, name="hub_university_remove"),
    path("<str:kind>/<int:pk>/hapus/", hubs.hub_item_remove, name="hub_item_remove"),
]

urlpatterns = [
    path("", pages.home, name="home"),
    path("provinsi/<slug:slug>/", pages.province_detail, name="province_detail"),
    path("hub/", hubs.hub_list, name="hub_list"),
    path("hub/<slug:slug>/", hubs.hub_detail, name="hub_detail"),
    path("hub/<slug:slug>/dokumen/<int:pk>/", hubs.hub_document_file, name="hub_document_file"),
    path("hub/<slug:slug>/kelola/", include(hub_management)),
    path("data/", opendata.open_data, name="open_data"),
    path("data/catalog.jsonld", opendata.data_catalog, name="data_catalog"),
    path("statistik/", statistics.statistics_index, name="statistics"),
    path("statistik/cakupan/", statistics.coverage_national, name="coverage"),
    path("statistik/cakupan/<slug:slug>/", statistics.coverage_province, name="coverage_province"),
    path(
        "statistik/cakupan/<slug:province_slug>/<slug:slug>/",
        statistics.coverage_regency,
        name="coverage_regency",
    ),
    path("pemantauan/", monitoring.monitoring_index, name="monitoring"),
    path("pemantauan/hub/baru/", hubs.hub_designate, name="hub_designate"),
    path("pemantauan/hub/<slug:slug>/", monitoring.monitoring_hub, name="monitoring_hub"),
    path("pemantauan/hub/<slug:slug>/status/", hubs.hub_status, name="hub_status"),
    path(
        "pemantauan/hub/<slug:slug>/laporan/<int:year>/<int:month>/",
        monitoring.monitoring_report,
        name="monitoring_report",
    ),
    path("media/<path:name>", media.public_media, name="public_media"),  # ops: public files only
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),  # ops: database and cache reachable
    path("bahasa/", views.switch_language, name="set_language"),
    path("admin/", admin.site.urls),
    # Accounts and access requests (jipp/accounts.py)
    path("akun/masuk/", accounts.SignInView.as_view(), name="sign_in"),
    path(
        "akun/keluar/", accounts.SignOutView.as_view(http_method_names=["post", "options"]), name="sign_out"
    ),
    path("akun/kata-sandi/", accounts.PasswordChangeView.as_view(), name="password_change"),
    path("akun/kata-sandi/selesai/", accounts.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("akun/lupa-kata-sandi/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path(
        "akun/lupa-kata-sandi/terkirim/", accounts.PasswordResetDoneView.as_view(), name="password_reset_done"
    ),
    path(
        "akun/atur-ulang/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "akun/atur-ulang/selesai/",
        accounts.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("akun/daftar/", accounts.register, name="register"),
    path("akun/daftar/terkirim/", accounts.register_sent, name="register_sent"),
    path("akun/daftar/konfirmasi/<str:token>/", accounts.register_confirm, name="register_confirm"),
    path("akun/permintaan-akses/", accounts.access_request_list, name="access_request_list"),
    path("akun/permintaan-akses/<int:pk>/", accounts.access_request_detail, name="access_request_detail"),
    path("akun/petugas-hub/", accounts.officer_list, name="officer_list"),
    path("akun/petugas-hub/<int:pk>/cabut/", accounts.officer_revoke, name="officer_revoke"),
    path("akun/instansi/", accounts.agency_directory, name="agency_directory"),
    path("akun/instansi/<int:pk>/", accounts.agency_manage, name="agency_manage"),
    path("akun/instansi/<int:pk>/gabung/", accounts.agency_merge, name="agency_merge"),
    path("", include("innovations.urls")),
    path("api/", include("jipp.api_urls")),
    path("replikasi/", include("replication.urls")),
    path("", include("jipp.notifications.urls")),
    path("", include("following.urls")),
]
