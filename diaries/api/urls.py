from django.urls import path

from diaries.api import views

urlpatterns = [
    path("diaries/", views.DiaryListCreateView.as_view(), name="api-diaries"),
    path("diaries/<int:pk>/", views.DiaryDetailView.as_view(), name="api-diary"),
    path("diaries/<int:pk>/review/", views.DiaryReviewView.as_view(), name="api-diary-review"),
    path("diaries/photos/<int:pk>/", views.PhotoFileView.as_view(), name="api-diary-photo"),
]
