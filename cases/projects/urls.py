from django.urls import path

from cases.projects import views

app_name = "projects"
urlpatterns = [
    path("", views.project_list, name="list"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/milestones/", views.milestone_add_page, name="milestone-add"),
    path("<int:pk>/milestones/<int:mid>/complete/", views.milestone_complete_page, name="milestone-complete"),
    path("<int:pk>/updates/", views.progress_update_page, name="update"),
    path("<int:pk>/instruction/", views.project_instruction_page, name="instruction"),
]
