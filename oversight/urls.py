from django.urls import path

from oversight import appeal_views, views

app_name = "oversight"
urlpatterns = [
    path("orders/", views.order_list, name="list"),
    path("orders/<int:pk>/", views.order_detail, name="detail"),
    path("orders/<int:pk>/sign/", views.order_sign_page, name="sign"),
    path("orders/<int:pk>/reply/", views.order_reply_page, name="reply"),
    path("orders/<int:pk>/pdf/", views.order_pdf, name="pdf"),
    path("cases/<int:case_id>/order/", views.order_issue_page, name="issue"),
    path("appeals/", appeal_views.appeal_list, name="appeals"),
    path("appeals/new/", appeal_views.appeal_new, name="appeal_new"),
    path("appeals/<int:pk>/", appeal_views.appeal_detail, name="appeal"),
    path("awards/", appeal_views.awards_page, name="awards"),
    path("awards/bulletin.pdf", appeal_views.bulletin_pdf, name="bulletin"),
]
