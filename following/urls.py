from django.urls import path

from following import feeds, views

app_name = "following"

urlpatterns = [
    path("ruang-kerja/ikuti/", views.follow_list, name="list"),
    path("ikuti/<slug:kind>/<slug:key>/", views.follow, name="follow"),
    path("feed/instansi/<slug:key>/", feeds.agency_feed, name="feed_agency"),
    path("feed/sektor/<slug:key>/", feeds.sector_feed, name="feed_sector"),
    path("feed/provinsi/<slug:key>/", feeds.province_feed, name="feed_province"),
    path("feed/hub/<slug:key>/", feeds.hub_feed, name="feed_hub"),
]
