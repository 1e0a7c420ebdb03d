from django.urls import path

from residents import staff_views

app_name = "residents"

urlpatterns = [
    path("stations/<int:station_id>/", staff_views.station_code, name="station"),
    path("stations/<int:station_id>/rotate/", staff_views.station_code_rotate, name="station-rotate"),
    path("stations/<int:station_id>/card.pdf", staff_views.station_card_pdf, name="station-card"),
    path("stations/<int:station_id>/poster.pdf", staff_views.station_poster_pdf, name="station-poster"),
    path("photos/<int:pk>/", staff_views.photo_file, name="photo"),
]
