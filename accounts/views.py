from django.contrib.auth import views as auth_views

from accounts import services


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change_form.html"

    def form_valid(self, form):
        response = super().form_valid(form)
        services.user_password_changed(user=self.request.user, request=self.request)
        return response
