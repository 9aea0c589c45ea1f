from django.urls import path

from jipp.notifications import views

app_name = "notifications"

urlpatterns = [
    path("ruang-kerja/kotak-masuk/", views.inbox, name="inbox"),
    path("ruang-kerja/kotak-masuk/<int:pk>/", views.notification_detail, name="detail"),
    path("ruang-kerja/kotak-masuk/<int:pk>/dibaca/", views.mark_read, name="mark_read"),
    path("ruang-kerja/kotak-masuk/semua-dibaca/", views.mark_all_read, name="mark_all_read"),
    path("ruang-kerja/pemberitahuan/", views.notification_settings, name="settings"),
    path("pemberitahuan/berhenti/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
