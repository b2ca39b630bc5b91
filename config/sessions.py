"""How long a professional's session lasts, and what browsers and proxies may keep.

- Idle timeout: a session unused for `SESSION_IDLE_TIMEOUT` seconds ends (30 minutes by default:
  a professional's screen left open shows people's situations).
- Absolute lifetime: a session ends `SESSION_ABSOLUTE_LIFETIME` seconds after the login (12
  hours by default), however active.
- `Cache-Control: no-store, private` on every response to a logged-in person and on the pages
  reached by a signed link (`personal_data`): neither the browser's history cache nor a shared
  proxy keeps a page, PDF or CSV that names a person.
"""

import functools
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.utils.cache import patch_cache_control

STARTED = "session_started_at"  # epoch seconds
SEEN = "session_seen_at"
SEEN_RESOLUTION = 60  # seconds: the last-seen time is written at most once a minute


def no_store(response):
    patch_cache_control(response, no_store=True, private=True)
    return response


def personal_data(view):
    """For the views an anonymous visitor reaches with a signed link, naming a person."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        return no_store(view(request, *args, **kwargs))

    return wrapper


@receiver(user_logged_in, dispatch_uid="config.sessions.start")
def start_at_login(sender, request, **kwargs):
    """A login starts both clocks again (Django keeps the session's data when the same person
    logs in again)."""
    now = int(time.time())
    request.session[STARTED] = request.session[SEEN] = now


class SessionLimitsMiddleware:
    """Ends a logged-in session past its idle timeout or its absolute lifetime (the person is
    sent to the login page, told why); marks every response to a logged-in person no-store.
    After AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.user.is_authenticated:
            return self.get_response(request)
        if self._expired(request):
            logout(request)
            messages.info(request, "Votre session a expiré : reconnectez-vous pour continuer.")
            return no_store(redirect_to_login(request.get_full_path()))
        return no_store(self.get_response(request))

    @staticmethod
    def _expired(request):
        now = int(time.time())
        session = request.session
        started, seen = session.setdefault(STARTED, now), session.get(SEEN, now)
        if (
            now - seen > settings.SESSION_IDLE_TIMEOUT
            or now - started > settings.SESSION_ABSOLUTE_LIFETIME
        ):
            return True
        if now - seen >= SEEN_RESOLUTION or SEEN not in session:
            session[SEEN] = now
        return False
