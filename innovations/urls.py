from django.urls import path

from innovations import views

app_name = "innovations"

urlpatterns = [
    path("instansi/<slug:slug>/", views.agency_detail, name="agency_detail"),
]
