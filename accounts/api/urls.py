from django.urls import path

from accounts.api import views

urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="api-token"),
    path("me/", views.MeView.as_view(), name="api-me"),
    path("org-units/", views.OrgUnitListView.as_view(), name="api-org-units"),
    path("stations/", views.StationListView.as_view(), name="api-stations"),
]
