from django.urls import path

from dashboards.api import views

urlpatterns = [
    path("stats/overview/", views.StatsOverviewView.as_view(), name="api-stats-overview"),
    path("stats/rankings/", views.RankingsView.as_view(), name="api-stats-rankings"),
    path("hotspots/", views.HotspotListView.as_view(), name="api-hotspots"),
    path("projects/", views.ProjectListView.as_view(), name="api-projects"),
    path("projects/<int:pk>/", views.ProjectDetailView.as_view(), name="api-project"),
    # Declared here, next to the only code that answers it; cases.api has no catch-all route.
    path("cases/<int:pk>/similar/", views.SimilarCasesView.as_view(), name="api-case-similar"),
]
