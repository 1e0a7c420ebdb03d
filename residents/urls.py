"""The residents' public pages (no sign-in). No namespace: the captcha widget reverses "captcha-image"."""

from captcha.views import captcha_image
from django.urls import path

from residents import public

urlpatterns = [
    path("track/", public.track_page, name="residents-track"),
    path("captcha/<str:key>/", captcha_image, {"scale": 1}, name="captcha-image"),
    path("<str:token>/", public.raise_page, name="residents-raise"),
]
