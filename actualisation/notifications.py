"""The e-mails asking structures to keep their offer up to date, one class each (see
`notifications.base`)."""

from config.french import de, pluriel
from notifications.base import Notification


class Digest(Notification):
    """The monthly reminder to a structure's admins, else its public e-mail (`emails`, then
    with `claim`, the link to claim the structure): services to confirm."""

    label = "Rappel mensuel : services à confirmer"
    template = "actualisation/emails/digest.txt"

    def __init__(self, structure, lines, tasks, emails, claim=None):
        super().__init__(structure=structure, lines=lines, tasks=tasks, emails=emails, claim=claim)

    def recipients(self):
        return self.emails

    def subject(self):
        return f"{pluriel(len(self.lines), 'service')} {de(self.structure.nom)} à confirmer"


class Campagne(Notification):
    """A coordination's campaign (or its reminder, `relance`) to a structure."""

    label = "Campagne de vérification des services"
    template = "actualisation/emails/campagne.txt"

    def __init__(self, campagne, structure, lines, relance, emails, claim=None):
        super().__init__(
            campagne=campagne, structure=structure, lines=lines, relance=relance, emails=emails,
            claim=claim,
        )  # fmt: skip

    def recipients(self):
        return self.emails

    def subject(self):
        prefix = "Relance : " if self.relance else ""
        return f"{prefix}merci de vérifier vos services ({self.campagne.nom})"


class ErreurSignalee(Notification):
    """To the structure (`emails`, with `claim` when it is its public e-mail): someone reported
    an error on a service's public page (the quality `task`). Never the reporter's address."""

    label = "Erreur signalée sur un service"
    template = "actualisation/emails/erreur_signalee.txt"
    subject_format = "Erreur signalée sur votre service {task.service.nom}"

    def __init__(self, task, emails, claim=None):
        super().__init__(task=task, emails=emails, claim=claim)

    def recipients(self):
        return self.emails

    def link(self):
        return self.task.service.get_absolute_url()


class ErreurCorrigee(Notification):
    """To the person who reported the error and left an address (`email`): it is corrected."""

    label = "L'erreur que vous avez signalée est corrigée"
    template = "actualisation/emails/erreur_corrigee.txt"
    subject_format = "Merci : l'erreur signalée sur « {service.nom} » est corrigée"

    def __init__(self, service, email):
        super().__init__(service=service, email=email)

    def recipients(self):
        return [self.email]

    def link(self):
        return self.service.get_absolute_url()
