from django.urls import path

from residents.api import views

urlpatterns = [
    path("public/stations/<str:token>/", views.StationView.as_view(), name="api-public-station"),
    path("public/requests/", views.RequestCreateView.as_view(), name="api-public-requests"),
    path("public/requests/<str:code>/", views.RequestTrackView.as_view(), name="api-public-request"),
    path("public/requests/<str:code>/rating/", views.RequestRateView.as_view(), name="api-public-rating"),
]
