"""ProConnect, the State's OpenID Connect for professionals (mozilla-django-oidc).

ProConnect answers the user info as a signed JWT with `email`, `given_name`, `usual_name`,
`siret` and `uid`. An account is found by its ProConnect subject, else by its e-mail address
when that address was verified (a professional who had a password account keeps it), else
created. An account whose address was never verified is not attached: a link to verify it is
sent to that address (whoever typed it there may not own it). The SIRET of the person's
organisation is kept in the session to suggest the structure to join.
"""

import logging

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.http import urlencode

import requests
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from accounts import adresse

SIRET_SESSION_KEY = "proconnect_siret"


class AdresseNonVerifiee(Exception):
    """An account holds the address ProConnect vouches for, but never proved it owns it."""


logger = logging.getLogger(__name__)


def is_configured():
    return bool(settings.PROCONNECT_URL and settings.OIDC_RP_CLIENT_ID)


class ProConnectLoginView(OIDCAuthenticationRequestView):
    """Sends the professional to ProConnect; 404 where ProConnect is not configured."""

    def get(self, request):
        if not is_configured():
            raise Http404("ProConnect n'est pas configuré sur ce portail.")
        return super().get(request)


class ProConnectCallbackView(OIDCAuthenticationCallbackView):
    def get(self, request):
        try:
            return super().get(request)
        except AdresseNonVerifiee:
            messages.error(
                self.request,
                "Un compte du portail porte déjà cette adresse, sans qu'elle ait été vérifiée. "
                "Nous venons d'y envoyer un lien : ouvrez-le et confirmez, puis reconnectez-vous "
                "avec ProConnect.",
            )
            return redirect("accounts:login")
        except SuspiciousOperation as refusal:  # forged state, token from another issuer…
            logger.warning("Connexion ProConnect refusée : %s", refusal)
            return self.login_failure()
        except requests.RequestException as error:  # ProConnect unreachable or in error
            logger.warning("ProConnect ne répond pas : %s", error)
            return self.login_failure()

    def login_failure(self):
        messages.error(
            self.request,
            "La connexion avec ProConnect n'a pas abouti. Réessayez, ou connectez-vous avec "
            "votre adresse e-mail et votre mot de passe.",
        )
        return redirect("accounts:login")


class ProConnectBackend(OIDCAuthenticationBackend):
    def verify_token(self, token, **kwargs):
        """The signature and nonce (the library), then who issued the token and for whom."""
        payload = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if payload.get("iss") != settings.PROCONNECT_URL:
            raise SuspiciousOperation(f"Émetteur inattendu : {payload.get('iss')!r}.")
        if settings.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation(f"Jeton destiné à un autre client : {audience!r}.")
        return payload

    def verify_claims(self, claims):
        return bool(claims.get("sub") and claims.get("email"))

    def filter_users_by_claims(self, claims):
        by_subject = self.UserModel.objects.filter(proconnect_sub=claims["sub"])
        if by_subject.exists():
            return by_subject
        by_address = self.UserModel.objects.filter(email__iexact=claims["email"])
        unverified = by_address.filter(courriel_verifie_le=None).first()
        if unverified is not None:
            adresse.send_proconnect_verification(unverified)
            raise AdresseNonVerifiee
        return by_address.filter(proconnect_sub=None)

    def create_user(self, claims):
        user = self.UserModel(email=claims["email"].lower(), courriel_verifie_le=timezone.now())
        user.set_unusable_password()
        return self.update_user(user, claims)

    def update_user(self, user, claims):
        user.proconnect_sub = claims["sub"]
        user.first_name = claims.get("given_name") or user.first_name
        user.last_name = claims.get("usual_name") or user.last_name
        user.save()
        self.request.session[SIRET_SESSION_KEY] = claims.get("siret") or ""
        return user

    def get_user(self, user_id):
        """A deactivated account loses its session at its next request."""
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None


def logout_url(request):
    """Where the logout sends the browser: ProConnect's end of session when the person came
    through it (ProConnect requires it), else the home page."""
    id_token = request.session.get("oidc_id_token")
    if not id_token:
        return settings.LOGOUT_REDIRECT_URL
    return f"{settings.PROCONNECT_URL}/session/end?" + urlencode(
        {
            "id_token_hint": id_token,
            "state": "deconnexion",
            "post_logout_redirect_uri": request.build_absolute_uri("/"),
        }
    )
