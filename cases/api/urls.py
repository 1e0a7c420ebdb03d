from django.urls import path

from cases.actions import ACTIONS
from cases.api import views

urlpatterns = [
    path("categories/", views.CategoryListView.as_view(), name="api-categories"),
    path("cases/", views.CaseListView.as_view(), name="api-cases"),
    path("cases/<int:pk>/", views.CaseDetailView.as_view(), name="api-case"),
    path("cases/<int:pk>/events/", views.CaseEventListView.as_view(), name="api-case-events"),
    # One route per action definition (the same names as the pages'), no catch-all.
    *(path(f"cases/<int:pk>/{a.name}/", views.action_view(a), name=f"api-case-{a.name}") for a in ACTIONS.values()),
]
