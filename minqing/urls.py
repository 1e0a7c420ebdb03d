from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from core import views as core_views
from home import views as home_views

api_v1 = [
    path("", include("accounts.api.urls")),
    path("", include("cases.api.urls")),
    path("", include("cases.projects.api.urls")),
    path("", include("diaries.api.urls")),
    path("", include("notifications.api.urls")),
    path("", include("dashboards.api.urls")),
    path("", include("oversight.api.urls")),
    path("", include("integrations.api.urls")),
    path("", include("households.api.urls")),
    path("", include("households.picker")),
    path("", include("residents.api.urls")),
]

handler400 = core_views.bad_request
handler403 = core_views.permission_denied
handler404 = core_views.not_found
handler500 = core_views.server_error

urlpatterns = [
    path("", home_views.home, name="home"),
    path("healthz", core_views.health, name="health"),
    # The offline shell (README, "Offline"): the worker must be served from the root to control /diaries/new/.
    path("sw.js", core_views.service_worker, name="service-worker"),
    path("manifest.webmanifest", core_views.web_manifest, name="web-manifest"),
    path("accounts/", include("accounts.urls")),
    path("diaries/", include("diaries.urls")),
    path("households/", include("households.urls")),
    path("cases/", include("cases.urls")),
    path("projects/", include("cases.projects.urls")),
    path("notifications/", include("notifications.urls")),
    path("dashboard/", include("dashboards.urls")),
    path("audit/", include("audit.urls")),
    path("oversight/", include("oversight.urls")),
    path("households/import/", include("households.import_urls")),
    path("residents/", include("residents.staff_urls")),
    # The residents' own pages (民情码): no sign-in.
    path("r/", include("residents.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("text-size/", core_views.set_text_size, name="text-size"),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The browsable docs are a page: anonymous visitors go to the sign-in page first.
    path("api/docs/", login_required(SpectacularSwaggerSplitView.as_view(url_name="schema")), name="api-docs"),
]
