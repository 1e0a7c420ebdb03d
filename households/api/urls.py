from django.urls import path

from households.api import views

urlpatterns = [
    path("households/", views.HouseholdListView.as_view(), name="api-households"),
    path("households/<int:pk>/", views.HouseholdDetailView.as_view(), name="api-household"),
    path("households/<int:pk>/timeline/", views.HouseholdTimelineView.as_view(), name="api-household-timeline"),
]
