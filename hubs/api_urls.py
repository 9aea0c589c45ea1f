from django.urls import path

from hubs import api

urlpatterns = [
    path("hub/", api.HubList.as_view(), name="hub_list"),
    path("hub/<str:slug>/", api.HubDetail.as_view(), name="hub_detail"),
    path("statistik/", api.StatisticsList.as_view(), name="statistics_list"),
    path("statistik/<str:name>/", api.StatisticsDetail.as_view(), name="statistics_detail"),
]
