from django.urls import path

from diaries import views

app_name = "diaries"
urlpatterns = [
    path("", views.diary_list_page, name="list"),
    path("new/", views.diary_new, name="new"),
    path("<int:pk>/", views.diary_detail_page, name="detail"),
    path("<int:pk>/review/", views.diary_review_page, name="review"),
]
