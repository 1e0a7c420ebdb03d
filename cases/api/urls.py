from django.urls import path

from cases.api import views

# One route per action, spelled out: other apps add their own cases/<pk>/… routes (similar/).
urlpatterns = [
    path("categories/", views.CategoryListView.as_view(), name="api-categories"),
    path("cases/", views.CaseListView.as_view(), name="api-cases"),
    path("cases/<int:pk>/", views.CaseDetailView.as_view(), name="api-case"),
    path("cases/<int:pk>/events/", views.CaseEventListView.as_view(), name="api-case-events"),
    path("cases/<int:pk>/dispatch/", views.action_view("dispatch", views.ACTION_BODIES["dispatch"]),
         name="api-case-dispatch"),
    path("cases/<int:pk>/escalate/", views.action_view("escalate", views.ACTION_BODIES["escalate"]),
         name="api-case-escalate"),
    path("cases/<int:pk>/sign/", views.action_view("sign", views.ACTION_BODIES["sign"]), name="api-case-sign"),
    path("cases/<int:pk>/return/", views.action_view("return", views.ACTION_BODIES["return"]),
         name="api-case-return"),
    path("cases/<int:pk>/extension/", views.action_view("extension", views.ACTION_BODIES["extension"]),
         name="api-case-extension"),
    path("cases/<int:pk>/extension-decision/",
         views.action_view("extension-decision", views.ACTION_BODIES["extension-decision"]),
         name="api-case-extension-decision"),
    path("cases/<int:pk>/reply/", views.action_view("reply", views.ACTION_BODIES["reply"]), name="api-case-reply"),
    path("cases/<int:pk>/review/", views.action_view("review", views.ACTION_BODIES["review"]),
         name="api-case-review"),
    path("cases/<int:pk>/feedback/", views.action_view("feedback", views.ACTION_BODIES["feedback"]),
         name="api-case-feedback"),
    path("cases/<int:pk>/callback/", views.action_view("callback", views.ACTION_BODIES["callback"]),
         name="api-case-callback"),
    path("cases/<int:pk>/redo/", views.action_view("redo", views.ACTION_BODIES["redo"]), name="api-case-redo"),
    path("cases/<int:pk>/supervise/", views.action_view("supervise", views.ACTION_BODIES["supervise"]),
         name="api-case-supervise"),
]  # fmt: skip
