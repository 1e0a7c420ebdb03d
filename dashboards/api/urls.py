from django.urls import path

from dashboards.api import views

urlpatterns = [
    path("stats/overview/", views.StatsOverviewView.as_view(), name="api-stats-overview"),
    path("stats/rankings/", views.RankingsView.as_view(), name="api-stats-rankings"),
    path("hotspots/", views.HotspotListView.as_view(), name="api-hotspots"),
]
