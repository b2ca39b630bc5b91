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
    subject_format = "Nouvelle prescription vers « {prescription.service.nom} »"


class NouveauLien(ToStructure):
    label = "Nouveau lien pour répondre"
    template = "prescription/emails/lien.txt"
    subject_format = "Nouveau lien pour répondre à une prescription"


class Relance(ToStructure):
    label = "Rappel d'une prescription en attente (J+10)"
    template = "prescription/emails/relance.txt"
    subject_format = "Rappel : prescription en attente — {prescription.service.nom}"


class Annulee(ToStructure):
    label = "Prescription annulée"
    template = "prescription/emails/annulee.txt"
    subject_format = "Prescription annulée : {prescription.service.nom}"

    def __init__(self, prescription, motif=""):
        super().__init__(prescription)
        self.context["motif"] = motif


class ExpireeStructure(ToStructure):
    label = "Prescription expirée sans réponse"
    template = "prescription/emails/expiree.txt"
    subject_format = "Prescription expirée sans réponse : {prescription.service.nom}"


class ExpireePrescripteur(ToPrescripteur):
    label = ExpireeStructure.label
    template = ExpireeStructure.template
    subject_format = ExpireeStructure.subject_format


class ExpireePersonne(ToPerson):
    label = "Orientation expirée (à la personne)"
    template = "prescription/emails/expiree_personne.txt"
    subject_format = ExpireeStructure.subject_format


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
    subject_format = "Votre orientation vers « {prescription.service.nom} »"
