"""The e-mails of the fiche relais and of the commission SPIE, one class each (see
`notifications.base`). Subjects name nobody: they are shown in « Mes notifications » and kept
in mail logs (the fiche is named by its number)."""

from accounts.territories import coordination_emails
from catalogue.models import Membre
from notifications.base import Notification


def fiche_recipients(fiche):
    """Who the fiche is addressed to: its référent, else the admins of its structure (who
    designate one)."""
    if fiche.destinataire_id:
        return [fiche.destinataire.email]
    admins = Membre.objects.filter(structure=fiche.structure_destinataire, role=Membre.Role.ADMIN)
    return list(admins.values_list("user__email", flat=True))


def situation_referents(situation):
    """The person's current référents d'étape and whoever flagged the situation."""
    current = situation.personne.etapes.filter(fin=None)
    return [*current.values_list("referent__email", flat=True), situation.signalee_par.email]


class AboutFiche(Notification):
    def __init__(self, fiche, **context):
        super().__init__(fiche=fiche, **context)

    def link(self):
        return self.fiche.get_absolute_url()


class FicheEnvoyee(AboutFiche):
    label = "Fiche relais à prendre en charge"
    template = "fiche_relais/emails/envoyee.txt"
    subject_format = "Une fiche relais vous est adressée"

    def recipients(self):
        return fiche_recipients(self.fiche)


class FicheCopie(AboutFiche):
    label = "Copie d'une fiche relais (coordination)"
    template = "fiche_relais/emails/copie.txt"
    subject_format = "Copie : fiche relais adressée à {fiche.structure_destinataire}"

    def recipients(self):
        return coordination_emails(self.fiche.personne.commune)


class ReferentDesigne(AboutFiche):
    """To the référent an admin of the receiving structure designated."""

    label = "Vous êtes désigné(e) pour prendre un relais"
    template = "fiche_relais/emails/designe.txt"
    subject_format = "Fiche relais n° {fiche.pk} : vous prenez le relais"

    def recipients(self):
        return [self.fiche.destinataire.email]


class RelaisPris(AboutFiche):
    """To the sender and the coordination: the next référent took over (`etape`)."""

    label = "Relais pris"
    template = "fiche_relais/emails/relais_pris.txt"
    subject_format = "Relais pris : fiche relais n° {fiche.pk}"

    def recipients(self):
        return [self.fiche.auteur.email, *coordination_emails(self.fiche.personne.commune)]


class FicheRemplacee(AboutFiche):
    """To whom the replaced fiche was addressed: a newer fiche (`nouvelle`) replaces it."""

    label = "Fiche relais remplacée"
    template = "fiche_relais/emails/remplacee.txt"
    subject_format = "Fiche relais n° {fiche.pk} remplacée"

    def recipients(self):
        return fiche_recipients(self.fiche)

    def link(self):
        return ""  # its readers lose access to a replaced fiche


class AlerteRelais(AboutFiche):
    label = "Relais non pris (alerte)"
    template = "fiche_relais/emails/alerte.txt"
    subject_format = "Relais non pris : fiche relais n° {fiche.pk}"

    def recipients(self):
        return coordination_emails(self.fiche.personne.commune)


class SituationSignalee(Notification):
    label = "Situation bloquée signalée"
    template = "fiche_relais/emails/situation.txt"
    subject_format = "Une situation bloquée est signalée à la coordination SPIE"

    def __init__(self, situation):
        super().__init__(situation=situation)

    def recipients(self):
        return coordination_emails(self.situation.personne.commune)

    def link(self):
        return self.situation.get_absolute_url()


class DecisionCommission(Notification):
    """To the current référents of the parcours and whoever flagged the situation."""

    label = "Décision de la commission SPIE"
    template = "fiche_relais/emails/decision.txt"
    subject_format = "Décision de la commission SPIE sur une situation bloquée"

    def __init__(self, decision):
        super().__init__(decision=decision)

    def recipients(self):
        return situation_referents(self.decision.situation)

    def link(self):
        return self.decision.situation.personne.get_absolute_url()


class SituationInscrite(Notification):
    """To the person's current référents and whoever flagged the situation (`user`, who put it
    on the agenda, excepted by the caller): it is on a commission's agenda."""

    label = "Situation inscrite à une commission SPIE"
    template = "fiche_relais/emails/inscrite.txt"
    subject_format = (
        "Une situation bloquée est inscrite à la commission SPIE du {commission.date:%d/%m/%Y}"
    )

    def __init__(self, situation):
        super().__init__(situation=situation, commission=situation.commission)

    def recipients(self):
        return situation_referents(self.situation)

    def link(self):
        return self.situation.get_absolute_url()


class InvitationCommission(Notification):
    """To a participant (`courriel`) of a commission, with the day as an iCalendar event (`ics`,
    fiche_relais.commission); it names no person."""

    label = "Invitation à une commission SPIE"
    template = "fiche_relais/emails/invitation_commission.txt"
    subject_format = "Invitation : commission SPIE du {commission.date:%d/%m/%Y}"

    def recipients(self):
        return [self.courriel]

    def link(self):
        return self.commission.get_absolute_url()

    def attachments(self):
        return [("commission-spie.ics", self.ics, self.ics_mimetype)]
