from django.urls import path

from cases.projects import views

app_name = "projects"
urlpatterns = [
    path("", views.project_list, name="list"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/instruction/", views.project_instruction_page, name="instruction"),
]
