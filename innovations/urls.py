from django.urls import path

from innovations import views

app_name = "innovations"

urlpatterns = [
    path("instansi/<slug:slug>/", views.agency_detail, name="agency_detail"),
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
