from django.urls import path

from households import views

app_name = "households"
urlpatterns = [
    path("", views.ledger, name="ledger"),
    path("new/", views.household_new, name="new"),
    path("<int:pk>/", views.record, name="record"),
    path("stations/<int:station_id>/", views.station, name="station"),
]
