"""Changing and verifying an account's e-mail address, always from the address itself.

An account's address is what ProConnect matches a first login against (`accounts.proconnect`):
an address typed by someone who cannot read its inbox would let him pre-empt another person's
account. So a new address takes effect only once a link sent to it is confirmed (by a POST),
and the previous address is told of the request. Links last `LINK_MAX_AGE` seconds.

An account ProConnect found by an address never verified gets a link too; confirming it drops
the account's password (whoever set it, maybe not the owner of the inbox, loses access, and
every open session ends): the account then opens with ProConnect.
"""

from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts import notifications
from config import mail

SALT = "accounts.adresse"
LINK_MAX_AGE = 2 * 24 * 3600  # seconds


def _token(user, new_email, for_proconnect):
    return signing.dumps(
        {"user": user.pk, "from": user.email, "to": new_email, "proconnect": for_proconnect},
        salt=SALT,
    )


def _check_free(email, user):
    if get_user_model().objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
        raise ValidationError("Cette adresse est déjà celle d'un autre compte.")


def request_change(user, new_email, for_proconnect=False):
    """Sends the confirmation link to `new_email` and a notice to the current address; the
    account keeps its address until the link is confirmed. ValidationError when taken."""
    new_email = new_email.strip().lower()
    _check_free(new_email, user)
    token = _token(user, new_email, for_proconnect)
    notifications.AdresseAConfirmer(
        new_email, url=mail.absolute(reverse("accounts:adresse_confirmer", args=[token])),
        days=LINK_MAX_AGE // 86400, for_proconnect=for_proconnect,
    ).send()  # fmt: skip
    if new_email != user.email:
        notifications.AdresseDemandee(user.email, new_email=new_email).send()


def send_proconnect_verification(user):
    """A link to prove that the account's own address reaches its owner, who came through
    ProConnect."""
    request_change(user, user.email, for_proconnect=True)


def pending_change(token):
    """{"user", "to", "proconnect"} behind a link; None when tampered, expired, or already
    used (the account's address changed or was verified since the link was sent)."""
    try:
        data = signing.loads(token, salt=SALT, max_age=LINK_MAX_AGE)
    except signing.BadSignature:
        return None
    users = get_user_model().objects.filter(pk=data["user"], email=data["from"])
    if data["from"] == data["to"]:
        users = users.filter(courriel_verifie_le=None)
    user = users.first()
    return {"user": user, "to": data["to"], "proconnect": data["proconnect"]} if user else None


def confirm(pending):
    """The address becomes the account's, verified now (`pending` from `pending_change`).
    ValidationError when taken since."""
    user = pending["user"]
    _check_free(pending["to"], user)
    user.email = pending["to"]
    user.courriel_verifie_le = timezone.now()
    if pending["proconnect"]:
        user.set_unusable_password()
    user.save()
    return user
