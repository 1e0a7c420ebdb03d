from django.urls import path
from django.views.generic import RedirectView

from dashboards.views import activity, exports, hotspots, households, map, overview, rankings, report
from oversight.score_views import scores_page

app_name = "dashboards"
urlpatterns = [
    path("", overview.overview, name="overview"),
    path("officers/", activity.officers, name="officers"),
    path("households/", households.households, name="households"),
    path("rankings/", rankings.rankings, name="rankings"),
    path("scores/", scores_page, name="scores"),
    path("hotspots/", hotspots.hotspots, name="hotspots"),
    path("hotspots/detect/", hotspots.hotspot_detect, name="hotspot-detect"),
    path("hotspots/<int:pk>/project/", hotspots.hotspot_to_project, name="hotspot-project"),
    # Projects moved to /projects/ (cases.projects); old links and bookmarks still land there.
    path("projects/", RedirectView.as_view(pattern_name="projects:list", permanent=True, query_string=True)),
    path("projects/<int:pk>/", RedirectView.as_view(pattern_name="projects:detail", permanent=True, query_string=True)),
    path("map/", map.map_page, name="map"),
    path("map/boundaries/", map.boundaries_page, name="map-boundaries"),
    path("report/", report.report, name="report"),
    path("report/pdf/", report.report_pdf, name="report-pdf"),
    path("report/recompute/", report.report_recompute, name="report-recompute"),
    path("exports/", exports.my_exports, name="exports"),
    path("exports/<int:pk>/download/", exports.download, name="export-download"),
    path("export/cases/", exports.export_cases, name="export-cases"),
    path("export/<slug:kind>/", exports.export_table, name="export-table"),
]
