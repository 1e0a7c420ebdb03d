from django.urls import path

from notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox, name="list"),
    path("read-all/", views.mark_all_read, name="read_all"),
    path("<int:pk>/", views.open_notice, name="open"),
    path("<int:pk>/read/", views.mark_read, name="read"),
]
