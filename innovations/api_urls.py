from django.urls import path

from innovations import api

urlpatterns = [
    path("inovasi/", api.InnovationList.as_view(), name="innovation_list"),
    path("inovasi/<str:slug>/", api.InnovationDetail.as_view(), name="innovation_detail"),
]
