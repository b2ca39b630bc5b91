"""The prescription's e-mails, one class each (see `notifications.base`)."""

from django.urls import reverse

from config.mail import absolute
from notifications.base import Notification
from prescription.states import Statut


class ToStructure(Notification):
    """To the receiving service's address (or its structure's), with an answer link when
    `token` is given."""

    def __init__(self, prescription, token=None):
        link = absolute(reverse("prescription:lien", args=[token])) if token else None
        super().__init__(prescription=prescription, link=link)

    def recipients(self):
        service = self.prescription.service
        return [service.courriel or service.structure.courriel]

    def link(self):
        return self.prescription.get_absolute_url()


class ToPrescripteur(Notification):
    def __init__(self, prescription):
        super().__init__(prescription=prescription)

    def recipients(self):
        return [self.prescription.prescripteur.email]

    def link(self):
        return self.prescription.get_absolute_url()


class ToPerson(Notification):
    """To the person (no account: nothing to link to)."""

    def __init__(self, prescription):
        super().__init__(prescription=prescription)

    def recipients(self):
        return [self.prescription.courriel]


class Nouvelle(ToStructure):
    label = "Nouvelle prescription"
    template = "prescription/emails/nouvelle.txt"

    def subject(self):
        return f"Nouvelle prescription vers « {self.prescription.service.nom} »"


class NouveauLien(ToStructure):
    label = "Nouveau lien pour répondre"
    template = "prescription/emails/lien.txt"

    def subject(self):
        return "Nouveau lien pour répondre à une prescription"


class Relance(ToStructure):
    label = "Rappel d'une prescription en attente (J+10)"
    template = "prescription/emails/relance.txt"

    def subject(self):
        return f"Rappel : prescription en attente — {self.prescription.service.nom}"


class Annulee(ToStructure):
    label = "Prescription annulée"
    template = "prescription/emails/annulee.txt"

    def __init__(self, prescription, motif=""):
        super().__init__(prescription)
        self.context["motif"] = motif

    def subject(self):
        return f"Prescription annulée : {self.prescription.service.nom}"


class ExpireeStructure(ToStructure):
    label = "Prescription expirée sans réponse"
    template = "prescription/emails/expiree.txt"

    def subject(self):
        return f"Prescription expirée sans réponse : {self.prescription.service.nom}"


class ExpireePrescripteur(ToPrescripteur):
    label = ExpireeStructure.label
    template = ExpireeStructure.template
    subject = ExpireeStructure.subject


class ExpireePersonne(ToPerson):
    label = "Orientation expirée (à la personne)"
    template = "prescription/emails/expiree_personne.txt"
    subject = ExpireeStructure.subject


ANSWER_SUBJECTS = {
    Statut.ACCEPTEE: "Prescription acceptée",
    Statut.REFUSEE: "Prescription refusée",
    Statut.RDV_FIXE: "Rendez-vous fixé",
    Statut.PERSONNE_RECUE: "Personne reçue",
    Statut.PERSONNE_ABSENTE: "Personne absente au rendez-vous",
}
TOLD_TO_PERSON = {Statut.ACCEPTEE, Statut.REFUSEE, Statut.RDV_FIXE}


class Reponse(ToPrescripteur):
    label = "Réponse de la structure"
    template = "prescription/emails/reponse.txt"

    def subject(self):
        status = ANSWER_SUBJECTS[self.prescription.statut]
        return f"{status} : {self.prescription.service.nom}"


class ReponsePersonne(ToPerson):
    label = "Réponse de la structure (à la personne)"
    template = "prescription/emails/reponse_personne.txt"
    subject = Reponse.subject


class Confirmation(ToPerson):
    label = "Confirmation d'orientation (à la personne)"
    template = "prescription/emails/confirmation.txt"

    def subject(self):
        return f"Votre orientation vers « {self.prescription.service.nom} »"
