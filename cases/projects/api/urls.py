from django.urls import path

from cases.projects.api import views

urlpatterns = [
    path("projects/", views.ProjectListView.as_view(), name="api-projects"),
    path("projects/<int:pk>/", views.ProjectDetailView.as_view(), name="api-project"),
    path("projects/<int:pk>/instruction/", views.ProjectInstructionView.as_view(), name="api-project-instruction"),
    path("cases/<int:pk>/similar/", views.SimilarCasesView.as_view(), name="api-case-similar"),
]
