"""The e-mails asking structures to keep their offer up to date, one class each (see
`notifications.base`)."""

from config.french import de, pluriel
from notifications.base import Notification


class Digest(Notification):
    """The monthly reminder to a structure's admins (`recipients`): services to confirm."""

    label = "Rappel mensuel : services à confirmer"
    template = "actualisation/emails/digest.txt"

    def __init__(self, structure, lines, tasks, emails):
        super().__init__(structure=structure, lines=lines, tasks=tasks, emails=emails)

    def recipients(self):
        return self.emails

    def subject(self):
        return f"{pluriel(len(self.lines), 'service')} {de(self.structure.nom)} à confirmer"


class Campagne(Notification):
    """A coordination's campaign (or its reminder, `relance`) to a structure."""

    label = "Campagne de vérification des services"
    template = "actualisation/emails/campagne.txt"

    def __init__(self, campagne, structure, lines, relance, emails):
        super().__init__(
            campagne=campagne, structure=structure, lines=lines, relance=relance, emails=emails
        )

    def recipients(self):
        return self.emails

    def subject(self):
        prefix = "Relance : " if self.relance else ""
        return f"{prefix}merci de vérifier vos services ({self.campagne.nom})"
