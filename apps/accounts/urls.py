"""Password reset by e-mail and password change (top-level names, as django.contrib.auth reverses them)."""
from django.contrib.auth import views as auth_views
from django.urls import path

from apps.accounts import passwords
from apps.core.views import public_view

urlpatterns = [
    path("masuk/lupa-sandi/", public_view(passwords.PasswordResetView.as_view()), name="password_reset"),
    path("masuk/lupa-sandi/terkirim/", public_view(passwords.PasswordResetDoneView.as_view()), name="password_reset_done"),
    path("masuk/sandi-baru/<uidb64>/<token>/", public_view(passwords.PasswordResetConfirmView.as_view()),
         name="password_reset_confirm"),
    path("masuk/sandi-baru/selesai/", public_view(auth_views.PasswordResetCompleteView.as_view(
        template_name="registration/password_reset_complete.html")), name="password_reset_complete"),
    # Login required by the views themselves; they show only the user's own account.
    path("akun/ubah-sandi/", public_view(passwords.PasswordChangeView.as_view()), name="password_change"),
    path("akun/ubah-sandi/selesai/", public_view(auth_views.PasswordChangeDoneView.as_view(
        template_name="registration/password_change_done.html")), name="password_change_done"),
]
