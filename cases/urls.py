from django.urls import path

from cases import views
from cases.actions import ACTIONS

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_new, name="new"),
    path("<int:pk>/", views.case_detail, name="detail"),
    # One route per action name (the same names as the API's), no catch-all.
    *(path(f"<int:pk>/{name}/", views.case_action, {"action": name}, name=f"action-{name}") for name in ACTIONS),
]
