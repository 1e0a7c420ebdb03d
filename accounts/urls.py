from django.contrib.auth import views as auth_views
from django.urls import path

from accounts.forms import LoginForm
from accounts.sso_views import sso_callback, sso_dingtalk_in_app, sso_start
from accounts.views import LoginView, PasswordChangeView, twofactor_setup, twofactor_verify

urlpatterns = [
    path(
        "login/",
        LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", PasswordChangeView.as_view(), name="password_change"),
    path("2fa/", twofactor_verify, name="twofactor_verify"),
    path("2fa/setup/", twofactor_setup, name="twofactor_setup"),
    path("sso/dingtalk/in-app/", sso_dingtalk_in_app, name="sso_dingtalk_in_app"),
    path("sso/<str:provider>/", sso_start, name="sso_start"),
    path("sso/<str:provider>/callback/", sso_callback, name="sso_callback"),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="registration/password_change_done.html"),
        name="password_change_done",
    ),
]
