from django.urls import path

from cases.api import views

urlpatterns = [
    path("categories/", views.CategoryListView.as_view(), name="api-categories"),
]
