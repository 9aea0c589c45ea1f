from django.contrib import admin
from django.urls import include, path

from jipp import accounts, views

handler404 = "jipp.views.page_not_found"
handler500 = "jipp.views.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("provinsi/<slug:slug>/", views.province_detail, name="province_detail"),
    path("hub/", views.hub_list, name="hub_list"),
    path("hub/<slug:slug>/", views.hub_detail, name="hub_detail"),
    path("healthz", views.healthz, name="healthz"),
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
    path("akun/permintaan-akses/", accounts.access_request_list, name="access_request_list"),
    path("akun/permintaan-akses/<int:pk>/", accounts.access_request_detail, name="access_request_detail"),
    path("akun/petugas-hub/", accounts.officer_list, name="officer_list"),
    path("akun/petugas-hub/<int:pk>/cabut/", accounts.officer_revoke, name="officer_revoke"),
    path("", include("innovations.urls")),
    path("replikasi/", include("replication.urls")),
]
