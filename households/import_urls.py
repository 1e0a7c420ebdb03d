from django.urls import path

from households import import_views

app_name = "households-import"

urlpatterns = [
    path("", import_views.import_page, name="page"),
    path("template.xlsx", import_views.template_download, name="template"),
]
