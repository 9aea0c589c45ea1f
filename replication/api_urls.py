from django.urls import path

from replication import api

urlpatterns = [
    path("replikasi/", api.ReplicationList.as_view(), name="replication_list"),
    path("replikasi/<str:pk>/", api.ReplicationDetail.as_view(), name="replication_detail"),
]
