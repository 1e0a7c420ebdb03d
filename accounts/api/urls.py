from django.urls import path

from accounts.api import views
from accounts.api.deactivate import UserDeactivateView

urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="api-token"),
    path("auth/logout/", views.LogoutView.as_view(), name="api-logout"),
    path("auth/tokens/", views.ApiTokenListView.as_view(), name="api-tokens"),
    path("auth/tokens/<int:pk>/", views.ApiTokenDetailView.as_view(), name="api-token-detail"),
    path("me/", views.MeView.as_view(), name="api-me"),
    path("org-units/", views.OrgUnitListView.as_view(), name="api-org-units"),
    path("stations/", views.StationListView.as_view(), name="api-stations"),
    path("users/<int:pk>/deactivate/", UserDeactivateView.as_view(), name="api-user-deactivate"),
]
