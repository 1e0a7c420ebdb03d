from django.urls import path

from dashboards.api import views

urlpatterns = [
    path("stats/overview/", views.StatsOverviewView.as_view(), name="api-stats-overview"),
    path("stats/rankings/", views.RankingsView.as_view(), name="api-stats-rankings"),
    path("stats/map/", views.MapView.as_view(), name="api-stats-map"),
    path("hotspots/", views.HotspotListView.as_view(), name="api-hotspots"),
]
