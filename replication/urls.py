from django.urls import path

from replication import views

app_name = "replication"

urlpatterns = [
    # Public
    path("", views.public_list, name="public_list"),
    path("<int:pk>/", views.public_detail, name="public_detail"),
    # Open data: whole downloads; the paged, syncable API is /api/replikasi/ (replication/api.py)
    path("data/replikasi.json", views.export_json, name="export_json"),
    path("data/replikasi/<int:pk>.json", views.api_detail, name="api_detail"),  # moved: a redirect
    path("data/replikasi.csv", views.export_csv, name="export_csv"),
    path("data/replikasi.xlsx", views.export_xlsx, name="export_xlsx"),
    # Asking to replicate a published innovation (linked from the innovation page)
    path("ajukan/<slug:slug>/", views.request_create, name="request_create"),
    # Workspace
    path("ruang-kerja/", views.workspace, name="workspace"),
    path("ruang-kerja/permintaan/", views.my_requests, name="my_requests"),
    path("ruang-kerja/masuk/", views.incoming, name="incoming"),
    path("ruang-kerja/antrean/", views.queue, name="queue"),
    path("ruang-kerja/<int:pk>/", views.detail, name="detail"),
    path("ruang-kerja/<int:pk>/putuskan/", views.step, {"name": "decide"}, name="decide"),
    path("ruang-kerja/<int:pk>/tarik/", views.step, {"name": "withdraw"}, name="withdraw"),
    path("ruang-kerja/<int:pk>/kesepakatan/", views.step, {"name": "agreement"}, name="agreement"),
    path("ruang-kerja/<int:pk>/pendampingan/", views.step, {"name": "mentoring"}, name="mentoring"),
    path("ruang-kerja/<int:pk>/laporan/", views.step, {"name": "progress"}, name="progress"),
    path("ruang-kerja/<int:pk>/diterapkan/", views.step, {"name": "implement"}, name="implement"),
    path("ruang-kerja/<int:pk>/evaluasi/", views.step, {"name": "evaluate"}, name="evaluate"),
]
