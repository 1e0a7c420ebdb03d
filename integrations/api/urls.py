from django.urls import path

from integrations.api import views

urlpatterns = [
    path("inbound/orders/", views.InboundOrderView.as_view(), name="api-inbound-orders"),
]
