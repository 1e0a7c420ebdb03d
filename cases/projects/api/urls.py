from django.urls import path

from cases.projects.api import views

urlpatterns = [
    path("projects/", views.ProjectListView.as_view(), name="api-projects"),
    path("projects/<int:pk>/", views.ProjectDetailView.as_view(), name="api-project"),
    path("projects/<int:pk>/milestones/", views.MilestoneListView.as_view(), name="api-project-milestones"),
    path(
        "projects/<int:pk>/milestones/<int:mid>/complete/",
        views.MilestoneCompleteView.as_view(),
        name="api-project-milestone-complete",
    ),
    path("projects/<int:pk>/updates/", views.ProgressUpdateView.as_view(), name="api-project-updates"),
    path("projects/<int:pk>/instruction/", views.ProjectInstructionView.as_view(), name="api-project-instruction"),
    path("cases/<int:pk>/similar/", views.SimilarCasesView.as_view(), name="api-case-similar"),
]
