"""Password reset (Wagtail's admin pages), limited and quiet.

- At most `PASSWORD_RESET_PER_ADDRESS` requests an hour for one e-mail address typed, and
  `PASSWORD_RESET_PER_CLIENT` for one client address: beyond, nothing is sent, and the answer
  is the same page as always (it never tells whether an address has an account, nor that a
  limit was reached).
- A password set from the e-mailed link proves the account's address (`courriel_verifie_le`).
"""

from django.http import HttpResponseRedirect
from django.utils import timezone

from wagtail.admin.views import account

from config import throttle

PASSWORD_RESET_PER_ADDRESS = 3
PASSWORD_RESET_PER_CLIENT = 10
WINDOW = 3600  # seconds


def _within_limit(kind, value, limit):
    return not throttle.hit(f"reinitialisation-{kind}", value, limit, WINDOW)


class LimitedPasswordResetView(account.PasswordResetView):
    def form_valid(self, form):
        email = form.cleaned_data["email"].strip().lower()
        client = self.request.META.get("REMOTE_ADDR", "")
        allowed = _within_limit("courriel", email, PASSWORD_RESET_PER_ADDRESS)
        allowed = _within_limit("client", client, PASSWORD_RESET_PER_CLIENT) and allowed
        if not allowed:
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


class VerifyingPasswordResetConfirmView(account.PasswordResetConfirmView):
    def form_valid(self, form):
        form.user.courriel_verifie_le = timezone.now()
        return super().form_valid(form)
