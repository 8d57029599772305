"""Password reset by e-mail and password change.

The reset page answers the same whether or not an account has the address: the same redirect,
the same "check your mail" page, and the same work inside the request, one queued job (django-q2)
carrying the address. The job looks the address up and mails the active accounts that have it, so
neither the page nor its timing (no lookup, no token, no SMTP round trip in the request) tells
whether an account exists. Changing or resetting the password changes the session auth hash,
which ends every other session of the user (Django's SessionAuthenticationMiddleware behaviour).
"""
from __future__ import annotations

from typing import Any

from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy

from apps.core.forms import BootstrapFormMixin


def send_password_reset(email: str, domain: str, use_https: bool) -> int:
    """The queued job: mail a reset link to each active account with this address."""
    form = auth_forms.PasswordResetForm({"email": email})
    if not form.is_valid():
        return 0
    users = list(form.get_users(email))
    form.save(domain_override=domain, use_https=use_https,
              subject_template_name="registration/password_reset_subject.txt",
              email_template_name="registration/password_reset_email.txt")
    return len(users)


class QueuedPasswordResetForm(BootstrapFormMixin, auth_forms.PasswordResetForm):
    """Validates the address and queues the mailing; never touches the user table itself."""

    def save(self, *, domain_override: str | None = None, use_https: bool = False, request: Any = None,
             **_: Any) -> None:  # type: ignore[override]
        from django_q.tasks import async_task

        domain = domain_override or request.get_host()
        async_task("apps.accounts.passwords.send_password_reset", self.cleaned_data["email"], domain, use_https,
                   task_name="reset kata sandi")


class SetPasswordForm(BootstrapFormMixin, auth_forms.SetPasswordForm):
    pass


class PasswordChangeForm(BootstrapFormMixin, auth_forms.PasswordChangeForm):
    pass


class PasswordResetView(auth_views.PasswordResetView):
    form_class = QueuedPasswordResetForm
    template_name = "registration/password_reset_form.html"
    success_url = reverse_lazy("password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from django.conf import settings

        return {**super().get_context_data(**kwargs), "timeout_hours": max(1, settings.PASSWORD_RESET_TIMEOUT // 3600)}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("password_change_done")
