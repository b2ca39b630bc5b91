"""The e-mails about an account's address, one class each (see `notifications.base`)."""

from notifications.base import Notification


class AdresseAConfirmer(Notification):
    """To the new address (`email`): the link (`url`, valid `days` days) that makes it the
    account's; `for_proconnect` when it proves the address of an account ProConnect found.
    The link is a credential: it is not kept in « Mes notifications »."""

    label = "Confirmation d'adresse e-mail"
    template = "accounts/emails/adresse_confirmer.txt"
    subject_format = "Confirmez votre adresse e-mail"

    def __init__(self, email, url, days, for_proconnect):
        super().__init__(email=email, url=url, days=days, for_proconnect=for_proconnect)

    def recipients(self):
        return [self.email]


class AdresseDemandee(Notification):
    """To the account's current address (`email`): someone asked to change it to
    `new_email`."""

    label = "Demande de changement d'adresse"
    template = "accounts/emails/adresse_demandee.txt"
    subject_format = "Demande de changement d'adresse de votre compte"

    def __init__(self, email, new_email):
        super().__init__(email=email, new_email=new_email)

    def recipients(self):
        return [self.email]
