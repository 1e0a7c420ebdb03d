from django.urls import path

from oversight.api import views

urlpatterns = [
    path("stats/scores/", views.ScoresView.as_view(), name="api-stats-scores"),
    path("supervision-orders/", views.OrderListView.as_view(), name="api-supervision-orders"),
    path("supervision-orders/<int:pk>/", views.OrderDetailView.as_view(), name="api-supervision-order"),
    path("supervision-orders/<int:pk>/sign/", views.OrderSignView.as_view(), name="api-supervision-order-sign"),
    path("supervision-orders/<int:pk>/reply/", views.OrderReplyView.as_view(), name="api-supervision-order-reply"),
    path("score-appeals/", views.AppealListView.as_view(), name="api-score-appeals"),
    path("score-appeals/<int:pk>/decision/", views.AppealDecisionView.as_view(), name="api-score-appeal-decision"),
]
