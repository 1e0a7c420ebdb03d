from django.urls import path

from oversight import views

app_name = "oversight"
urlpatterns = [
    path("orders/", views.order_list, name="list"),
    path("orders/<int:pk>/", views.order_detail, name="detail"),
    path("orders/<int:pk>/sign/", views.order_sign_page, name="sign"),
    path("orders/<int:pk>/reply/", views.order_reply_page, name="reply"),
    path("orders/<int:pk>/pdf/", views.order_pdf, name="pdf"),
    path("cases/<int:case_id>/order/", views.order_issue_page, name="issue"),
]
